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
    return switch (a) {
      case FuncType f -> {
        FuncType g = (FuncType) b;
        int p = list(f.paramTypes(), g.paramTypes(), CanonicalOrder::storage);
        yield p != 0 ? p : list(f.resultTypes(), g.resultTypes(), CanonicalOrder::storage);
      }
      case StructType s -> list(s.fields(), ((StructType) b).fields(), CanonicalOrder::field);
      case ArrayType r -> field(r.element(), ((ArrayType) b).element());
    };
  }

  private static int kind(CompositeType t) {
    return switch (t) {
      case FuncType f -> 0;
      case StructType s -> 1;
      case ArrayType a -> 2;
    };
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
    return switch (a) {
      case ValType v -> v.compareTo((ValType) b);
      case PackedType p -> p.compareTo((PackedType) b);
      case RefType r -> {
        RefType s = (RefType) b;
        int n = Boolean.compare(r.nullable(), s.nullable());
        yield n != 0 ? n : heap(r.heap(), s.heap());
      }
    };
  }

  private static int kind(StorageType t) {
    return switch (t) {
      case ValType v -> 0;
      case PackedType p -> 1;
      case RefType r -> 2;
    };
  }

  private static int heap(HeapType a, HeapType b) {
    int c = Integer.compare(kind(a), kind(b));
    if (c != 0) {
      return c;
    }
    return switch (a) {
      case HeapType.Abstract x -> x.compareTo((HeapType.Abstract) b);
      case HeapType.Concrete x -> Integer.compare(x.typeIndex(), ((HeapType.Concrete) b).typeIndex());
      case HeapType.RecIndex x -> Integer.compare(x.index(), ((HeapType.RecIndex) b).index());
      case HeapType.Canonical x -> {
        CanonicalType y = ((HeapType.Canonical) b).type();
        int g = Long.compare(x.type().group().serial(), y.group().serial());
        yield g != 0 ? g : Integer.compare(x.type().index(), y.index());
      }
    };
  }

  private static int kind(HeapType t) {
    return switch (t) {
      case HeapType.Abstract x -> 0;
      case HeapType.Concrete x -> 1;
      case HeapType.RecIndex x -> 2;
      case HeapType.Canonical x -> 3;
    };
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
