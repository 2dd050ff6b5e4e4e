package dev.kiln.loader.runtime;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.exec.Executor;
import java.util.function.Supplier;

/**
 * How a {@link NativeStore} is entered and left: its {@link ThreadClaim} taken and let go for wasm
 * entries and for exclusive use from Java ({@link NativeStore#exclusive}), and the entry state word
 * beside it, which counts the wasm entries on the claiming thread's stack and flags what their
 * outermost exit must do (free what waits for it, collect under GC stress) and whether the store
 * is closed or its GC heap damaged. A store confined to a thread claims it by that count alone; a
 * store of any thread by the claim as well. It owns that word, and the exits owed, because nothing
 * else writes them: an export call's entry and exit read and write this object alone ({@link
 * DirectEntry} holds it), and the store asks it for the depth, to mark itself closed and to free
 * what waits for an exit, and the heap to mark a collection under way ({@link #heapMoving}). The
 * store keeps the claim too, for its own close, a handle's close and making room.
 *
 * <p><b>Overflow.</b> A {@code StackOverflowError} (or any throwable) may arrive at the frame of
 * any call (issue 35). The frame that takes a claim or makes an entry is the frame whose handler
 * lets it go, with no call between; an exit or release is counted as owed ({@link #exitsOwed},
 * {@link ThreadClaim#owed}) by a field write before the call that makes it, and the thread pays
 * what it owes at its next claim, entry, exit or close; and the entry itself is made by the last
 * write of a path that otherwise throws having changed nothing.
 */
final class StoreEntries {
  // The entry state word, `state`: everything an export call reads and writes of the store's own,
  // in one long, so that the outermost entry of a confined store's thread is one read compared with
  // one value and one write, and its exit one read and one write (issue 42). Bits 0-31 count the
  // wasm entries on the claiming thread's stack; the bits above are flags.
  /** One wasm entry more on the claiming thread's stack. */
  private static final long ENTRY = 1;
  private static final long DEPTH_MASK = 0xFFFF_FFFFL;
  private static final int FLOOR_SHIFT = 32;
  /**
   * The target whose executor the context's stack floor was placed for, plus one (0: none), in a
   * confined store whose thread is a platform thread: its stack never changes, and the store has
   * one executor per target ({@link StoreExecutors}), so the pair the floor depends on is known
   * from the target alone. Always 0 in a store of any thread ({@link StackFloor} checks the thread).
   */
  private static final long FLOOR_MASK = 0xFL << FLOOR_SHIFT;
  /** {@link #lifetimes} keeps frees for the outermost exit. */
  private static final long FREES_AFTER_EXIT = 1L << 40;
  /** {@link GcStress#COLLECT_ON_RELEASE_PROPERTY}: collect each time the outermost claim is let go. */
  private static final long COLLECT_ON_RELEASE = 1L << 41;
  /** {@link NativeStore#close()} has run (as {@link #closed}, which other threads read). */
  private static final long CLOSED = 1L << 42;
  /** Not confined: every entry and exit takes the claim's own way, so never the one-word path. */
  private static final long SHARED = 1L << 43;
  /**
   * A collection of the store's GC heap has begun moving objects and not finished ({@link
   * #heapMoving}): set before the first root is relocated and cleared once the context names the
   * copies, so one that any throwable stopped leaves it set, and every entry is refused for the
   * store's life (issue 35). Beside {@link #CLOSED}, so a confined store's entry still compares
   * one word.
   */
  private static final long HEAP_DAMAGED = 1L << 44;

  private final NativeStore store;
  private final ThreadClaim claim;
  /**
   * The only thread that may claim the store, or null for a store any thread may use one at a
   * time. A confined store's wasm entries claim it by {@link #state}'s depth alone ({@link #enter}),
   * not by the claim's count: its thread holds it while either is above 0.
   */
  private final Thread confinedTo;
  private final StackFloor stackFloor;
  /** {@link StoreLimits#maxHostCallDepth} of the store's limits, read by every nested entry. */
  private final int maxHostCallDepth;
  private final StoreLifetimes lifetimes;
  private final StoreGcAccess gcAccess;
  /**
   * {@link GcStress#COLLECT_ON_RELEASE_PROPERTY}, read after the claim is let go; {@link
   * #COLLECT_ON_RELEASE} in {@link #state} is the same, for the confined exit's one test.
   */
  private final boolean collectOnClaimRelease = GcStress.collectOnClaimRelease();
  /**
   * The wasm entries on the claiming thread's stack, the floor's target, pending frees, GC stress,
   * closed and a damaged heap ({@link #ENTRY} and the flags beside it); read and written by the
   * claiming thread only. The exit reads this word, which its {@link DirectEntry} holds, not the
   * list of lifetimes two references away: its loads start only once the downcall's return to Java
   * has fenced (issue 42).
   */
  private long state;
  /**
   * Exits counted by their callers and not yet made ({@link #makeOwedExits}); read and written by the
   * claiming thread only, like {@link #state}.
   */
  int exitsOwed;
  /** Whether {@link NativeStore#close()} has run, for any thread; the claiming thread reads {@link #state}. */
  volatile boolean closed;

  StoreEntries(NativeStore store, ThreadClaim claim, Thread confinedTo, StackFloor stackFloor, int maxHostCallDepth,
      StoreLifetimes lifetimes, StoreGcAccess gcAccess) {
    this.store = store;
    this.claim = claim;
    this.confinedTo = confinedTo;
    this.stackFloor = stackFloor;
    this.maxHostCallDepth = maxHostCallDepth;
    this.lifetimes = lifetimes;
    this.gcAccess = gcAccess;
    this.state = (collectOnClaimRelease ? COLLECT_ON_RELEASE : 0) | (confinedTo == null ? SHARED : 0);
  }

  /**
   * Claims the store for an entry on the current thread into code {@code executor} runs; pair with
   * {@link #exit()}. The outermost entry sets the stack floor from this thread's stack.
   *
   * @throws IllegalStateException if another thread is using the store, or it is closed, or a
   *     collection left its GC heap damaged
   * @throws TrapException with {@code HOST_CALL_DEPTH_EXCEEDED} if this entry, made from a host function,
   *     would nest deeper than {@link StoreLimits#maxHostCallDepth}: the compiled code's stack
   *     check sees only wasm frames, and the Java frames of each level (about 10 KiB a level on the
   *     emulator, which runs wasm on a stack of its own) would otherwise end in a Java {@code
   *     StackOverflowError}
   */
  void enter(Executor executor) {
    enter(executor, idleState(executor));
  }

  /**
   * The {@link #state} of a confined store when nothing runs in it, nothing waits for the outermost
   * exit and its stack floor is placed for code {@code executor} runs: what {@link #enter(Executor,
   * long)} compares the word with (a {@link DirectEntry} works it out once).
   */
  static long idleState(Executor executor) {
    return (long) (executor.target().ordinal() + 1) << FLOOR_SHIFT;
  }

  /**
   * {@link #enter(Executor)} for a caller that knows {@link #idleState} of its executor. The
   * outermost entry of a confined store's thread, with the floor in place and nothing pending, is
   * a comparison of the thread and one of {@link #state}, and one write: no fence, no count of the
   * claim's (the depth is it), no floor lookup. Everything else takes {@link #enterClaimed}.
   */
  void enter(Executor executor, long idle) {
    Thread confined = confinedTo;
    if (confined == null) {
      // A store of any thread first, on its own path: its claim's way in is the cost, and one test
      // of a final field keeps the confined word's checks off it (issue 42). The claim is taken in
      // the frame whose handler lets it go, with no call between: an overflow at the frame of any
      // call after it is caught there (issue 35).
      claim.acquire(store, "run wasm in it");
      try {
        enterClaimed(executor);
      } catch (Throwable refused) {
        claim.owed++; // a field write before any call (ThreadClaim#owed)
        releaseEntryClaim();
        throw refused;
      }
      return;
    }
    if (Thread.currentThread() == confined && state == idle) {
      state = idle + ENTRY;
      return;
    }
    claim.requireOwner(store, "run wasm in it");
    try {
      enterClaimed(executor);
    } catch (Throwable refused) {
      collectIfStressed();
      throw refused;
    }
  }

  /**
   * The entry once the current thread holds the store: closed, depth and floor by {@link #state}.
   * Makes the entry with its last write, so throws having made none (a {@code StackOverflowError}
   * too: placing the floor makes calls, issue 35).
   */
  private void enterClaimed(Executor executor) {
    payOwedExits();
    // Under the claim: close() sets CLOSED holding it, which orders the write before this read as
    // any claim orders what its holders do (ThreadClaim).
    long s = state;
    if ((s & (CLOSED | HEAP_DAMAGED)) != 0) {
      throw (s & CLOSED) != 0 ? store.closedException() : store.heapDamagedException();
    }
    long depth = s & DEPTH_MASK;
    if (depth == 0) {
      // The outermost entry (an export call from Java): no depth to check, a floor to place.
      stackFloor.place(executor);
      long floor = confinedTo != null && !confinedTo.isVirtual() ? idleState(executor) : 0;
      state = (s & ~FLOOR_MASK) + floor + ENTRY;
      return;
    }
    if (depth > maxHostCallDepth) {
      throw new TrapException(TrapCode.HOST_CALL_DEPTH_EXCEEDED, 0, new long[0]);
    }
    state = s + ENTRY;
  }

  /** Makes the exits an overflow left owed ({@link #makeOwedExits}), if any; the current thread holds the store. */
  void payOwedExits() {
    if (exitsOwed > 0) {
      makeOwedExits();
    }
  }

  /** Ends one entry: {@link #makeOwedExits} for a caller with no overflow to fear. */
  void exit() {
    exitsOwed++;
    makeOwedExits();
  }

  /**
   * Ends the entries {@link #exitsOwed} counts: the caller counts its own there first ({@code
   * entries.exitsOwed++; entries.makeOwedExits();}), a field write that cannot overflow, so that a {@code
   * StackOverflowError} at the frame of this call leaves the exit owed rather than the depth raised
   * for good (issue 35); the next exit, entry or close pays it. A confined store's outermost exit
   * with nothing to free or collect is then two reads and two writes: its thread's claim ends with
   * the depth.
   */
  void makeOwedExits() {
    int exits = exitsOwed;
    long s = state - exits * ENTRY;
    exitsOwed = 0;
    state = s;
    if ((s & ~FLOOR_MASK) != 0) {
      if (confinedTo == null) {
        claim.owed += exits; // before any call: an overflow below leaves them owed, not held (ThreadClaim#owed)
      }
      exitSlowly(s);
    }
  }

  private void exitSlowly(long s) {
    try {
      // Only with room for a free (ThreadStack.STEP, as every other free has): an exit is as deep as
      // its entry, which a direct call does not check, and a check inside the free (an arena's
      // close, a module's unmap) could otherwise refuse half way through a step. Without room the
      // frees wait, flagged, for the next exit, close or collection (issue 35).
      if ((s & (DEPTH_MASK | FREES_AFTER_EXIT)) == FREES_AFTER_EXIT
          && dev.kiln.loader.sys.ThreadStack.remaining() >= dev.kiln.loader.sys.ThreadStack.STEP) {
        lifetimes.freeQueued();
        state &= ~FREES_AFTER_EXIT; // not before: what a failed free left is tried again at the next exit
      }
    } finally {
      releaseEntryClaim();
    }
  }

  /**
   * Lets go of the claim of an entry, counted as owed before the call: the claim's own in a store of
   * any thread, the depth's in a confined one.
   */
  private void releaseEntryClaim() {
    if (confinedTo == null) {
      claim.settleOwed();
    }
    collectIfStressed();
  }

  /**
   * Lets go of the current thread's innermost claim, counted as owed before the call ({@link
   * GcStress#COLLECT_ON_RELEASE_PROPERTY}).
   */
  private void releaseClaim() {
    claim.settleOwed();
    collectIfStressed();
  }

  /** {@link #collectAsAnotherThreadMight} if the store is under GC stress and the thread let go of it. */
  private void collectIfStressed() {
    if (collectOnClaimRelease && !claimedByCurrentThread() && !closed) {
      collectAsAnotherThreadMight();
    }
  }

  /**
   * Whether the current thread holds the store: by the claim's count, or, in a confined store, by
   * wasm entries of its thread ({@link #enter}). The depth is read only once the store is known to
   * be confined to this thread, which alone writes it.
   */
  boolean claimedByCurrentThread() {
    return claim.heldByCurrentThread() || (confinedTo == Thread.currentThread() && (state & DEPTH_MASK) > 0);
  }

  /**
   * The collection another thread could make the moment this one let go of the store: claimed
   * again, and let go without {@link #releaseClaim} (which would collect once more). Skipped when
   * another thread took the claim meanwhile, which is then the one that may collect.
   */
  private void collectAsAnotherThreadMight() {
    try {
      claim.acquire(store, "collect its garbage (GC stress)");
    } catch (IllegalStateException taken) {
      return;
    }
    try {
      gcAccess.collectForStress();
    } finally {
      claim.owed++; // before any call: an overflow in the release leaves it owed, not held (issue 35)
      claim.settleOwed();
    }
  }

  /**
   * {@link NativeStore#exclusive(String, Object, Supplier)}: {@code body} with the store claimed for
   * the current thread, what the thread owes paid first, the claim let go by its owed count.
   */
  <T> T exclusive(String action, Object subject, Supplier<T> body) {
    claim.acquire(store, action, subject);
    try {
      payOwedExits(); // what an overflow left this thread owing, as at every claim (issue 35)
      store.checkNotClosed();
      return body.get();
    } finally {
      claim.owed++; // before any call: an overflow in the release leaves it owed, not held (issue 35)
      releaseClaim();
    }
  }

  /** Wasm entries on the claiming thread's stack; for that thread only. */
  int depth() {
    return (int) (state & DEPTH_MASK);
  }

  /** Whether wasm of the store is on the claiming thread's stack; for that thread only. */
  boolean wasmOnStack() {
    return (state & DEPTH_MASK) > 0;
  }

  /**
   * Closes the store to everything, for every thread ({@link #closed}) and for the claiming thread's
   * entries ({@link #state}); under the claim, as {@link NativeStore#close()} runs. Two field writes
   * with no call between, as they were in the close.
   */
  void markClosed() {
    closed = true;
    state |= CLOSED;
  }

  /**
   * A collection of the store's GC heap is about to move objects ({@link GcHeap}): from its first
   * relocated root until {@link #heapSettled}, the heap's words name two semispaces at once, so
   * no entry may run code over it. A field write: called by the claiming thread, whose collection
   * runs under the claim.
   */
  void heapMoving() {
    state |= HEAP_DAMAGED;
  }

  /** The collection {@link #heapMoving} announced left the heap consistent: entries are let in again. */
  void heapSettled() {
    state &= ~HEAP_DAMAGED;
  }

  /**
   * Refuses to go on running wasm of the store once a collection left its heap damaged ({@link
   * #HEAP_DAMAGED}); a read of the entry word, by the claiming thread (a host function's return
   * into its wasm caller).
   *
   * @throws IllegalStateException naming the store and the collection's failure
   */
  void requireHeapIntact() {
    if ((state & HEAP_DAMAGED) != 0) {
      throw store.heapDamagedException();
    }
  }

  /**
   * If wasm of the store is on the stack, flags the objects queued to free for the outermost exit
   * (what the code on the stack runs may be theirs) and returns true; else false, to free them now.
   * One read and one write with no call between.
   */
  boolean deferFreesToOutermostExit() {
    if ((state & DEPTH_MASK) > 0) {
      state |= FREES_AFTER_EXIT;
      return true;
    }
    return false;
  }

  /** The store closes, freeing everything itself: nothing waits for an exit. */
  void clearFreesForExit() {
    state &= ~FREES_AFTER_EXIT;
  }

  /**
   * Frees the objects queued to free ({@link StoreLifetimes#freeQueued}), under the claim with no
   * wasm of the store on the stack. Flagged for the outermost exit until the queue is empty, so a
   * free an overflow interrupted is finished there if nothing frees sooner (issue 35).
   */
  void freeQueued() {
    state |= FREES_AFTER_EXIT;
    lifetimes.freeQueued();
    if (!lifetimes.freesQueued()) {
      state &= ~FREES_AFTER_EXIT;
    }
  }
}
