package dev.kiln.loader.runtime;

import dev.kiln.loader.sys.TableArrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.LongUnaryOperator;

/**
 * The words of one store's GC objects (structs and arrays, WebAssembly 3.0 spec 2.3.3, and exception
 * objects, 2.3.4) that Java holds: Java gets a slot number, never the word, and hands the slot back
 * to pass the object in again. The table is the only place outside the heap where such a word lives,
 * so it is a root set: a collector that moves objects walks it with {@link #relocate} and updates
 * each word in place.
 *
 * <p>Each slot records its object's kind, checked against the header when the slot is made ({@link
 * #add}) and against what the caller expects when the word is read back ({@link #word}): an
 * exception object's slot never gives its word where a struct or array is expected, nor the other
 * way round, whatever handle (an {@code AnyRef}, an {@code ExnRef}) names the slot.
 *
 * <p>A guest can make the host hold objects without bound (every result of a function returning a
 * fresh struct becomes a handle), so the table holds at most {@link #limit()} slots at once: the
 * next one is refused with {@link ResourceLimitException}. A slot is freed when its Java holder
 * becomes unreachable ({@link #release}, from any thread: the slot is queued and reused by the next
 * {@link #add}, under this object's monitor). Whether a word is held ({@link #holds}, asked for every
 * exnref Java hands in) is one lookup in an index of the words in use ({@link WordCounts}), not a
 * scan of the slots, so a store holding many objects does not make each call slow.
 */
public final class ObjectHandles {
  private final NativeStore store;
  private final int limit;
  private final TableArrays arrays;
  /** The word of each slot; 0 marks a free slot (no object's word is 0). */
  private long[] words = new long[16];
  /** The kind of each slot's object ({@link NativeStore.ObjectKind}'s ordinal). */
  private byte[] kinds = new byte[16];
  /** How many slots in use hold each word. */
  private final WordCounts held;
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
    this(store, limit, TableArrays.HEAP);
  }

  /** A table whose growth allocates its arrays from {@code arrays} (a test's, to fail on cue). */
  ObjectHandles(NativeStore store, int limit, TableArrays arrays) {
    if (limit < 0) {
      throw new IllegalArgumentException("an object handle limit must be >= 0, not " + limit);
    }
    this.store = store;
    this.limit = limit;
    this.arrays = arrays;
    this.held = new WordCounts(arrays);
  }

  /** The most slots this table holds at once. */
  public int limit() {
    return limit;
  }

  /**
   * A slot holding {@code word}, a {@code kind} object of the store's heap, read under the claim the
   * current thread holds ({@link NativeStore#requireClaim}: a collection cannot come between the
   * read and this). The header is read again here: a word whose object is of another kind (an
   * exception where a struct or array is meant) is refused, not held under the wrong name.
   *
   * @throws IllegalArgumentException if {@code word} is not an object of that kind in the store's heap
   * @throws ResourceLimitException if {@link #limit()} slots are in use
   * @throws IllegalStateException if the current thread does not hold the store's claim
   */
  public int add(long word, NativeStore.ObjectKind kind) {
    store.requireClaim("hold an object");
    if (word == 0) {
      throw new IllegalArgumentException("null is not an object");
    }
    // read outside this monitor: the store's lock is taken before this one elsewhere (holds)
    NativeStore.ObjectKind actual = store.objectKindOfWordFromJava(word);
    if (actual != kind || kind == NativeStore.ObjectKind.NONE) {
      throw new IllegalArgumentException(describe(actual) + " of " + store + " cannot be held as " + describe(kind));
    }
    return addChecked(word, kind);
  }

  private synchronized int addChecked(long word, NativeStore.ObjectKind kind) {
    drainReleased();
    if (live >= limit) {
      throw new ResourceLimitException(store + " holds " + live + " object handles, its limit: drop the references"
          + " Java keeps to structs, arrays and exceptions from wasm, or raise the limit"
          + " (Store.Builder.maxObjectHandles)");
    }
    // Every allocation before the first write: an OutOfMemoryError at any of them (the arrays' or
    // the index's growth) leaves the table as it was (red team 24 F3: highWater raised before the
    // copies indexed every later handle past the arrays).
    if (freeCount == 0 && highWater == words.length) {
      int length = Math.min(Integer.MAX_VALUE - 8, words.length * 2);
      long[] grownWords = arrays.longs(length);
      byte[] grownKinds = arrays.bytes(length);
      System.arraycopy(words, 0, grownWords, 0, highWater);
      System.arraycopy(kinds, 0, grownKinds, 0, highWater);
      words = grownWords;
      kinds = grownKinds;
    }
    held.add(word); // throws having changed nothing (WordCounts.grow)
    int slot = freeCount > 0 ? free[--freeCount] : highWater++;
    words[slot] = word;
    kinds[slot] = (byte) kind.ordinal();
    live++;
    return slot;
  }

  /**
   * The word in {@code slot}, a {@code kind} object, current while the claim the current thread
   * holds lasts: the caller hands it to the store under that claim.
   *
   * @throws IllegalArgumentException if the slot holds an object of another kind
   * @throws IllegalStateException if the slot is free (its holder was released), or the current
   *     thread does not hold the store's claim
   */
  public synchronized long word(int slot, NativeStore.ObjectKind kind) {
    store.requireClaim("give an object back");
    long word = slot >= 0 && slot < highWater ? words[slot] : 0;
    if (word == 0) {
      throw new IllegalStateException("object handle " + slot + " of " + store + " is not in use");
    }
    NativeStore.ObjectKind holds = NativeStore.ObjectKind.values()[kinds[slot]];
    if (holds != kind) {
      throw new IllegalArgumentException("object handle " + slot + " of " + store + " holds " + describe(holds)
          + ", not " + describe(kind));
    }
    return word;
  }

  /** {@code kind} in a message: "a struct", "an exception object". */
  private static String describe(NativeStore.ObjectKind kind) {
    return switch (kind) {
      case NONE -> "a word that is no object";
      case STRUCT -> "a struct";
      case ARRAY -> "an array";
      case EXCEPTION -> "an exception object";
    };
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

  /**
   * Whether a slot in use holds {@code word} now (a check of what Java hands in): one lookup, whatever
   * the slots in use. A slot released but not yet freed (by the next {@link #add}, {@link #size} or
   * {@link #relocate}) still counts: its object has not moved nor died, since only a collection's
   * {@link #relocate} could free or move it. A host function's result may be the handle of one of
   * its own arguments, whose slot the call's end released just before the result is checked.
   */
  public synchronized boolean holds(long word) {
    return held.contains(word);
  }

  /** The words {@link #holds} has compared so far (its work, which a test counts). */
  synchronized long wordsCompared() {
    return held.probes();
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
    held.clear();
    for (int slot = 0; slot < highWater; slot++) {
      if (words[slot] != 0) {
        long moved = relocation.applyAsLong(words[slot]);
        if (moved == 0) {
          throw new IllegalArgumentException("a live object handle cannot become null");
        }
        words[slot] = moved;
        held.add(moved);
      }
    }
  }

  /**
   * Frees the released slots. The free list grows before a slot is taken off the queue: grown after,
   * an {@code OutOfMemoryError} lost the slot, emptied but on no list (red team 24 F3's pattern).
   */
  private void drainReleased() {
    while (!released.isEmpty()) {
      if (freeCount == free.length) {
        int[] grown = arrays.ints(free.length * 2);
        System.arraycopy(free, 0, grown, 0, freeCount);
        free = grown;
      }
      int slot = released.poll();
      if (words[slot] != 0) {
        held.remove(words[slot]);
        words[slot] = 0;
        live--;
        free[freeCount++] = slot;
      }
    }
  }
}
