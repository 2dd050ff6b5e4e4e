package dev.kiln.wasm.types;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A recursion group in canonical form (WebAssembly 3.0 spec 3.2.2 "closed types"): its types with
 * every heap type that names a type of the group written as {@link HeapType.RecIndex} and every one
 * naming an earlier group as {@link HeapType.Canonical}. Two groups are the same type group exactly
 * when their canonical forms are equal (iso-recursive equivalence), whichever modules they come from.
 *
 * <p>Instances are interned by {@link TypeRegistry}: an earlier group inside a canonical form is
 * already the interned instance, so equality compares nested groups by identity and stays linear in
 * the group's own size (a structural walk through a chain of groups that each name the previous one
 * twice would double at every step). The hash is computed once, for the same reason (when first
 * needed, {@link #hash}).
 */
public final class CanonicalGroup {
  /** The source of {@link #serial}s: one a group made in this JVM. */
  private static final AtomicLong SERIALS = new AtomicLong();

  private final List<SubType> types;
  private final long serial;
  /**
   * The hash of {@link #types}, 0 until first asked for (then never 0): computed when a group is
   * first hashed or compared rather than when it is made, since the types' hash runs the records'
   * generated {@code hashCode}, whose first run in a process links its {@code invokedynamic} (a few
   * ms of a fresh {@code kiln run}), and the intern table orders groups without hashing them. Racing
   * threads compute the same value, as {@link String#hashCode} does.
   */
  private int hash;

  CanonicalGroup(List<SubType> types) {
    this.types = List.copyOf(types);
    this.serial = SERIALS.getAndIncrement();
  }

  /**
   * This group's number, unique in the JVM: interned groups are unique, so {@link CanonicalOrder}
   * orders a group named inside another by it, as equality compares it by identity.
   */
  long serial() {
    return serial;
  }

  /** The group's types in canonical form. */
  public List<SubType> types() {
    return types;
  }

  public int size() {
    return types.size();
  }

  /** Type {@code index} of this group. */
  public CanonicalType type(int index) {
    return new CanonicalType(this, index);
  }

  /** A heap type written inside this group, with a {@link HeapType.RecIndex} made canonical. */
  public HeapType resolve(HeapType heap) {
    return heap instanceof HeapType.RecIndex(int index) ? new HeapType.Canonical(type(index)) : heap;
  }

  @Override
  public boolean equals(Object o) {
    return o == this || (o instanceof CanonicalGroup g && g.hashCode() == hashCode() && g.types.equals(types));
  }

  @Override
  public int hashCode() {
    int h = hash;
    if (h == 0) {
      h = types.hashCode();
      if (h == 0) {
        h = 1; // 0 means not computed yet
      }
      hash = h;
    }
    return h;
  }

  @Override
  public String toString() {
    return "(rec " + types + ")";
  }
}
