package dev.kiln.artifact.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.CorruptArtifactException;
import dev.kiln.wasm.types.FieldType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.PackedType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.StructType;
import dev.kiln.wasm.types.SubType;
import dev.kiln.wasm.types.TypeSection;
import dev.kiln.wasm.types.ValueType;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * Every constant expression of module info is typed against what it initialises, as the wasm
 * validator types it (spec 3.3.10), when the info is made and so when {@code .kiln.info} is decoded
 * (red team 34 F1: a resealed artifact whose funcref global and element item read an i64 global
 * loaded, and compiled code called through the i64's bits).
 */
class ConstExprTypesTest {
  private static final FuncType NONE = new FuncType(List.of(), List.of());
  private static final FuncType RETURNS_I32 = new FuncType(List.of(), List.of(ValType.I32));
  private static final ConstExpr GLOBAL_0 = ConstExpr.of(new ConstInstr.GlobalGet(0));

  /** Globals of the given types and initialisers, one defined function of type 0 (escaping). */
  private static ModuleInfo withGlobals(List<Global> globals) {
    return new ModuleInfo(List.of(RETURNS_I32), List.of(), List.of(0), List.of(), List.of(), globals, List.of(),
        OptionalInt.empty(), List.of(), List.of(), List.of(0), Map.of());
  }

  private static Global global(ValType type, ConstExpr init) {
    return new Global(new GlobalType(type, false), init);
  }

  private static void assertRefused(String message, Executable make) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
    assertEquals(message, e.getMessage());
  }

  @Test
  void anI64GlobalDoesNotInitialiseAFuncrefGlobal() {
    List<Global> globals = new ArrayList<>(List.of(global(ValType.I64, ConstExpr.i64(0x4141_4141_4140L)),
        global(ValType.FUNCREF, ConstExpr.of(new ConstInstr.RefFunc(0)))));
    withGlobals(globals);
    globals.add(global(ValType.FUNCREF, GLOBAL_0));
    assertRefused("initialiser of global 2 is of type i64, not of funcref", () -> withGlobals(globals));
    // what was meant: global 1, a funcref
    globals.set(2, global(ValType.FUNCREF, ConstExpr.of(new ConstInstr.GlobalGet(1))));
    withGlobals(globals);
  }

  /** The red team's artifact: one byte of {@code .kiln.info} (global.get 1 made 0) and a new seal. */
  @Test
  void theDecoderRefusesTheRedTeamsEditInOneLine() {
    ModuleInfo info = new ModuleInfo(List.of(RETURNS_I32), List.of(), List.of(0),
        List.of(new TableType(ValType.FUNCREF, Limits.of(2), false)), List.of(),
        List.of(global(ValType.I64, ConstExpr.i64(0x4141_4141_4140L)),
            global(ValType.FUNCREF, ConstExpr.of(new ConstInstr.RefFunc(0)))),
        List.of(), OptionalInt.empty(),
        List.of(new ElementSegment(SegmentMode.ACTIVE, 0, Optional.of(ConstExpr.i32(0)), ValType.FUNCREF,
            new ElementItems.Expressions(List.of(ConstExpr.of(new ConstInstr.GlobalGet(1)))))),
        List.of(), List.of(0), Map.of());
    byte[] bytes = ModuleInfoEncoder.encode(info);
    int at = indexOf(bytes, ConstInstr.GlobalGet.OPCODE, 1, 0, 0, 0);
    bytes[at + 1] = 0;
    CorruptArtifactException e = assertThrows(CorruptArtifactException.class,
        () -> ModuleInfoDecoder.decode(MemorySegment.ofArray(bytes), 0));
    assertEquals(".kiln.info: element segment 0 item is of type i64, not of funcref", e.getMessage());
    assertEquals(1, e.getMessage().lines().count());
  }

  /**
   * A module of WebAssembly 3.0 types: type 0 {@code (func (result i32))}, type 1 {@code (func)},
   * type 2 {@code (struct i32 (mut i8))}, type 3 {@code (array i8)}; function 0 of type 0 and function 1 of type 1, both
   * escaping; the given globals (precise types beside them), tables and element segments.
   */
  private record Gc(List<Global> globals, List<ValueType> globalTypes, List<TableType> tables, List<RefType> tableTypes,
      List<ElementSegment> elements, List<RefType> elementTypes) {
    static final RefType REF_F = new RefType(false, new HeapType.Concrete(0));
    static final RefType NULL_F = new RefType(true, new HeapType.Concrete(0));
    static final RefType NULL_OTHER = new RefType(true, new HeapType.Concrete(1));
    static final RefType REF_STRUCT = new RefType(false, new HeapType.Concrete(2));
    static final RefType REF_ARRAY = new RefType(false, new HeapType.Concrete(3));

    static Gc globals(List<Global> globals, List<ValueType> types) {
      return new Gc(globals, types, List.of(), List.of(), List.of(), List.of());
    }

    ModuleInfo make() {
      TypeSection section = new TypeSection(List.of(
          List.of(SubType.plain(new dev.kiln.wasm.types.FuncType(List.of(), List.of(dev.kiln.wasm.types.ValType.I32)))),
          List.of(SubType.plain(new dev.kiln.wasm.types.FuncType(List.of(), List.of()))),
          List.of(SubType.plain(new StructType(List.of(new FieldType(dev.kiln.wasm.types.ValType.I32, false),
              new FieldType(PackedType.I8, true))))),
          List.of(SubType.plain(new dev.kiln.wasm.types.ArrayType(new FieldType(PackedType.I8, false))))));
      return new ModuleInfo(List.of(RETURNS_I32, NONE, NONE, NONE), List.of(), List.of(0, 1), tables, List.of(), globals,
          List.of(), OptionalInt.empty(), elements, List.of(), List.of(0, 1), Map.of(), List.of(),
          new PreciseTypes(section, tableTypes, globalTypes, elementTypes), Map.of());
    }
  }

  @Test
  void aStructFieldTakesItsOwnTypeAndAPackedFieldAnI32() {
    java.util.function.Function<ConstInstr, ModuleInfo> firstField = first -> Gc.globals(
        List.of(global(ValType.FUNCREF, ConstExpr.of(first, new ConstInstr.I32Const(300),
            new ConstInstr.GcNew(ConstInstr.GcNew.STRUCT_NEW, 2, 2)))), List.of(Gc.REF_STRUCT)).make();
    firstField.apply(new ConstInstr.I32Const(1));
    assertRefused("initialiser of global 0: GcNew[subOpcode=0, typeIndex=2, operands=2] takes i32, given i64",
        () -> firstField.apply(new ConstInstr.I64Const(1)));
  }

  /**
   * array.new_fixed pops as many elements as its count says, each of the element type; a count of
   * 2^31 or more (a u32 in the file) popped none and left the evaluator a negative one.
   */
  @Test
  void arrayNewFixedPopsItsCountOfElements() {
    java.util.function.Function<Integer, ModuleInfo> fixed = count -> Gc.globals(List.of(global(ValType.FUNCREF,
        ConstExpr.of(new ConstInstr.I32Const(1), new ConstInstr.I32Const(2),
            new ConstInstr.GcNew(ConstInstr.GcNew.ARRAY_NEW_FIXED, 3, count)))), List.of(Gc.REF_ARRAY)).make();
    fixed.apply(2);
    assertRefused("initialiser of global 0 leaves 2 values, expected 1", () -> fixed.apply(1));
    assertRefused("initialiser of global 0: GcNew[subOpcode=8, typeIndex=3, operands=-1] pops 4294967295 operands",
        () -> fixed.apply(-1));
  }

  @Test
  void aReferenceOfAnotherFunctionTypeDoesNotInitialiseATypedGlobal() {
    java.util.function.Function<Integer, ModuleInfo> refFunc = f -> Gc.globals(List.of(
        global(ValType.FUNCREF, ConstExpr.of(new ConstInstr.RefFunc(0))),
        global(ValType.FUNCREF, ConstExpr.of(new ConstInstr.RefFunc(f)))), List.of(Gc.REF_F, Gc.NULL_F)).make();
    refFunc.apply(0);
    assertRefused("initialiser of global 1 is of type (ref 1), not of (ref null 0)", () -> refFunc.apply(1));
    // global.get is typed as its global is declared: (ref 0) fits (ref null 0), a struct does not
    Gc.globals(List.of(global(ValType.FUNCREF, ConstExpr.of(new ConstInstr.RefFunc(0))),
        global(ValType.FUNCREF, GLOBAL_0)), List.of(Gc.REF_F, Gc.NULL_F)).make();
    assertRefused("initialiser of global 1 is of type (ref 2), not of (ref null 0)", () -> Gc.globals(List.of(
        global(ValType.FUNCREF, ConstExpr.of(new ConstInstr.GcNew(ConstInstr.GcNew.STRUCT_NEW_DEFAULT, 2, 0))),
        global(ValType.FUNCREF, GLOBAL_0)), List.of(Gc.REF_STRUCT, Gc.NULL_F)).make());
  }

  /**
   * A segment's items fit its precise element type, which an active segment's table's must hold;
   * a passive segment's type is its own (the artifact stores it since red team 34 F1).
   */
  @Test
  void anElementItemFitsItsSegmentAndTheSegmentItsTable() {
    TableType table = new TableType(ValType.FUNCREF, Limits.of(1), false);
    java.util.function.BiFunction<SegmentMode, RefType, ModuleInfo> segment = (mode, type) -> new Gc(List.of(),
        List.of(), List.of(table), List.of(Gc.NULL_F), List.of(new ElementSegment(mode, 0,
            mode == SegmentMode.ACTIVE ? Optional.of(ConstExpr.i32(0)) : Optional.empty(), ValType.FUNCREF,
            new ElementItems.Expressions(List.of(ConstExpr.of(new ConstInstr.RefFunc(1)))))), List.of(type)).make();
    ModuleInfo passive = segment.apply(SegmentMode.PASSIVE, Gc.NULL_OTHER);
    assertEquals(passive.precise(), ModuleInfoDecoder.decode(MemorySegment.ofArray(ModuleInfoEncoder.encode(passive)),
        0).precise(), "the segment's precise type is written and read back");
    assertRefused("element segment 0 item is of type (ref 1), not of (ref null 0)",
        () -> segment.apply(SegmentMode.PASSIVE, Gc.NULL_F));
    assertRefused("element segment 0 holds (ref null 1), which table 0 of (ref null 0) cannot",
        () -> segment.apply(SegmentMode.ACTIVE, Gc.NULL_OTHER));
    assertRefused("element segment 0 holds externref, compiled for FUNCREF",
        () -> segment.apply(SegmentMode.PASSIVE, RefType.EXTERNREF));
    // a function index item is typed as ref.func is
    assertRefused("element segment 0 item 1 is function 1 of type (ref 1), not of (ref null 0)", () -> new Gc(
        List.of(), List.of(), List.of(), List.of(), List.of(new ElementSegment(SegmentMode.DECLARATIVE, 0,
            Optional.empty(), ValType.FUNCREF, new ElementItems.Functions(List.of(0, 1)))), List.of(Gc.NULL_F))
        .make());
  }

  @Test
  void anOffsetIsOfItsMemorysOrTablesAddressType() {
    java.util.function.BiFunction<Boolean, ConstExpr, ModuleInfo> data = (is64, offset) -> new ModuleInfo(
        List.of(), List.of(), List.of(), List.of(), List.of(new MemoryType(Limits.of(1), is64, false)), List.of(),
        List.of(), OptionalInt.empty(), List.of(), List.of(DataSegment.active(0, offset, 0, 0)), List.of(), Map.of());
    data.apply(false, ConstExpr.i32(8));
    data.apply(true, ConstExpr.i64(8));
    assertRefused("data segment 0 offset is of type i64, not of i32", () -> data.apply(false, ConstExpr.i64(8)));
    assertRefused("data segment 0 offset is of type i32, not of i64", () -> data.apply(true, ConstExpr.i32(8)));
    java.util.function.BiFunction<Boolean, ConstExpr, ModuleInfo> element = (is64, offset) -> new ModuleInfo(
        List.of(), List.of(), List.of(), List.of(new TableType(ValType.FUNCREF, Limits.of(1), is64)), List.of(),
        List.of(), List.of(), OptionalInt.empty(), List.of(new ElementSegment(SegmentMode.ACTIVE, 0,
            Optional.of(offset), ValType.FUNCREF, new ElementItems.Functions(List.of()))), List.of(), List.of(),
        Map.of());
    element.apply(true, ConstExpr.i64(0));
    assertRefused("element segment 0 offset is of type i64, not of i32", () -> element.apply(false, ConstExpr.i64(0)));
  }

  /** global.get reads an immutable global defined before (spec 3.0 3.4.x), and extended-const adds its own type. */
  @Test
  void globalGetReadsAnEarlierImmutableGlobalAndArithmeticItsOwnType() {
    assertRefused("initialiser of global 1: global.get 0 reads a mutable global", () -> withGlobals(List.of(
        new Global(new GlobalType(ValType.I32, true), ConstExpr.i32(1)), global(ValType.I32, GLOBAL_0))));
    assertRefused("initialiser of global 0 global.get: index 1 out of range (0)", () -> withGlobals(List.of(
        global(ValType.I32, ConstExpr.of(new ConstInstr.GlobalGet(1))), global(ValType.I32, ConstExpr.i32(1)))));
    assertRefused("initialiser of global 0: Binary[op=I64_ADD] takes i64, given i32", () -> withGlobals(List.of(
        global(ValType.I64, ConstExpr.of(new ConstInstr.I64Const(1), new ConstInstr.I32Const(2),
            new ConstInstr.Binary(ConstInstr.Op.I64_ADD))))));
  }

  /**
   * The compiler does not store any.convert_extern and extern.convert_any (the two hierarchies
   * share a word), so an extern reference initialises an anyref global and an i31 an externref
   * one; a function reference initialises neither.
   */
  @Test
  void theAnyAndExternHierarchiesMeetAtTheirTopsAndNoFunctionReferenceDoes() {
    RefType anyRef = new RefType(true, HeapType.Abstract.ANY);
    Gc.globals(List.of(global(ValType.EXTERNREF, ConstExpr.of(new ConstInstr.RefNull(ValType.EXTERNREF))),
        global(ValType.EXTERNREF, GLOBAL_0)), List.of(RefType.EXTERNREF, anyRef)).make();
    Gc.globals(List.of(global(ValType.EXTERNREF, ConstExpr.of(new ConstInstr.I32Const(7), new ConstInstr.RefI31()))),
        List.of(RefType.EXTERNREF)).make();
    assertRefused("initialiser of global 1 is of type (ref 0), not of (ref null any)", () -> Gc.globals(List.of(
        global(ValType.FUNCREF, ConstExpr.of(new ConstInstr.RefFunc(0))), global(ValType.EXTERNREF, GLOBAL_0)),
        List.of(Gc.REF_F, anyRef)).make());
  }

  private static int indexOf(byte[] bytes, int... pattern) {
    outer:
    for (int i = 0; i + pattern.length <= bytes.length; i++) {
      for (int k = 0; k < pattern.length; k++) {
        if ((bytes[i + k] & 0xFF) != pattern[k]) {
          continue outer;
        }
      }
      return i;
    }
    throw new AssertionError("pattern not in the encoding");
  }
}
