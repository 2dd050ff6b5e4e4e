package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hash-map keys built from the guest's constants and types (red team 6, F2). HashMap keeps a bin of
 * equal hashes in a tree searched in O(log n) only when its keys are Comparable; otherwise each
 * look-up walks the bin and n colliding keys cost n^2/2 equals calls. Each test builds keys an
 * attacker would and checks the order HashMap relies on: every key Comparable, compareTo zero
 * exactly for equal keys, antisymmetric along a sort.
 */
class GuestKeyOrderTest {
  @Test
  void vectorConstantsWhoseHashesAllCollideAreOrderedAndPooledOnceEach() {
    int n = 20_000;
    List<DataFlowGraph.VectorConstant> keys = new ArrayList<>();
    for (long k = 1; k <= n; k++) {
      long half = (k << 32) | k; // i32x4 k k k k: Long.hashCode(half) == 0
      keys.add(new DataFlowGraph.VectorConstant(half, half));
    }
    assertEquals(1, keys.stream().mapToInt(Object::hashCode).distinct().count(), "the attack's keys collide");
    assertOrderedConsistentlyWithEquals(keys);

    DataFlowGraph dfg = new DataFlowGraph();
    for (int i = 0; i < n; i++) {
      assertEquals(i, dfg.vectorConstant(keys.get(i).low(), keys.get(i).high()));
    }
    for (int i = 0; i < n; i++) {
      assertEquals(i, dfg.vectorConstant(keys.get(i).low(), keys.get(i).high()), "an old constant keeps its index");
    }
    assertEquals(n, dfg.vectorConstantCount());
  }

  @Test
  void signaturesAreOrderedConsistentlyWithEquals() {
    List<AbiParam> params = new ArrayList<>();
    for (Type t : Type.values()) {
      for (ParamPurpose p : ParamPurpose.values()) {
        params.add(new AbiParam(t, p));
      }
    }
    List<Signature> keys = new ArrayList<>();
    for (AbiParam a : params) {
      keys.add(new Signature(List.of(a), List.of()));
      keys.add(new Signature(List.of(), List.of(a)));
      for (AbiParam b : params) {
        keys.add(new Signature(List.of(a, b), List.of(a)));
        keys.add(new Signature(List.of(a), List.of(b, a)));
      }
    }
    keys.add(new Signature(List.of(), List.of()));
    assertOrderedConsistentlyWithEquals(params);
    assertOrderedConsistentlyWithEquals(keys);
  }

  /** {@code keys} are distinct: sorted, neighbours compare strictly, and each compares equal to a copy of itself. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  static void assertOrderedConsistentlyWithEquals(List<?> keys) {
    for (Object k : keys) {
      assertInstanceOf(Comparable.class, k, k.getClass().getName() + " keys a HashMap with guest-chosen values");
    }
    List<Comparable> sorted = new ArrayList<>((List<Comparable>) keys);
    sorted.sort(null);
    for (int i = 1; i < sorted.size(); i++) {
      Comparable a = sorted.get(i - 1);
      Comparable b = sorted.get(i);
      assertTrue(a.compareTo(b) < 0 && b.compareTo(a) > 0, a + " before " + b);
    }
    for (Comparable k : sorted) {
      assertEquals(0, k.compareTo(k));
    }
  }
}
