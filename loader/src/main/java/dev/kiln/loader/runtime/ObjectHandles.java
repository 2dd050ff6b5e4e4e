package dev.kiln.loader.runtime;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongUnaryOperator;

/**
 * The words of one store's GC objects (structs and arrays, WebAssembly 3.0 spec 2.3.3) that Java
 * holds: Java gets a slot number, never the word, and hands the slot back to pass the object in
 * again. The table is the only place outside the heap where such a word lives, so it is a root set:
 * a collector that moves objects walks it with {@link #relocate} and updates each word in place.
 *
 * <p>A guest can make the host hold objects without bound (every result of a function returning a
 * fresh struct becomes a handle), so the table holds at most {@link #limit()} slots at once: the
 * next one is refused with {@link ResourceLimitException}. A slot is freed when its Java holder
 * becomes unreachable ({@link #release}, from any thread: the slot is queued and reused by the next
 * {@link #add}, under this object's monitor).
 */
public final class ObjectHandles {
  private final NativeStore store;
  private final int limit;
  /** The word of each slot; 0 marks a free slot (no object's word is 0). */
  private long[] words = new long[16];
  /** Free slots below {@link #highWater}, as a stack. */
  private int[] free = new int[16];
  private int freeCount;
  /** Slots ever used: those at or above it are free too. */
  private int highWater;
  private int live;
  /** Slots whose holders became unreachable, queued by the cleaner thread. */
  private final ConcurrentLinkedQueue<Integer> released = new ConcurrentLinkedQueue<>();

  /**
   * @param store the store whose objects the slots hold
   * @param limit the most slots held at once
   */
  public ObjectHandles(NativeStore store, int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("an object handle limit must be >= 0, not " + limit);
    }
    this.store = store;
    this.limit = limit;
  }

  /** The most slots this table holds at once. */
  public int limit() {
    return limit;
  }

  /**
   * A slot holding {@code word}, a struct, array or exception object of the store's heap, read under
   * the claim the current thread holds ({@link NativeStore#requireClaim}: a collection cannot come
   * between the read and this).
   *
   * @throws ResourceLimitException if {@link #limit()} slots are in use
   * @throws IllegalStateException if the current thread does not hold the store's claim
   */
  public synchronized int add(long word) {
    store.requireClaim("hold an object");
    if (word == 0) {
      throw new IllegalArgumentException("null is not an object");
    }
    drainReleased();
    if (live >= limit) {
      throw new ResourceLimitException(store + " holds " + live + " object handles, its limit: drop references to"
          + " struct and array results Java keeps, or raise the limit (Store.Builder.maxObjectHandles)");
    }
    int slot;
    if (freeCount > 0) {
      slot = free[--freeCount];
    } else {
      slot = highWater++;
      if (slot == words.length) {
        words = Arrays.copyOf(words, Math.min(Integer.MAX_VALUE - 8, words.length * 2));
      }
    }
    words[slot] = word;
    live++;
    return slot;
  }

  /**
   * The word in {@code slot}, current while the claim the current thread holds lasts: the caller
   * hands it to the store under that claim.
   *
   * @throws IllegalStateException if the slot is free (its holder was released), or the current
   *     thread does not hold the store's claim
   */
  public synchronized long word(int slot) {
    store.requireClaim("give an object back");
    long word = slot >= 0 && slot < highWater ? words[slot] : 0;
    if (word == 0) {
      throw new IllegalStateException("object handle " + slot + " of " + store + " is not in use");
    }
    return word;
  }

  /**
   * Whether two slots in use name the same object: both words read at once, under the monitor a
   * collector's {@link #relocate} holds, so no move comes between them, and neither leaves this
   * table (no claim needed, unlike {@link #word}).
   *
   * @throws IllegalStateException if a slot is free
   */
  public synchronized boolean sameObject(int slot, int other) {
    long word = slot >= 0 && slot < highWater ? words[slot] : 0;
    long otherWord = other >= 0 && other < highWater ? words[other] : 0;
    if (word == 0 || otherWord == 0) {
      throw new IllegalStateException("object handle " + (word == 0 ? slot : other) + " of " + store + " is not in use");
    }
    return word == otherWord;
  }

  /** Frees {@code slot} at the next {@link #add}: safe from any thread (a {@link java.lang.ref.Cleaner}'s). */
  public void release(int slot) {
    released.add(slot);
  }

  /** Whether a slot in use holds {@code word} now (a scan of the slots: a check of what Java hands in). */
  public synchronized boolean holds(long word) {
    drainReleased();
    for (int slot = 0; slot < highWater; slot++) {
      if (words[slot] == word && word != 0) {
        return true;
      }
    }
    return false;
  }

  /** Slots in use now. */
  public synchronized int size() {
    drainReleased();
    return live;
  }

  /**
   * Replaces every word in use by {@code relocation} of it, for a collector that moved the objects:
   * the handles Java holds keep naming the same objects. The store must not run wasm meanwhile.
   */
  public synchronized void relocate(LongUnaryOperator relocation) {
    // a released slot is no root: its object may already be garbage
    drainReleased();
    for (int slot = 0; slot < highWater; slot++) {
      if (words[slot] != 0) {
        long moved = relocation.applyAsLong(words[slot]);
        if (moved == 0) {
          throw new IllegalArgumentException("a live object handle cannot become null");
        }
        words[slot] = moved;
      }
    }
  }

  private void drainReleased() {
    for (Integer slot = released.poll(); slot != null; slot = released.poll()) {
      if (words[slot] != 0) {
        words[slot] = 0;
        live--;
        if (freeCount == free.length) {
          free = Arrays.copyOf(free, free.length * 2);
        }
        free[freeCount++] = slot;
      }
    }
  }
}
