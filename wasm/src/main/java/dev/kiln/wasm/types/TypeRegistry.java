package dev.kiln.wasm.types;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * Canonicalises a module's types (WebAssembly 3.0 spec 3.2.2, iso-recursive equivalence): each
 * recursion group is rewritten into its {@link CanonicalGroup} form and interned, so two modules'
 * equal groups become the same instance and their types the same {@link CanonicalType}.
 *
 * <p>One registry serves the whole JVM ({@link #shared()}): canonical types must be comparable
 * across every module that may link. The intern table holds its groups weakly; a group stays while a
 * module's canonical types (or a later group naming it) are in use.
 */
public final class TypeRegistry {
  private static final TypeRegistry SHARED = new TypeRegistry();

  /**
   * The interned groups by their canonical form, in {@link CanonicalOrder}: a lookup is a logarithmic
   * number of comparisons even among groups of one hash code, which a hash table would compare one
   * by one. An entry holds its group weakly; the form it is keyed by (not the group) holds the
   * earlier groups it names until the entry goes.
   */
  private final TreeMap<List<SubType>, Entry> interned;
  /** Entries whose group was collected, removed at the next intern. */
  private final ReferenceQueue<CanonicalGroup> collected = new ReferenceQueue<>();

  /** A weak reference to an interned group that knows its key. */
  private static final class Entry extends WeakReference<CanonicalGroup> {
    final List<SubType> form;

    Entry(CanonicalGroup group, ReferenceQueue<CanonicalGroup> queue) {
      super(group, queue);
      this.form = group.types();
    }
  }

  TypeRegistry() {
    this(CanonicalOrder.INSTANCE);
  }

  /** A registry whose table compares canonical forms with {@code order} (tests count its comparisons). */
  TypeRegistry(Comparator<List<SubType>> order) {
    interned = new TreeMap<>(order);
  }

  /** The registry every module of this JVM canonicalises into. */
  public static TypeRegistry shared() {
    return SHARED;
  }

  /**
   * The canonical type of each of the section's types, by type index.
   *
   * @throws IllegalArgumentException when a heap type names a type defined after its own group
   *     (the validator reports that first, as "unknown type")
   */
  public CanonicalType[] canonicalize(TypeSection section) {
    CanonicalType[] out = new CanonicalType[section.size()];
    int start = 0;
    for (List<SubType> group : section.groups()) {
      List<SubType> canonical = new ArrayList<>(group.size());
      for (SubType t : group) {
        CompileDeadline.pollCounted(Phase.DECODE, start + canonical.size());
        canonical.add(rewrite(t, start, group.size(), out));
      }
      CanonicalGroup g = intern(new CanonicalGroup(canonical));
      for (int i = 0; i < group.size(); i++) {
        out[start + i] = g.type(i);
      }
      start += group.size();
    }
    return out;
  }

  private synchronized CanonicalGroup intern(CanonicalGroup group) {
    for (Reference<? extends CanonicalGroup> r; (r = collected.poll()) != null; ) {
      Entry gone = (Entry) r;
      interned.remove(gone.form, gone); // unless an equal group was interned since
    }
    Entry existing = interned.get(group.types());
    CanonicalGroup g = existing == null ? null : existing.get();
    if (g != null) {
      return g;
    }
    interned.put(group.types(), new Entry(group, collected));
    return group;
  }

  /** How many groups the table holds (collected ones until the next intern removes them). */
  synchronized int size() {
    return interned.size();
  }

  private static SubType rewrite(SubType t, int start, int size, CanonicalType[] done) {
    List<HeapType> supers = new ArrayList<>(t.supertypes().size());
    for (HeapType s : t.supertypes()) {
      supers.add(rewrite(s, start, size, done));
    }
    // instanceof, not a pattern switch: a switch spins a class at its first run, on every run's load
    // (CanonicalOrder says why that counts); the last kind is a cast (CompositeType is sealed).
    CompositeType composite;
    if (t.composite() instanceof FuncType f) {
      composite = new FuncType(rewrite(f.paramTypes(), start, size, done), rewrite(f.resultTypes(), start, size, done));
    } else if (t.composite() instanceof StructType s) {
      composite = new StructType(s.fields().stream().map(x -> rewrite(x, start, size, done)).toList());
    } else {
      composite = new ArrayType(rewrite(((ArrayType) t.composite()).element(), start, size, done));
    }
    return new SubType(t.isFinal(), supers, composite);
  }

  private static FieldType rewrite(FieldType field, int start, int size, CanonicalType[] done) {
    return field.storage() instanceof RefType r
        ? new FieldType(new RefType(r.nullable(), rewrite(r.heap(), start, size, done)), field.mutable())
        : field;
  }

  private static List<ValueType> rewrite(List<ValueType> types, int start, int size, CanonicalType[] done) {
    List<ValueType> out = new ArrayList<>(types.size());
    for (ValueType v : types) {
      out.add(v instanceof RefType r ? new RefType(r.nullable(), rewrite(r.heap(), start, size, done)) : v);
    }
    return out;
  }

  private static HeapType rewrite(HeapType heap, int start, int size, CanonicalType[] done) {
    if (!(heap instanceof HeapType.Concrete(int index))) {
      return heap;
    }
    if (index >= start && index < start + size) {
      return new HeapType.RecIndex(index - start);
    }
    if (index >= 0 && index < start) {
      return new HeapType.Canonical(done[index]);
    }
    throw new IllegalArgumentException("type " + Integer.toUnsignedString(index) + " is not defined before its use");
  }
}
