package dev.kiln.wasm.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Interning stays logarithmic among recursion groups an attacker made to share one hash code. A
 * group's hash is a fixed polynomial (31 per step) over record and list hashes, and a field
 * {@code (ref null rec.x)} hashes to a constant plus 31x; so the field pairs {@code [rec.1, rec.1]}
 * and {@code [rec.0, rec.32]} hash alike, and a struct of k such pairs has 2^k distinct forms with
 * one hash. In a table keyed by the hash (the registry's WeakHashMap before), the n-th intern
 * compared against all n-1 earlier groups: n^2/2 comparisons of 33-type groups.
 */
class TypeInternCollisionTest {
  private static final int PAIRS = 11;
  /** Type 0 names types up to 32 of its own group. */
  private static final int GROUP_SIZE = 33;

  private static FieldType field(int recIndex) {
    return new FieldType(new RefType(true, new HeapType.Concrete(recIndex)), false);
  }

  /** Group {@code bits}: type 0 a struct whose pair p is [1, 1] or [0, 32] by bit p; then empty structs. */
  private static List<SubType> group(int bits) {
    List<FieldType> fields = new ArrayList<>();
    for (int p = 0; p < PAIRS; p++) {
      boolean other = (bits >>> p & 1) != 0;
      fields.add(field(other ? 0 : 1));
      fields.add(field(other ? 32 : 1));
    }
    List<SubType> types = new ArrayList<>();
    types.add(SubType.plain(new StructType(fields)));
    for (int i = 1; i < GROUP_SIZE; i++) {
      types.add(SubType.plain(new StructType(List.of())));
    }
    return types;
  }

  @Test
  void groupsOfOneHashCodeAreInternedInLogarithmicComparisons() {
    AtomicLong comparisons = new AtomicLong();
    Comparator<List<SubType>> counting = (a, b) -> {
      comparisons.incrementAndGet();
      return CanonicalOrder.INSTANCE.compare(a, b);
    };
    TypeRegistry registry = new TypeRegistry(counting);
    int n = 1 << PAIRS;
    Set<Integer> hashes = new HashSet<>();
    List<CanonicalType> kept = new ArrayList<>();
    for (int bits = 0; bits < n; bits++) {
      CanonicalType t = registry.canonicalize(new TypeSection(List.of(group(bits))))[0];
      hashes.add(t.group().hashCode());
      kept.add(t);
    }
    assertEquals(1, hashes.size(), "the groups were built to share one hash code");
    assertEquals(n, registry.size(), "every group is distinct");
    // an intern is a lookup and an insertion, each at most a red-black tree's height, 2 log2(n + 1)
    long bound = (long) n * 4 * (PAIRS + 1);
    assertTrue(comparisons.get() <= bound,
        comparisons.get() + " comparisons for " + n + " groups (a hash table compares ~" + (long) n * n / 2 + ")");
    // and interning still finds equal groups: the same forms again are the same instances
    for (int bits = 0; bits < n; bits += 97) {
      assertSame(kept.get(bits).group(), registry.canonicalize(new TypeSection(List.of(group(bits))))[0].group());
    }
  }

  @Test
  void aGroupNoLongerUsedLeavesTheTable() throws InterruptedException {
    TypeRegistry registry = new TypeRegistry();
    WeakReference<CanonicalGroup> first =
        new WeakReference<>(registry.canonicalize(new TypeSection(List.of(group(1))))[0].group());
    for (int i = 0; i < 100 && first.get() != null; i++) {
      System.gc();
      Thread.sleep(10);
    }
    assertEquals(null, first.get(), "nothing but the table holds the group");
    // The JVM's reference handler thread enqueues the table's own cleared entry some time after the
    // collection cleared it: each intern drops what has been enqueued so far, so intern until it has.
    CanonicalType second = registry.canonicalize(new TypeSection(List.of(group(2))))[0];
    for (int i = 0; i < 100 && registry.size() != 1; i++) {
      Thread.sleep(10);
      second = registry.canonicalize(new TypeSection(List.of(group(2))))[0];
    }
    assertEquals(1, registry.size(), "the collected group's entry went at a later intern");
    assertNotSame(null, second);
  }
}
