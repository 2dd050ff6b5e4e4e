package dev.kiln.wasm.types;

import java.util.Comparator;
import java.util.List;

/**
 * A total order on canonical recursion groups ({@link CanonicalGroup#types()}) that agrees with their
 * equality: {@link TypeRegistry}'s intern table is ordered by it, so finding a group costs a
 * logarithmic number of comparisons whatever the groups' hash codes are. The hash of a group is a
 * fixed polynomial over its parts (record and list hashes), so a module can declare thousands of
 * distinct groups with one hash code; in a table keyed by that hash alone, each intern would compare
 * against every earlier one. An earlier group named inside a form is compared by its {@link
 * CanonicalGroup#serial()}, as equality compares it by identity (interned groups are unique).
 *
 * <p>{@code instanceof} tests, not pattern switches: every run of a module with a type section
 * canonicalises it at load, and each pattern switch spins a class at its first run, which the JDK's
 * AOT cache does not keep (0.35-2.5 ms each in a fresh process, docs/history/performance-journal.md,
 * "Host calls before the JIT"). The kinds are sealed, so the last test of each chain is a cast.
 */
final class CanonicalOrder implements Comparator<List<SubType>> {
  static final CanonicalOrder INSTANCE = new CanonicalOrder();

  private CanonicalOrder() {}

  @Override
  public int compare(List<SubType> a, List<SubType> b) {
    return list(a, b, CanonicalOrder::subType);
  }

  private static int subType(SubType a, SubType b) {
    int c = Boolean.compare(a.isFinal(), b.isFinal());
    if (c == 0) {
      c = list(a.supertypes(), b.supertypes(), CanonicalOrder::heap);
    }
    return c != 0 ? c : composite(a.composite(), b.composite());
  }

  private static int composite(CompositeType a, CompositeType b) {
    int c = Integer.compare(kind(a), kind(b));
    if (c != 0) {
      return c;
    }
    if (a instanceof FuncType f) {
      FuncType g = (FuncType) b;
      int p = list(f.paramTypes(), g.paramTypes(), CanonicalOrder::storage);
      return p != 0 ? p : list(f.resultTypes(), g.resultTypes(), CanonicalOrder::storage);
    }
    if (a instanceof StructType s) {
      return list(s.fields(), ((StructType) b).fields(), CanonicalOrder::field);
    }
    return field(((ArrayType) a).element(), ((ArrayType) b).element());
  }

  private static int kind(CompositeType t) {
    return t instanceof FuncType ? 0 : t instanceof StructType ? 1 : 2; // else ArrayType (sealed)
  }

  private static int field(FieldType a, FieldType b) {
    int c = Boolean.compare(a.mutable(), b.mutable());
    return c != 0 ? c : storage(a.storage(), b.storage());
  }

  private static int storage(StorageType a, StorageType b) {
    int c = Integer.compare(kind(a), kind(b));
    if (c != 0) {
      return c;
    }
    if (a instanceof ValType v) {
      return v.compareTo((ValType) b);
    }
    if (a instanceof PackedType p) {
      return p.compareTo((PackedType) b);
    }
    RefType r = (RefType) a;
    RefType s = (RefType) b;
    int n = Boolean.compare(r.nullable(), s.nullable());
    return n != 0 ? n : heap(r.heap(), s.heap());
  }

  private static int kind(StorageType t) {
    return t instanceof ValType ? 0 : t instanceof PackedType ? 1 : 2; // else RefType (sealed)
  }

  private static int heap(HeapType a, HeapType b) {
    int c = Integer.compare(kind(a), kind(b));
    if (c != 0) {
      return c;
    }
    if (a instanceof HeapType.Abstract x) {
      return x.compareTo((HeapType.Abstract) b);
    }
    if (a instanceof HeapType.Concrete x) {
      return Integer.compare(x.typeIndex(), ((HeapType.Concrete) b).typeIndex());
    }
    if (a instanceof HeapType.RecIndex x) {
      return Integer.compare(x.index(), ((HeapType.RecIndex) b).index());
    }
    CanonicalType x = ((HeapType.Canonical) a).type();
    CanonicalType y = ((HeapType.Canonical) b).type();
    int g = Long.compare(x.group().serial(), y.group().serial());
    return g != 0 ? g : Integer.compare(x.index(), y.index());
  }

  private static int kind(HeapType t) {
    // else Canonical (sealed)
    return t instanceof HeapType.Abstract ? 0 : t instanceof HeapType.Concrete ? 1 : t instanceof HeapType.RecIndex ? 2 : 3;
  }

  /** Shorter first, then element by element. */
  private static <T> int list(List<? extends T> a, List<? extends T> b, Comparator<? super T> order) {
    int c = Integer.compare(a.size(), b.size());
    for (int i = 0; c == 0 && i < a.size(); i++) {
      c = order.compare(a.get(i), b.get(i));
    }
    return c;
  }
}
