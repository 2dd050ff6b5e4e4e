package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.gc.ObjectLayout;
import dev.kiln.loader.runtime.NativeStore.ObjectKind;
import dev.kiln.loader.sys.ArraysThatRunOut;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The table of object words Java holds: capped (a guest cannot make the host hold objects without
 * bound), slots freed only once their holder is released and reused then, and a root set a moving
 * collector updates in place, so a slot keeps naming its object after the move. Each slot keeps its
 * object's kind, so an exception object's slot never gives its word as a struct's or array's, and
 * whether a word is held costs one lookup, not a scan of the slots.
 */
class ObjectHandlesTest {
  /** Runs {@code body} with a fresh store's table, under the store's claim (as the API's conversions do). */
  private static void withHandles(int limit, java.util.function.BiConsumer<NativeStore, ObjectHandles> body) {
    try (NativeStore store = new NativeStore()) {
      store.exclusive("test", () -> {
        store.ensureGcHeap();
        body.accept(store, new ObjectHandles(store, limit));
        return null;
      });
    }
  }

  /** A new object of {@code kind} in {@code store}'s heap: only word 4 of its header, which tells the kind. */
  private static long object(NativeStore store, ObjectKind kind) {
    long word = store.allocateObject(16);
    int kindWord = switch (kind) {
      case STRUCT -> ObjectLayout.STRUCT_MARK;
      case ARRAY -> 1;
      case EXCEPTION -> ObjectLayout.exceptionWord(0);
      case NONE -> throw new IllegalArgumentException();
    };
    MemorySegment.ofAddress(word).reinterpret(ObjectLayout.FIELDS).set(JAVA_INT, ObjectLayout.LENGTH, kindWord);
    return word;
  }

  /**
   * An {@code OutOfMemoryError} at any allocation of the table's growth (its word and kind arrays,
   * its word index, its free list) leaves it as it was: every handle made before gives its word
   * back and is held, the table grows on, and every released slot is reused (red team 24 F3:
   * {@code highWater} raised before the copies indexed later handles past the arrays, and a free
   * list grown after a slot was emptied lost the slot).
   */
  @Test
  void anOutOfMemoryErrorAtAnyAllocationOfTheTablesGrowthLeavesItAsItWas() {
    for (int failing = 1; failing <= 12; failing++) {
      ArraysThatRunOut arrays = new ArraysThatRunOut(failing);
      int failingNow = failing;
      try (NativeStore store = new NativeStore()) {
        store.exclusive("test", () -> {
          store.ensureGcHeap();
          ObjectHandles handles = new ObjectHandles(store, 1_000, arrays);
          java.util.List<long[]> made = new java.util.ArrayList<>(); // {slot, word}
          String when = "allocation " + failingNow + " failed";
          while (!arrays.ranOut()) {
            makeReleaseAndRemake(store, handles, made, when);
          }
          makeReleaseAndRemake(store, handles, made, when + ", then grown on");
          return null;
        });
      }
    }
  }

  /**
   * Makes 40 handles more (stopping at an injected failure), releases them all and frees them (the
   * free list grows), then makes as many again: every one in a released slot.
   */
  private static void makeReleaseAndRemake(NativeStore store, ObjectHandles handles, java.util.List<long[]> made,
      String when) {
    int first = made.size();
    for (int i = 0; i < 40; i++) {
      long word = object(store, ObjectKind.EXCEPTION);
      try {
        made.add(new long[] {handles.add(word, ObjectKind.EXCEPTION), word});
      } catch (OutOfMemoryError injected) {
        assertFalse(handles.holds(word), "a word whose handle failed is held, " + when);
        break;
      }
    }
    assertAllGiveTheirWordsBack(handles, made, when);
    for (int i = first; i < made.size(); i++) {
      handles.release((int) made.get(i)[0]);
    }
    try {
      handles.size();
    } catch (OutOfMemoryError injected) {
      // the free list's growth: the rest are freed by the next call
    }
    assertEquals(first, handles.size(), when);
    int highest = made.stream().mapToInt(m -> (int) m[0]).max().orElse(-1);
    java.util.List<long[]> reused = new java.util.ArrayList<>();
    for (int i = first; i < made.size(); i++) {
      long word = object(store, ObjectKind.EXCEPTION);
      int slot = handles.add(word, ObjectKind.EXCEPTION);
      assertTrue(slot <= highest, "slot " + slot + " is new: a released slot was lost, " + when);
      reused.add(new long[] {slot, word});
    }
    made.subList(first, made.size()).clear();
    made.addAll(reused);
    assertAllGiveTheirWordsBack(handles, made, when);
  }

  private static void assertAllGiveTheirWordsBack(ObjectHandles handles, java.util.List<long[]> made, String when) {
    for (long[] m : made) {
      assertEquals(m[1], handles.word((int) m[0], ObjectKind.EXCEPTION), "slot " + m[0] + ", " + when);
      assertTrue(handles.holds(m[1]), "the word of slot " + m[0] + " is not held, " + when);
    }
  }

  @Test
  void theLimitCountsSlotsInUseAndAReleasedSlotIsReused() {
    withHandles(3, (store, handles) -> {
      long[] words = new long[4];
      for (int i = 0; i < words.length; i++) {
        words[i] = object(store, ObjectKind.STRUCT);
      }
      int a = handles.add(words[0], ObjectKind.STRUCT);
      int b = handles.add(words[1], ObjectKind.STRUCT);
      int c = handles.add(words[2], ObjectKind.STRUCT);
      ResourceLimitException full = assertThrows(ResourceLimitException.class,
          () -> handles.add(words[3], ObjectKind.STRUCT));
      assertTrue(full.getMessage().startsWith(store + " holds 3 object handles, its limit"), full.getMessage());
      assertEquals(3, handles.size());
      // exception objects take slots too (ExnRef handles), and the advice says so
      long exception = object(store, ObjectKind.EXCEPTION);
      ResourceLimitException fullOfExceptions = assertThrows(ResourceLimitException.class,
          () -> handles.add(exception, ObjectKind.EXCEPTION));
      assertTrue(fullOfExceptions.getMessage().contains("to structs, arrays and exceptions from wasm"),
          fullOfExceptions.getMessage());

      handles.release(b);
      assertTrue(handles.holds(words[1]), "a released slot's object is held until the slot is freed");
      assertEquals(2, handles.size());
      assertFalse(handles.holds(words[1]), "freed (here by size), its word is no longer held");
      assertThrows(IllegalStateException.class, () -> handles.word(b, ObjectKind.STRUCT), "a released slot names nothing");
      int d = handles.add(words[3], ObjectKind.STRUCT);
      assertEquals(b, d, "the released slot is reused, the table does not grow");
      assertEquals(words[0], handles.word(a, ObjectKind.STRUCT));
      assertEquals(words[3], handles.word(d, ObjectKind.STRUCT));
      assertEquals(words[2], handles.word(c, ObjectKind.STRUCT));
      handles.release(d);
      handles.release(d);
      assertEquals(2, handles.size(), "a second release of one slot frees nothing more");
    });
  }

  @Test
  void aCollectorRelocatesEveryWordInUseInPlace() {
    withHandles(100, (store, handles) -> {
      int[] slots = new int[50];
      long[] words = new long[50];
      for (int i = 0; i < slots.length; i++) {
        words[i] = object(store, ObjectKind.ARRAY);
        slots[i] = handles.add(words[i], ObjectKind.ARRAY);
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
          assertEquals(words[i] + 0x1000_0000L, handles.word(slots[i], ObjectKind.ARRAY));
          assertTrue(handles.holds(words[i] + 0x1000_0000L), "the index follows the move");
          assertFalse(handles.holds(words[i]), "and forgets the old address");
        }
      }
      assertThrows(IllegalArgumentException.class, () -> handles.relocate(word -> 0));
      assertThrows(IllegalArgumentException.class, () -> handles.add(0, ObjectKind.ARRAY), "null is no object");
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
      long word = store.exclusive("test", () -> {
        store.ensureGcHeap();
        return object(store, ObjectKind.STRUCT);
      });
      IllegalStateException outside = assertThrows(IllegalStateException.class,
          () -> handles.add(word, ObjectKind.STRUCT));
      assertTrue(outside.getMessage().contains("outside the current thread's claim"), outside.getMessage());
      int slot = store.exclusive("test", () -> handles.add(word, ObjectKind.STRUCT));
      assertThrows(IllegalStateException.class, () -> handles.word(slot, ObjectKind.STRUCT));
      assertEquals(word, store.exclusive("test", () -> handles.word(slot, ObjectKind.STRUCT)));
      assertThrows(IllegalStateException.class, () -> store.objectKind(word));
    }
  }

  /**
   * Issue 35: an exception object's header once read as an array's (its count sat where an array's
   * length does), so a handle could be made for it as an array, and a slot of one kind handed out
   * as another. Each kind is now checked on the way in (the header) and on the way out (the slot's
   * recorded kind), in one line.
   */
  @Test
  void aSlotHoldsOnlyWhatItsHeaderSaysAndGivesItBackOnlyAsThat() {
    withHandles(16, (store, handles) -> {
      long exception = object(store, ObjectKind.EXCEPTION);
      assertEquals(ObjectKind.EXCEPTION, store.objectKind(exception));
      IllegalArgumentException asArray = assertThrows(IllegalArgumentException.class,
          () -> handles.add(exception, ObjectKind.ARRAY));
      assertEquals("an exception object of " + store + " cannot be held as an array", asArray.getMessage());
      assertThrows(IllegalArgumentException.class, () -> handles.add(exception, ObjectKind.STRUCT));
      long struct = object(store, ObjectKind.STRUCT);
      assertThrows(IllegalArgumentException.class, () -> handles.add(struct, ObjectKind.EXCEPTION));
      assertThrows(IllegalArgumentException.class, () -> handles.add(0x1000, ObjectKind.STRUCT),
          "a word outside the heap is no object");

      int slot = handles.add(exception, ObjectKind.EXCEPTION);
      IllegalArgumentException out = assertThrows(IllegalArgumentException.class,
          () -> handles.word(slot, ObjectKind.ARRAY));
      assertEquals("object handle " + slot + " of " + store + " holds an exception object, not an array",
          out.getMessage());
      assertEquals(exception, handles.word(slot, ObjectKind.EXCEPTION));
      int structSlot = handles.add(struct, ObjectKind.STRUCT);
      assertThrows(IllegalArgumentException.class, () -> handles.word(structSlot, ObjectKind.EXCEPTION));
    });
  }

  /** A header whose word 4 names no kind is a damaged heap, refused rather than read as an array or none. */
  @Test
  void aHeaderOfNoKindIsRefused() {
    withHandles(4, (store, handles) -> {
      long word = object(store, ObjectKind.STRUCT);
      MemorySegment.ofAddress(word).reinterpret(ObjectLayout.FIELDS).set(JAVA_INT, ObjectLayout.LENGTH, 0xC000_0000);
      IllegalStateException e = assertThrows(IllegalStateException.class, () -> store.objectKind(word));
      assertTrue(e.getMessage().contains("a header of no kind"), e.getMessage());
    });
  }

  /**
   * Issue 35: {@link ObjectHandles#holds}, asked for every exnref Java hands in, scanned every slot,
   * so a store holding n objects made each such argument cost n. It now compares a few words per
   * question, however many slots are in use: counted, at 4,000 and 16,000 handles.
   */
  @Test
  void whetherAWordIsHeldCostsTheSameAtAnyNumberOfHandles() {
    double small = wordsComparedPerQuestion(4_000);
    double large = wordsComparedPerQuestion(16_000);
    System.out.printf(java.util.Locale.ROOT, "ObjectHandles.holds: %.2f words compared per question at 4,000 handles,"
        + " %.2f at 16,000%n", small, large);
    assertTrue(small <= 4 && large <= 4, "words compared per question: " + small + " at 4,000 handles, " + large
        + " at 16,000");
  }

  /** The words {@link ObjectHandles#holds} compares per question, held and not held alike, with {@code n} slots in use. */
  private static double wordsComparedPerQuestion(int n) {
    double[] perQuestion = new double[1];
    withHandles(n, (store, handles) -> {
      long[] held = new long[n];
      long[] notHeld = new long[n];
      for (int i = 0; i < n; i++) {
        held[i] = object(store, ObjectKind.EXCEPTION);
        notHeld[i] = object(store, ObjectKind.EXCEPTION);
        handles.add(held[i], ObjectKind.EXCEPTION);
      }
      long before = handles.wordsCompared();
      for (int i = 0; i < n; i++) {
        assertTrue(handles.holds(held[i]));
        assertFalse(handles.holds(notHeld[i]));
      }
      perQuestion[0] = (double) (handles.wordsCompared() - before) / (2 * n);
    });
    return perQuestion[0];
  }
}
