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
  /** Runs {@code body} with a fresh store's table, under the store's claim (as the API's conversions do). */
  private static void withHandles(int limit, java.util.function.BiConsumer<NativeStore, ObjectHandles> body) {
    try (NativeStore store = new NativeStore()) {
      store.exclusive("test", () -> {
        body.accept(store, new ObjectHandles(store, limit));
        return null;
      });
    }
  }

  @Test
  void theLimitCountsSlotsInUseAndAReleasedSlotIsReused() {
    withHandles(3, (store, handles) -> {
    int a = handles.add(0x1000);
    int b = handles.add(0x2000);
    int c = handles.add(0x3000);
    ResourceLimitException full = assertThrows(ResourceLimitException.class, () -> handles.add(0x4000));
    assertTrue(full.getMessage().startsWith(store + " holds 3 object handles, its limit"), full.getMessage());
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
    });
  }

  @Test
  void aCollectorRelocatesEveryWordInUseInPlace() {
    withHandles(100, (store, handles) -> {
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
    });
  }

  /**
   * A word becomes a slot, and a slot a word, only under the store's claim, the one the word was
   * read or is used under: between a read and a conversion outside it, another thread's collection
   * could move the object and the slot would name its old address (red team 14 F4).
   */
  @Test
  void wordsBecomeSlotsAndSlotsWordsOnlyUnderTheStoresClaim() {
    try (NativeStore store = new NativeStore()) {
      ObjectHandles handles = new ObjectHandles(store, 4);
      IllegalStateException outside = assertThrows(IllegalStateException.class, () -> handles.add(0x1000));
      assertTrue(outside.getMessage().contains("outside the current thread's claim"), outside.getMessage());
      int slot = store.exclusive("test", () -> handles.add(0x1000));
      assertThrows(IllegalStateException.class, () -> handles.word(slot));
      assertEquals(0x1000L, store.exclusive("test", () -> handles.word(slot)));
      assertThrows(IllegalStateException.class, () -> store.objectKind(0x1000));
    }
  }
}
