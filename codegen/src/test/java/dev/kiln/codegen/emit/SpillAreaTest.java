package dev.kiln.codegen.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.SpillSlot;
import org.junit.jupiter.api.Test;

class SpillAreaTest {
  @Test
  void intSlotsSitAboveTheOutgoingAreaAndFloatSlotsAt16AlignedOffsetsAboveThem() {
    SpillArea area = SpillArea.above(16, 3, 2);
    assertEquals(16, area.offset(new SpillSlot(RegClass.INT, 0)));
    assertEquals(32, area.offset(new SpillSlot(RegClass.INT, 2)));
    assertEquals(48, area.offset(new SpillSlot(RegClass.FLOAT, 0)), "40 rounded up to 16");
    assertEquals(64, area.offset(new SpillSlot(RegClass.FLOAT, 1)), "a FLOAT slot holds a whole v128");
    assertEquals(80, area.bytes());
  }

  @Test
  void floatSlotsFollowIntSlotsThatEndAligned() {
    SpillArea area = SpillArea.above(16, 2, 1);
    assertEquals(32, area.offset(new SpillSlot(RegClass.FLOAT, 0)));
    assertEquals(48, area.bytes());
  }

  @Test
  void withoutFloatSlotsTheAreaEndsAfterTheLastIntSlotForTheFrameToPad() {
    assertEquals(40, SpillArea.above(16, 3, 0).bytes());
    assertEquals(0, SpillArea.above(0, 0, 0).bytes());
    assertEquals(16, SpillArea.above(0, 0, 1).bytes());
  }
}
