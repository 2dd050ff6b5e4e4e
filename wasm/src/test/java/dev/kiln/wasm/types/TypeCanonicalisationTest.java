package dev.kiln.wasm.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Iso-recursive canonicalisation (spec 3.2.2) and subtyping (spec 3.0 matching) of defined types. */
class TypeCanonicalisationTest {
  private static final TypeRegistry REGISTRY = new TypeRegistry();

  private static RefType ref(boolean nullable, int index) {
    return new RefType(nullable, new HeapType.Concrete(index));
  }

  private static FuncType func(List<? extends ValueType> params, List<? extends ValueType> results) {
    return new FuncType(params, results);
  }

  private static List<SubType> group(SubType... types) {
    return List.of(types);
  }

  @Test
  void equalGroupsOfTwoModulesAreTheSameCanonicalType() {
    // module A: (type $f (func (param i32))) (type $g (func (param (ref $f))))
    TypeSection a = TypeSection.of(List.of(func(List.of(ValType.I32), List.of()), func(List.of(ref(false, 0)), List.of())));
    // module B puts an unrelated type first, so the same types have other indices
    TypeSection b = TypeSection.of(List.of(func(List.of(), List.of(ValType.F64)),
        func(List.of(ValType.I32), List.of()), func(List.of(ref(false, 1)), List.of())));
    CanonicalType[] ca = REGISTRY.canonicalize(a);
    CanonicalType[] cb = REGISTRY.canonicalize(b);
    assertEquals(ca[0], cb[1]);
    assertEquals(ca[1], cb[2]);
    assertSame(ca[1].group(), cb[2].group());
    assertNotEquals(ca[0], cb[0]);
  }

  @Test
  void recursiveGroupsMatchByShapeNotByName() {
    // (rec (type $a (func (param (ref $b)))) (type $b (func (result (ref $a)))))
    List<SubType> first = group(SubType.plain(func(List.of(ref(false, 1)), List.of())),
        SubType.plain(func(List.of(), List.of(ref(false, 0)))));
    CanonicalType[] one = REGISTRY.canonicalize(new TypeSection(List.of(first)));
    // the same group after one other type: indices shift, the group stays the same type
    List<SubType> shifted = group(SubType.plain(func(List.of(ref(false, 2)), List.of())),
        SubType.plain(func(List.of(), List.of(ref(false, 1)))));
    CanonicalType[] two = REGISTRY.canonicalize(new TypeSection(List.of(
        List.of(SubType.plain(func(List.of(), List.of()))), shifted)));
    assertEquals(one[0], two[1]);
    assertEquals(one[1], two[2]);
    // the order of a group's types is part of its identity
    List<SubType> swapped = group(SubType.plain(func(List.of(), List.of(ref(false, 1)))),
        SubType.plain(func(List.of(ref(false, 0)), List.of())));
    CanonicalType[] three = REGISTRY.canonicalize(new TypeSection(List.of(swapped)));
    assertNotEquals(one[0], three[1]);
    assertNotEquals(one[1], three[0]);
  }

  @Test
  void aTypeInARecGroupDiffersFromTheSameTypeAlone() {
    FuncType f = func(List.of(ValType.I32), List.of());
    CanonicalType[] alone = REGISTRY.canonicalize(new TypeSection(List.of(group(SubType.plain(f)))));
    CanonicalType[] paired = REGISTRY.canonicalize(new TypeSection(List.of(group(SubType.plain(f), SubType.plain(f)))));
    assertNotEquals(alone[0], paired[0]);
    assertNotEquals(paired[0], paired[1]);
  }

  @Test
  void finalityAndSupertypesArePartOfTheType() {
    FuncType f = func(List.of(), List.of());
    CanonicalType[] c = REGISTRY.canonicalize(new TypeSection(List.of(
        group(SubType.plain(f)),
        group(new SubType(false, List.of(), f)),
        group(new SubType(true, List.of(new HeapType.Concrete(1)), f)))));
    assertNotEquals(c[0], c[1]);
    assertNotEquals(c[0], c[2]);
    assertNotEquals(c[1], c[2]);
  }

  @Test
  void aForwardReferenceOutsideTheGroupIsRefused() {
    TypeSection forward = TypeSection.of(List.of(func(List.of(ref(true, 1)), List.of()), func(List.of(), List.of())));
    assertThrows(IllegalArgumentException.class, () -> REGISTRY.canonicalize(forward));
  }

  @Test
  void aLongChainOfGroupsEachNamingThePreviousTwiceStaysLinear() {
    // every group names the previous one twice: a structural walk would visit 2^n paths
    List<FuncType> chain = new ArrayList<>();
    chain.add(func(List.of(), List.of()));
    for (int i = 1; i < 2000; i++) {
      chain.add(func(List.of(ref(false, i - 1), ref(true, i - 1)), List.of()));
    }
    CanonicalType[] a = REGISTRY.canonicalize(TypeSection.of(chain));
    CanonicalType[] b = REGISTRY.canonicalize(TypeSection.of(chain));
    assertEquals(a[1999], b[1999]);
    assertEquals(a[1999].hashCode(), b[1999].hashCode());
  }

  @Test
  void abstractHeapTypesFollowTheirHierarchies() {
    TypeMatcher m = new TypeMatcher(REGISTRY.canonicalize(TypeSection.of(List.of(func(List.of(), List.of())))));
    RefType func = RefType.FUNCREF;
    RefType nonNullFunc = new RefType(false, HeapType.Abstract.FUNC);
    RefType nofunc = new RefType(true, HeapType.Abstract.NOFUNC);
    assertTrue(m.matches(nonNullFunc, func));
    assertFalse(m.matches(func, nonNullFunc));
    assertTrue(m.matches(nofunc, func));
    assertTrue(m.matches(ref(false, 0), func));
    assertTrue(m.matches(nofunc, ref(true, 0)));
    assertFalse(m.matches(nofunc, ref(false, 0)));
    assertFalse(m.matches(func, ref(true, 0)));
    assertFalse(m.matches(RefType.EXTERNREF, func));
    assertFalse(m.matches(new RefType(true, HeapType.Abstract.NOEXTERN), func));
    assertTrue(m.matches(new RefType(true, HeapType.Abstract.NOEXTERN), RefType.EXTERNREF));
    assertFalse(m.matches(ValType.I32, ValType.I64));
    assertTrue(m.matches(new RefType(false, HeapType.Abstract.BOT), ref(false, 0)));
  }

  @Test
  void concreteTypesMatchAlongDeclaredSupertypesOnly() {
    FuncType f = func(List.of(), List.of());
    // 0: (sub (func)), 1: (sub 0 (func)), 2: (func) final, 3: (sub final 1 (func))
    CanonicalType[] c = REGISTRY.canonicalize(new TypeSection(List.of(
        group(new SubType(false, List.of(), f)),
        group(new SubType(false, List.of(new HeapType.Concrete(0)), f)),
        group(SubType.plain(f)),
        group(new SubType(true, List.of(new HeapType.Concrete(1)), f)))));
    TypeMatcher m = new TypeMatcher(c);
    assertTrue(m.matches(ref(false, 3), ref(false, 0)));
    assertTrue(m.matches(ref(false, 1), ref(true, 0)));
    assertFalse(m.matches(ref(false, 0), ref(false, 1)));
    // structurally the same function type, but not declared a supertype
    assertFalse(m.matches(ref(false, 3), ref(false, 2)));
    assertFalse(m.matches(ref(false, 2), ref(false, 0)));
  }

  @Test
  void functionSubtypesAreContravariantInParametersAndCovariantInResults() {
    RefType func = RefType.FUNCREF;
    RefType nonNullFunc = new RefType(false, HeapType.Abstract.FUNC);
    // 0: (sub (func (param (ref func)) (result funcref)))
    // 1: (sub 0 (func (param funcref) (result (ref func))))   matches 0
    // 2: (sub 0 (func (param (ref func)) (result funcref)))   matches 0 (equal)
    // 3: (sub 0 (func (param (ref func)) (result externref))) does not
    CanonicalType[] c = REGISTRY.canonicalize(new TypeSection(List.of(
        group(new SubType(false, List.of(), func(List.of(nonNullFunc), List.of(func)))),
        group(new SubType(false, List.of(new HeapType.Concrete(0)), func(List.of(func), List.of(nonNullFunc)))),
        group(new SubType(false, List.of(new HeapType.Concrete(0)), func(List.of(nonNullFunc), List.of(func)))),
        group(new SubType(false, List.of(new HeapType.Concrete(0)), func(List.of(nonNullFunc), List.of(RefType.EXTERNREF)))))));
    assertTrue(TypeMatcher.compositeMatches(c[1], c[0]));
    assertTrue(TypeMatcher.compositeMatches(c[2], c[0]));
    assertFalse(TypeMatcher.compositeMatches(c[3], c[0]));
    assertFalse(TypeMatcher.compositeMatches(c[0], c[1]));
  }

  @Test
  void representationKeepsTheCompilersViewSmall() {
    FuncType f = func(List.of(ref(false, 0), ValType.I64, RefType.EXTERNREF), List.of(new RefType(true, HeapType.Abstract.NOFUNC)));
    assertEquals(List.of(ValType.FUNCREF, ValType.I64, ValType.EXTERNREF), f.params());
    assertEquals(List.of(ValType.FUNCREF), f.results());
    assertEquals(func(List.of(ValType.FUNCREF), List.of()), func(List.of(RefType.FUNCREF), List.of()));
  }
}
