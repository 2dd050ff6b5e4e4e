package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** {@link Layout#moveInstsAfter}: the instructions after one move, in order, to another block's end. */
class LayoutTest {
  @Test
  void theInstructionsAfterOneMoveToTheEndOfAnotherBlock() {
    Layout layout = new Layout();
    layout.appendBlock(0);
    layout.appendBlock(1);
    layout.appendBlock(2);
    for (int inst = 0; inst < 5; inst++) {
      layout.appendInst(inst, 0);
    }
    layout.appendInst(5, 1);

    long placed = layout.instPlacements();
    layout.moveInstsAfter(1, 1);
    assertArrayEquals(new int[] {0, 1}, layout.blockInsts(0));
    assertArrayEquals(new int[] {5, 2, 3, 4}, layout.blockInsts(1));
    assertEquals(5, layout.prevInst(2));
    assertEquals(1, layout.instBlock(2));
    assertEquals(1, layout.instBlock(4));
    assertEquals(3, layout.instPlacements() - placed, "one placement per instruction moved");

    layout.moveInstsAfter(2, 2); // into an empty block
    assertArrayEquals(new int[] {5, 2}, layout.blockInsts(1));
    assertArrayEquals(new int[] {3, 4}, layout.blockInsts(2));
    assertEquals(4, layout.lastInst(2));
    assertEquals(-1, layout.nextInst(2));

    layout.moveInstsAfter(4, 0); // nothing after the block's last instruction
    assertArrayEquals(new int[] {0, 1}, layout.blockInsts(0));
    assertThrows(IllegalArgumentException.class, () -> layout.moveInstsAfter(0, 0));
    assertThrows(IllegalArgumentException.class, () -> layout.moveInstsAfter(9, 1));
  }
}
