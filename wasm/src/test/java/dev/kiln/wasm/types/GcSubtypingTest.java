package dev.kiln.wasm.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Struct and array types (WebAssembly 3.0 spec 2.3.7) in canonicalisation and matching (spec 3.0
 * "Subtyping"): width and depth subtyping of structs, invariance of mutable fields, packed storage
 * matching only itself, and where concrete struct, array and function types sit among the
 * abstract heap types.
 */
class GcSubtypingTest {
  private static final HeapType.Abstract ANY = HeapType.Abstract.ANY;
  private static final HeapType.Abstract EQ = HeapType.Abstract.EQ;
  private static final HeapType.Abstract STRUCT = HeapType.Abstract.STRUCT;
  private static final HeapType.Abstract ARRAY = HeapType.Abstract.ARRAY;
  private static final HeapType.Abstract NONE = HeapType.Abstract.NONE;

  private static FieldType field(StorageType t, boolean mutable) {
    return new FieldType(t, mutable);
  }

  private static SubType open(List<Integer> supers, CompositeType c) {
    return new SubType(false, supers.stream().map(i -> (HeapType) new HeapType.Concrete(i)).toList(), c);
  }

  private static TypeSection section(SubType... types) {
    return new TypeSection(java.util.Arrays.stream(types).map(List::of).toList());
  }

  private static boolean declaredMatch(TypeSection s, int sub, int sup) {
    return TypeMatcher.compositeMatches(s.matcher().canonical(sub), s.matcher().canonical(sup));
  }

  @Test
  void aStructMayAddFieldsAndNarrowImmutableOnes() {
    TypeSection s = section(
        open(List.of(), new StructType(List.of(field(new RefType(true, ANY), false)))),
        // width: one more field; depth: the immutable anyref field narrowed to (ref i31)
        open(List.of(0), new StructType(List.of(field(new RefType(false, HeapType.Abstract.I31), false),
            field(ValType.I64, true)))),
        // fewer fields than the supertype
        open(List.of(1), new StructType(List.of(field(new RefType(false, HeapType.Abstract.I31), false)))));
    assertTrue(declaredMatch(s, 1, 0));
    assertFalse(declaredMatch(s, 2, 1));
    assertTrue(s.matcher().matches(new RefType(false, new HeapType.Concrete(1)), new RefType(true, new HeapType.Concrete(0))));
    assertFalse(s.matcher().matches(new RefType(false, new HeapType.Concrete(0)), new RefType(true, new HeapType.Concrete(1))));
  }

  @Test
  void aMutableFieldIsInvariant() {
    TypeSection s = section(
        open(List.of(), new StructType(List.of(field(new RefType(true, ANY), true)))),
        open(List.of(0), new StructType(List.of(field(new RefType(true, EQ), true)))),
        open(List.of(), new ArrayType(field(new RefType(true, ANY), true))),
        open(List.of(2), new ArrayType(field(new RefType(true, EQ), true))),
        // mutability itself must agree
        open(List.of(0), new StructType(List.of(field(new RefType(true, ANY), false)))));
    assertFalse(declaredMatch(s, 1, 0));
    assertFalse(declaredMatch(s, 3, 2));
    assertFalse(declaredMatch(s, 4, 0));
  }

  @Test
  void packedStorageMatchesOnlyItself() {
    TypeSection s = section(
        open(List.of(), new ArrayType(field(PackedType.I8, false))),
        open(List.of(0), new ArrayType(field(PackedType.I8, false))),
        open(List.of(0), new ArrayType(field(PackedType.I16, false))),
        open(List.of(0), new ArrayType(field(ValType.I32, false))));
    assertTrue(declaredMatch(s, 1, 0));
    assertFalse(declaredMatch(s, 2, 0));
    assertFalse(declaredMatch(s, 3, 0));
  }

  @Test
  void aCompositeMatchesOnlyItsOwnKind() {
    TypeSection s = section(
        open(List.of(), new StructType(List.of())),
        open(List.of(0), new ArrayType(field(ValType.I32, false))),
        open(List.of(0), new FuncType(List.of(), List.of())));
    assertFalse(declaredMatch(s, 1, 0));
    assertFalse(declaredMatch(s, 2, 0));
  }

  @Test
  void concreteTypesSitUnderTheirAbstractKind() {
    TypeSection s = section(
        SubType.plain(new StructType(List.of())),
        SubType.plain(new ArrayType(field(PackedType.I16, true))),
        SubType.plain(new FuncType(List.of(), List.of())));
    TypeMatcher m = s.matcher();
    HeapType struct = new HeapType.Concrete(0);
    HeapType array = new HeapType.Concrete(1);
    HeapType func = new HeapType.Concrete(2);
    for (HeapType.Abstract above : List.of(STRUCT, EQ, ANY)) {
      assertTrue(m.heapMatches(struct, above), "struct type <: " + above);
    }
    for (HeapType.Abstract above : List.of(ARRAY, EQ, ANY)) {
      assertTrue(m.heapMatches(array, above), "array type <: " + above);
    }
    assertFalse(m.heapMatches(struct, ARRAY));
    assertFalse(m.heapMatches(array, STRUCT));
    assertFalse(m.heapMatches(struct, HeapType.Abstract.I31));
    assertFalse(m.heapMatches(func, ANY));
    assertTrue(m.heapMatches(func, HeapType.Abstract.FUNC));
    // the any hierarchy's bottom is below its concrete types, the func hierarchy's is not
    assertTrue(m.heapMatches(NONE, struct));
    assertTrue(m.heapMatches(NONE, array));
    assertFalse(m.heapMatches(HeapType.Abstract.NOFUNC, struct));
    assertFalse(m.heapMatches(NONE, func));
    assertTrue(m.heapMatches(HeapType.Abstract.I31, EQ));
    assertFalse(m.heapMatches(EQ, HeapType.Abstract.I31));
    assertFalse(m.heapMatches(ANY, HeapType.Abstract.EXTERN));
  }

  @Test
  void structAndArrayTypesCanonicaliseByShapeAndHaveNoSignature() {
    TypeRegistry registry = new TypeRegistry();
    FieldType i8 = field(PackedType.I8, true);
    TypeSection a = section(SubType.plain(new ArrayType(i8)), SubType.plain(new StructType(List.of(field(new RefType(true,
        new HeapType.Concrete(0)), false)))));
    TypeSection b = section(SubType.plain(new FuncType(List.of(), List.of())), SubType.plain(new ArrayType(i8)),
        SubType.plain(new StructType(List.of(field(new RefType(true, new HeapType.Concrete(1)), false)))));
    CanonicalType[] ca = registry.canonicalize(a);
    CanonicalType[] cb = registry.canonicalize(b);
    assertEquals(ca[0], cb[1]);
    assertEquals(ca[1], cb[2]);
    assertNotEquals(ca[0], registry.canonicalize(section(SubType.plain(new ArrayType(field(PackedType.I8, false)))))[0]);
    assertNull(a.types().get(0));
    assertEquals(new FuncType(List.of(), List.of()), b.types().get(0));
  }

  @Test
  void storageSizesAndUnpacking() {
    assertEquals(1, PackedType.I8.byteSize());
    assertEquals(2, PackedType.I16.byteSize());
    assertEquals(ValType.I32, PackedType.I16.unpacked());
    assertEquals(8, new RefType(true, ANY).byteSize());
    assertEquals(16, ValType.V128.byteSize());
    assertFalse(field(new RefType(false, ANY), true).defaultable());
    assertTrue(field(PackedType.I8, false).defaultable());
  }
}
