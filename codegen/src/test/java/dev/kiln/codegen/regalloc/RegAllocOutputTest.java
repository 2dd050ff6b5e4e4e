package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@link RegAllocOutput} holds immutable allocation lists: immutable ones it is given are kept as
 * they are (the allocator's, one per instruction, were each copied into a new outer list), and a
 * mutable one is copied, so changing it afterwards changes nothing.
 */
class RegAllocOutputTest {
  private static final RegAllocOutput.Stats NONE = new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0,
      0, 0, 0, 0, 0, 0, 0, 0);

  @Test
  void immutableListsAreKept() {
    List<List<Allocation>> allocations = List.of(List.of(PReg.intReg(0)), List.of(), List.of(PReg.intReg(3)));
    RegAllocOutput out = new RegAllocOutput(allocations, List.of(), Map.of(), PRegSet.EMPTY, new BitSet(), NONE);
    assertSame(allocations, out.allocations());
  }

  @Test
  void aMutableListIsCopied() {
    List<Allocation> mutable = new ArrayList<>(List.of(PReg.intReg(1)));
    List<List<Allocation>> allocations = List.of(List.of(PReg.intReg(0)), mutable);
    RegAllocOutput out = new RegAllocOutput(allocations, List.of(), Map.of(), PRegSet.EMPTY, new BitSet(), NONE);
    mutable.set(0, PReg.intReg(2));
    assertEquals(List.of(List.of(PReg.intReg(0)), List.of(PReg.intReg(1))), out.allocations());
    assertSame(allocations.get(0), out.allocations(0));
  }
}
