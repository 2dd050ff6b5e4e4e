package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The table of object words Java holds: capped (a guest cannot make the host hold objects without
 * bound), slots freed only once their holder is released and reused then, and a root set a moving
 * collector updates in place, so a slot keeps naming its object after the move.
 */
class ObjectHandlesTest {
  @Test
  void theLimitCountsSlotsInUseAndAReleasedSlotIsReused() {
    ObjectHandles handles = new ObjectHandles("store #1", 3);
    int a = handles.add(0x1000);
    int b = handles.add(0x2000);
    int c = handles.add(0x3000);
    ResourceLimitException full = assertThrows(ResourceLimitException.class, () -> handles.add(0x4000));
    assertTrue(full.getMessage().startsWith("store #1 holds 3 object handles, its limit"), full.getMessage());
    assertEquals(3, handles.size());

    handles.release(b);
    assertEquals(2, handles.size());
    assertThrows(IllegalStateException.class, () -> handles.word(b), "a released slot names nothing");
    int d = handles.add(0x4000);
    assertEquals(b, d, "the released slot is reused, the table does not grow");
    assertEquals(0x1000, handles.word(a));
    assertEquals(0x4000, handles.word(d));
    assertEquals(0x3000, handles.word(c));
    handles.release(d);
    handles.release(d);
    assertEquals(2, handles.size(), "a second release of one slot frees nothing more");
  }

  @Test
  void aCollectorRelocatesEveryWordInUseInPlace() {
    ObjectHandles handles = new ObjectHandles("store #2", 100);
    int[] slots = new int[50];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = handles.add(0x10_0000 + 16L * i);
    }
    handles.release(slots[7]);
    long[] visited = {0};
    handles.relocate(word -> {
      visited[0]++;
      return word + 0x1000_0000L;
    });
    assertEquals(49, visited[0], "only slots in use are roots");
    for (int i = 0; i < slots.length; i++) {
      if (i != 7) {
        assertEquals(0x1010_0000L + 16L * i, handles.word(slots[i]));
      }
    }
    assertThrows(IllegalArgumentException.class, () -> handles.relocate(word -> 0));
    assertThrows(IllegalArgumentException.class, () -> handles.add(0), "null is no object");
  }
}
