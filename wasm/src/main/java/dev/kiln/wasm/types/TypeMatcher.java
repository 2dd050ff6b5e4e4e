package dev.kiln.wasm.types;

import java.util.List;

/**
 * Subtyping (WebAssembly 3.0 spec 3.3.x "matching"): whether a value of one type may stand where
 * another is expected. Types of a module are compared through their canonical forms, so the same
 * rules answer inside a module (validation) and between modules (import matching at link time).
 *
 * <p>Concrete types match by declaration, not by structure: {@code $a} matches {@code $b} when they
 * are the same canonical type or {@code $b} is on {@code $a}'s chain of declared supertypes. The
 * structural rule (function parameters contravariant, results covariant) is what a {@code sub}
 * declaration must obey ({@link #compositeMatches}).
 */
public final class TypeMatcher {
  private final CanonicalType[] canonical;

  /** @param canonical the module's canonical type of each type index ({@link TypeRegistry#canonicalize}) */
  public TypeMatcher(CanonicalType[] canonical) {
    this.canonical = canonical.clone();
  }

  /** The canonical type of the module's type {@code index}. */
  public CanonicalType canonical(int index) {
    return canonical[index];
  }

  /** {@code actual <: expected}, both written in this module's terms. */
  public boolean matches(ValueType actual, ValueType expected) {
    if (actual == expected) {
      return true;
    }
    if (actual instanceof RefType a && expected instanceof RefType e) {
      return (!a.nullable() || e.nullable()) && closedHeapMatches(close(a.heap()), close(e.heap()));
    }
    return actual.equals(expected);
  }

  /** {@code actual <: expected} for heap types in this module's terms. */
  public boolean heapMatches(HeapType actual, HeapType expected) {
    return closedHeapMatches(close(actual), close(expected));
  }

  /** A module heap type in closed form: a type index becomes its canonical type. */
  public HeapType close(HeapType heap) {
    return heap instanceof HeapType.Concrete(int index) ? new HeapType.Canonical(canonical[index]) : heap;
  }

  /** A module value type in closed form, comparable with other modules' ({@link #matchesClosed}). */
  public ValueType close(ValueType type) {
    return type instanceof RefType r && r.heap() instanceof HeapType.Concrete ? new RefType(r.nullable(), close(r.heap())) : type;
  }

  /** {@code actual <: expected} for closed types (abstract or {@link HeapType.Canonical} heap types). */
  public static boolean matchesClosed(ValueType actual, ValueType expected) {
    if (actual instanceof RefType a && expected instanceof RefType e) {
      return (!a.nullable() || e.nullable()) && closedHeapMatches(a.heap(), e.heap());
    }
    return actual.equals(expected);
  }

  /** Heap subtyping over closed heap types. */
  public static boolean closedHeapMatches(HeapType actual, HeapType expected) {
    if (actual.equals(expected) || actual == HeapType.Abstract.BOT) {
      return true;
    }
    if (actual instanceof HeapType.Abstract a) {
      if (expected instanceof HeapType.Abstract e) {
        return abstractMatches(a, e);
      }
      // only a hierarchy's bottom is below a concrete type: nofunc below function types, none below
      // struct and array types
      HeapType.Abstract kind = ((HeapType.Canonical) expected).type().subType().composite().abstractSuper();
      return a == kind.bottom();
    }
    CanonicalType t = ((HeapType.Canonical) actual).type();
    if (expected instanceof HeapType.Abstract e) {
      // a concrete type is below the abstract type of its kind (func, struct or array) and what
      // that is below (spec 3.0 "heap types": struct and array below eq below any)
      return abstractMatches(t.subType().composite().abstractSuper(), e);
    }
    CanonicalType target = ((HeapType.Canonical) expected).type();
    // the declared supertype chain: a supertype is defined before its subtype, so the walk ends
    while (true) {
      if (t.equals(target)) {
        return true;
      }
      List<HeapType> supers = t.subType().supertypes();
      if (supers.isEmpty()) {
        return false;
      }
      t = ((HeapType.Canonical) t.group().resolve(supers.get(0))).type();
    }
  }

  private static boolean abstractMatches(HeapType.Abstract a, HeapType.Abstract e) {
    if (a == e) {
      return true;
    }
    if (a.top() != e.top()) {
      return false;
    }
    if (a == a.bottom() || e == e.top()) {
      return true;
    }
    // the any hierarchy's middle (spec 3.0): i31, struct and array are below eq
    return e == HeapType.Abstract.EQ
        && (a == HeapType.Abstract.I31 || a == HeapType.Abstract.STRUCT || a == HeapType.Abstract.ARRAY);
  }

  /**
   * Whether a declared subtype's composite type matches its supertype's (spec 3.2.x, "sub"): the
   * same kind of composite type; for function types, each supertype parameter matches the
   * subtype's and each subtype result matches the supertype's; for struct and array types, {@link
   * #structMatches} and {@link #fieldMatches}. Both are canonical; heap types resolve in their own
   * group.
   */
  public static boolean compositeMatches(CanonicalType sub, CanonicalType sup) {
    return switch (sub.subType().composite()) {
      case FuncType s -> sup.subType().composite() instanceof FuncType p && funcMatches(s, sub, p, sup);
      case StructType s -> sup.subType().composite() instanceof StructType p && structMatches(s, sub, p, sup);
      case ArrayType s -> sup.subType().composite() instanceof ArrayType p
          && fieldMatches(s.element(), sub, p.element(), sup);
    };
  }

  /**
   * Spec 3.0 "struct types": the subtype has at least the supertype's fields, and each of those
   * matches the supertype's field (width and depth subtyping).
   */
  private static boolean structMatches(StructType s, CanonicalType sub, StructType p, CanonicalType sup) {
    if (s.fields().size() < p.fields().size()) {
      return false;
    }
    for (int i = 0; i < p.fields().size(); i++) {
      if (!fieldMatches(s.fields().get(i), sub, p.fields().get(i), sup)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Spec 3.0 "field types": the same mutability; an immutable field's storage type is covariant,
   * a mutable one's invariant (it is both read and written through the supertype). Packed types
   * match only themselves.
   */
  private static boolean fieldMatches(FieldType s, CanonicalType sub, FieldType p, CanonicalType sup) {
    if (s.mutable() != p.mutable()) {
      return false;
    }
    if (!(s.storage() instanceof ValueType sv) || !(p.storage() instanceof ValueType pv)) {
      return s.storage() == p.storage();
    }
    ValueType a = resolve(sv, sub);
    ValueType e = resolve(pv, sup);
    return matchesClosed(a, e) && (!s.mutable() || matchesClosed(e, a));
  }

  private static boolean funcMatches(FuncType s, CanonicalType sub, FuncType p, CanonicalType sup) {
    if (s.paramTypes().size() != p.paramTypes().size() || s.resultTypes().size() != p.resultTypes().size()) {
      return false;
    }
    for (int i = 0; i < s.paramTypes().size(); i++) {
      if (!matchesClosed(resolve(p.paramTypes().get(i), sup), resolve(s.paramTypes().get(i), sub))) {
        return false;
      }
    }
    for (int i = 0; i < s.resultTypes().size(); i++) {
      if (!matchesClosed(resolve(s.resultTypes().get(i), sub), resolve(p.resultTypes().get(i), sup))) {
        return false;
      }
    }
    return true;
  }

  private static ValueType resolve(ValueType t, CanonicalType in) {
    return t instanceof RefType r && r.heap() instanceof HeapType.RecIndex
        ? new RefType(r.nullable(), in.group().resolve(r.heap())) : t;
  }
}
