package dev.kiln.artifact.info;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Function types key the store's type-id map and come from the guest (red team 6, F2): a list's hash
 * collides for lists whose positions' powers of 31 sum alike, and HashMap bounds a bin of equal hashes
 * at O(log n) only for Comparable keys. The order must be total and agree with equals.
 */
class FuncTypeOrderTest {
  @Test
  void functionTypesAreOrderedConsistentlyWithEquals() {
    List<List<ValType>> lists = new ArrayList<>();
    lists.add(List.of());
    for (ValType a : ValType.values()) {
      lists.add(List.of(a));
      for (ValType b : ValType.values()) {
        lists.add(List.of(a, b));
      }
    }
    List<FuncType> types = new ArrayList<>();
    for (List<ValType> params : lists) {
      for (List<ValType> results : lists) {
        types.add(new FuncType(params, results));
      }
    }
    for (FuncType t : types) {
      assertInstanceOf(Comparable.class, t, "FuncType keys a HashMap with guest-chosen values");
    }
    @SuppressWarnings({"unchecked", "rawtypes"})
    List<Comparable> sorted = new ArrayList<>((List<Comparable>) (List<?>) types);
    sorted.sort(null);
    for (int i = 1; i < sorted.size(); i++) {
      @SuppressWarnings("unchecked")
      int c = sorted.get(i - 1).compareTo(sorted.get(i));
      assertTrue(c < 0, sorted.get(i - 1) + " before " + sorted.get(i));
    }
    for (FuncType t : types) {
      @SuppressWarnings({"unchecked", "rawtypes"})
      int c = ((Comparable) (Object) t).compareTo(new FuncType(t.params(), t.results()));
      assertEquals(0, c, "an equal type compares equal");
    }
  }
}
