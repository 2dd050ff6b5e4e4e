package dev.kiln.artifact.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.TypeSection;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/**
 * The precise types in {@code .kiln.info} (WebAssembly 3.0): written only for a module that has
 * 3.0 types or table initialisers, read back equal, and checked so the loader can canonicalise them
 * and walk supertype chains without a check of its own: a supertype that is not an earlier type
 * (a cycle would make every subtype walk endless) or a precise type with another representation
 * than the code was compiled for is refused.
 */
class PreciseTypesTest {
  private static final FuncType TAKES_REF = new FuncType(List.of(ValType.FUNCREF), List.of(ValType.I32));

  private static dev.kiln.wasm.types.FuncType takes(RefType r) {
    return new dev.kiln.wasm.types.FuncType(List.of(r), List.of(dev.kiln.wasm.types.ValType.I32));
  }

  private static ModuleInfo info(List<List<SubType>> groups, Map<Integer, ConstExpr> inits) {
    return new ModuleInfo(List.of(TAKES_REF, TAKES_REF), List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of(), OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of(), List.of(),
        new PreciseTypes(new TypeSection(groups), List.of(), List.of(), List.of()), inits);
  }

  private static SubType sub(boolean isFinal, List<HeapType> supers, RefType param) {
    return new SubType(isFinal, supers, takes(param));
  }

  @Test
  void typesOfAModuleOf3AreWrittenAndReadBack() {
    RefType refA = new RefType(false, new HeapType.Concrete(0));
    ModuleInfo info = info(List.of(List.of(sub(false, List.of(), refA)),
        List.of(sub(true, List.of(new HeapType.Concrete(0)), RefType.FUNCREF))), Map.of());
    byte[] bytes = ModuleInfoEncoder.encode(info);
    ModuleInfo back = ModuleInfoDecoder.decode(MemorySegment.ofArray(bytes), 0);
    assertEquals(info.precise(), back.precise());
    byte[] plain = ModuleInfoEncoder.encode(new ModuleInfo(List.of(TAKES_REF), List.of(), List.of(), List.of(),
        List.of(), List.of(), List.of(), OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of()));
    assertTrue(plain.length < bytes.length, "a 2.0 module's info has no precise part");
  }

  /**
   * A function's or tag's type index must name a function type, not a struct (red team 16 F1: a
   * resealed artifact whose function named a struct type loaded, and the runtime's cast of the
   * type to a function type ended in an internal error).
   */
  @Test
  void aFunctionOrTagOfAStructTypeIsRefused() {
    FuncType none = new FuncType(List.of(), List.of());
    SubType struct = new SubType(true, List.of(), new dev.kiln.wasm.types.StructType(List.of()));
    SubType function = new SubType(true, List.of(), new dev.kiln.wasm.types.FuncType(List.of(), List.of()));
    PreciseTypes precise = new PreciseTypes(new TypeSection(List.of(List.of(struct), List.of(function))),
        List.of(), List.of(), List.of());
    java.util.function.BiFunction<List<Import>, List<Integer>, ModuleInfo> module = (imports, defined) ->
        new ModuleInfo(List.of(none, none), imports, defined, List.of(), List.of(), List.of(), List.of(),
            OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of(), List.of(), precise, Map.of());
    module.apply(List.of(new Import("env", "f", new ImportDesc.Function(1))), List.of(1));
    IllegalArgumentException defined = assertThrows(IllegalArgumentException.class,
        () -> module.apply(List.of(), List.of(0)));
    assertEquals("type of defined function 0 (type 0) is not a function type", defined.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> module.apply(List.of(new Import("env", "f", new ImportDesc.Function(0))), List.of()));
    assertThrows(IllegalArgumentException.class, () -> new ModuleInfo(List.of(none, none), List.of(), List.of(),
        List.of(), List.of(), List.of(), List.of(), OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of(),
        List.of(0), precise, Map.of()));
  }

  /**
   * A GC module may declare struct and array types (their representation is the empty signature):
   * their fields' storage types (packed ones too) and mutability are written and read back, and
   * an unknown composite form is a corrupt artifact, not a ClassCastException.
   */
  @Test
  void structAndArrayTypesAreWrittenAndReadBack() {
    FuncType none = new FuncType(List.of(), List.of());
    RefType anyRef = new RefType(true, HeapType.Abstract.ANY);
    SubType struct = new SubType(false, List.of(), new dev.kiln.wasm.types.StructType(List.of(
        new dev.kiln.wasm.types.FieldType(dev.kiln.wasm.types.PackedType.I8, true),
        new dev.kiln.wasm.types.FieldType(anyRef, false),
        new dev.kiln.wasm.types.FieldType(new RefType(false, new HeapType.Concrete(1)), true))));
    SubType array = new SubType(true, List.of(), new dev.kiln.wasm.types.ArrayType(
        new dev.kiln.wasm.types.FieldType(dev.kiln.wasm.types.PackedType.I16, false)));
    ModuleInfo info = new ModuleInfo(List.of(none, none), List.of(), List.of(), List.of(), List.of(), List.of(),
        List.of(), OptionalInt.empty(), List.of(), List.of(), List.of(), Map.of(),
        new PreciseTypes(new TypeSection(List.of(List.of(struct, array))), List.of(), List.of(), List.of()));
    byte[] bytes = ModuleInfoEncoder.encode(info);
    assertEquals(info.precise(), ModuleInfoDecoder.decode(MemorySegment.ofArray(bytes), 0).precise());
    // the struct's form byte (0x5F, after "0 not final, 0 supertypes") made a form no type has
    for (int i = 0; i + 5 < bytes.length; i++) {
      if (bytes[i] == 0 && bytes[i + 1] == 0 && bytes[i + 5] == 0x5F) {
        bytes[i + 5] = 0x5D;
        assertThrows(CorruptArtifactException.class, () -> ModuleInfoDecoder.decode(MemorySegment.ofArray(bytes), 0));
        return;
      }
    }
    throw new AssertionError("no struct type in the encoding");
  }

  @Test
  void aSupertypeThatIsNotAnEarlierTypeIsRefused() {
    // type 0 declares type 1 its supertype and type 1 type 0: a cycle inside one group
    List<List<SubType>> cycle = List.of(List.of(sub(false, List.of(new HeapType.Concrete(1)), RefType.FUNCREF),
        sub(false, List.of(new HeapType.Concrete(0)), RefType.FUNCREF)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> info(cycle, Map.of()));
    assertTrue(e.getMessage().contains("supertype of type 0"), e.getMessage());
    List<List<SubType>> self = List.of(List.of(sub(false, List.of(new HeapType.Concrete(0)), RefType.FUNCREF)),
        List.of(sub(false, List.of(), RefType.FUNCREF)));
    assertThrows(IllegalArgumentException.class, () -> info(self, Map.of()));
  }

  @Test
  void aPreciseTypeOfAnotherRepresentationOrALaterTypeIsRefused() {
    RefType extern = RefType.EXTERNREF;
    assertThrows(IllegalArgumentException.class, () -> info(List.of(List.of(sub(true, List.of(), extern)),
        List.of(sub(true, List.of(), RefType.FUNCREF))), Map.of()));
    RefType later = new RefType(true, new HeapType.Concrete(1));
    assertThrows(IllegalArgumentException.class, () -> info(List.of(List.of(sub(true, List.of(), later)),
        List.of(sub(true, List.of(), RefType.FUNCREF))), Map.of()));
  }

  @Test
  void aDamagedPreciseTypeIsACorruptArtifact() {
    ModuleInfo info = info(List.of(List.of(sub(false, List.of(), RefType.FUNCREF)),
        List.of(sub(true, List.of(new HeapType.Concrete(0)), RefType.FUNCREF))), Map.of());
    byte[] bytes = ModuleInfoEncoder.encode(info);
    // the last type's supertype index (the u32 after its finality byte and supertype count) made 1: itself
    int at = indexOfSupertype(bytes);
    bytes[at] = 1;
    assertThrows(CorruptArtifactException.class, () -> ModuleInfoDecoder.decode(MemorySegment.ofArray(bytes), 0));
  }

  /** Where the one supertype index of the encoding is: after "1 final, 1 supertype" (01 01 00 00 00). */
  private static int indexOfSupertype(byte[] bytes) {
    for (int i = bytes.length - 6; i >= 0; i--) {
      if (bytes[i] == 1 && bytes[i + 1] == 1 && bytes[i + 2] == 0 && bytes[i + 3] == 0 && bytes[i + 4] == 0) {
        return i + 5;
      }
    }
    throw new AssertionError("no supertype in the encoding");
  }
}
