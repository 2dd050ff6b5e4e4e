package dev.kiln.loader.runtime;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Which thread is using a {@link NativeStore} now. A store has one stack limit, one trap record and one
 * entry frame chain in its context (docs/ARCHITECTURE.md section 4), so only one thread may be
 * inside it at a time; two threads entering one store would share a stack limit and unwind to each
 * other's entry frames. The claim nests on the holding thread (wasm -> host -> wasm, or an
 * instantiation running a start function).
 *
 * <p><b>Two ways in.</b> The <em>general</em> way takes {@link #holder} with a compare-and-set, so
 * two threads arriving at once cannot both win. The <em>biased</em> way is for the thread that last
 * took the general way (the store's {@link Bias}, usually the only thread that ever uses the store):
 * it announces itself in its own record with a volatile write, then checks that no thread holds
 * {@link #holder} and that the bias is still its own, and goes in without any read-modify-write. A
 * compare-and-set costs about 6 ns on this project's x86-64 machine (a {@code lock cmpxchg}), a
 * volatile write 1-2 ns (a {@code mov} and a {@code lock addl} on the thread's own stack line), and
 * the bare downcall of an export 13-15 ns (issue 42, docs/PERFORMANCE.md).
 *
 * <p><b>Why the two ways exclude each other</b> (JLS 17.4: volatile reads and writes and the
 * compare-and-set are synchronization actions, in one total order consistent with each thread's
 * program order; a volatile read sees the last write before it in that order). The biased thread
 * T does W(b.state = ANNOUNCED), then R(holder) and R(bias); a general-way thread U does
 * CAS(holder: null -> U), then R(bias) and R(b.state). If T's R(holder) comes after U's
 * compare-and-set in the order, T sees U (or U's later release, which happens-after U's whole
 * claim) and backs off. Otherwise T's W(b.state) comes before U's R(b.state), so U sees T's
 * announcement (or T's later exit, which happens-after T's whole claim) and refuses, or, seeing
 * only an announcement, waits the few instructions until T has either gone in or backed off. This
 * is Dekker's mutual exclusion: each side writes its own word before reading the other's, and the
 * total order of volatile actions forbids both reads from missing both writes (the store-load
 * reordering that an x86 store buffer allows plain accesses; a volatile write is followed by a
 * full fence for exactly this). A bias is replaced ({@link #release}, by a general-way holder) only
 * after that holder saw the old record idle, and each bias is a new record, so T's check {@code
 * bias == b} after its announcement also sees any replacement: two biased threads never both
 * pass. {@link #holder}, {@link #bias} and {@link Bias#state} are the only words crossing threads;
 * {@link #holds} and {@link #biased} are read and written only by the thread inside, and hand over
 * with the claim (a release write of {@code holder} or {@code state} read by the next thread's
 * volatile read: release/acquire, as {@link VarHandle}'s access modes define them).
 *
 * <p>What it gives up: a general-way thread refused because the biased thread is inside holds {@link
 * #holder} for the few instructions of its check, and a biased thread leaving and coming back in
 * exactly then backs off and is refused too, so two threads using one store at once can both be
 * refused where the compare-and-set alone let one through. Two threads arriving at an idle store
 * still get exactly one in ({@code NativeStoreTest}), and never both.
 *
 * <p>Letting go is a release write in both ways, as for any lock: what follows it on the same thread
 * may move before it (into the claimed region), never the reverse; a volatile write would add a
 * full fence to every exit from wasm.
 *
 * <p><b>Confined.</b> A claim made {@linkplain #confinedTo for one thread} (as a confined {@code
 * Arena} is) has no ways in to order: its thread is fixed when it is made and never changes, so a
 * claim is a comparison of the current thread with it and a count, with no write another thread
 * reads and no fence (the biased way's announcement costs 1-2 ns of an export call's 15-20,
 * docs/PERFORMANCE.md). Every other thread gets a {@link WrongThreadException}, whatever the
 * owner is doing: the store is never used from two threads, not merely never at once. A confined
 * store's wasm entries do not count here at all ({@code StoreEntries#enter}): the store's depth,
 * which only the owner writes, is their claim, and {@link #holds} counts the other claims
 * (instantiation, closing, reads of GC objects, making room); {@code NativeStore} checks that depth
 * wherever it asks whether the owner is inside.
 *
 * <p><b>An owner that ended.</b> One exception, for closing only ({@link #acquireToClose}): once the
 * owner thread has terminated, another thread may take a confined claim to close the store, or the
 * store's native memory could never be freed (a confined {@code Arena} can then never be closed
 * either, but its memory is the JVM's to reclaim; a store's is not). This is safe because a
 * terminated thread runs nothing, wasm included, and everything it did happens-before another
 * thread's {@code isAlive()} answering false (JLS 17.4.4: a thread's final action synchronizes-with
 * the detection of its termination), so the closer sees {@link #holds} and the store as the owner
 * left them. One thread closes (a compare-and-set of {@link #closer}); every other operation from any
 * thread but the owner stays refused.
 *
 * <p><b>Taken to make room.</b> The engine's instance pool is shared by its stores, so another
 * store's refused instantiation may need this store's closed instances freed (an owner decision,
 * {@code NativeStore.decideOwnersForAnotherStore}). It takes the claim only if nobody holds it
 * ({@link #tryAcquireToMakeRoom}: never waiting, so two stores making room in each other cannot
 * deadlock), and while it holds it {@link #holder} is a {@link MakingRoom} record rather than a
 * thread: a thread that then wants the store waits until it is let go instead of being refused,
 * since the store's own user did nothing wrong. The biased thread sees a holder and falls back to
 * the general way, which waits; the waiting is bounded by one owner decision, which neither waits
 * for another claim nor runs wasm. Should the decision's thread fail to let it go (a {@code
 * StackOverflowError} at the frame of its release), it marks the record {@linkplain
 * MakingRoom#abandoned abandoned}, a field write, and the next thread to come takes the claim over:
 * that thread belongs to another store and may never come back to pay the release it owes.
 *
 * <p><b>A holder that ended.</b> A thread whose release overflowed owes it ({@link #owed}) until
 * its next claim; if it ends first (an uncaught {@code StackOverflowError}, a pool thread that never
 * touches the store again), the store would stay claimed by a dead thread for ever, unusable and
 * unclosable by anyone (red team 24 F2). So a thread that finds the holder, or the biased thread
 * inside, terminated takes its claim over as it stands: {@link #holds}, {@link #owed} and the
 * store's owed exits are the dead thread's, and the taker pays them before its own claim counts
 * (the exits at its entry or {@code exclusive}, which free what waited for the outermost exit), so
 * nothing the dead thread left half done is skipped. Safe for the reason a confined store's close
 * after its owner is: a terminated thread runs nothing, and its last action happens-before {@code
 * isAlive()} answering false (JLS 17.4.4), so the taker reads the fields as it left them; one
 * taker wins the compare-and-set of {@link #holder}.
 */
final class ThreadClaim {
  /** A thread allowed the biased way, and whether it is inside that way. */
  private static final class Bias {
    static final int IDLE = 0;
    /** Written before the checks: a general-way thread that sees it waits for the outcome. */
    static final int ANNOUNCED = 1;
    static final int INSIDE = 2;

    final Thread thread;
    /** Written only by {@link #thread}. */
    volatile int state;

    Bias(Thread thread) {
      this.thread = thread;
    }
  }

  private static final VarHandle STATE;
  private static final VarHandle HOLDER;

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Bias.class, "state", int.class);
      HOLDER = MethodHandles.lookup().findVarHandle(ThreadClaim.class, "holder", Object.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * What {@link #holder} holds while {@code thread} makes room for another store ({@link
   * #tryAcquireToMakeRoom}).
   */
  static final class MakingRoom {
    final Thread thread;
    /**
     * Set by the thread that took the claim to make room, in the frame that took it, once its
     * release threw having changed nothing (issue 35): every hold left is owed and that thread, a
     * user of another store, need never come back to pay them, so the next thread to want the
     * store takes the claim over instead of waiting for it for ever.
     */
    volatile boolean abandoned;

    MakingRoom(Thread thread) {
      this.thread = thread;
    }

    /** Whether {@code me} holds the claim through this record. */
    boolean heldBy(Thread me) {
      return thread == me && !abandoned;
    }
  }

  /** The only thread ever let in, for a {@linkplain #confinedTo confined} claim; null otherwise. */
  private final Thread owner;
  /** The thread closing a confined store after its owner ended ({@link #acquireToClose}), or null. */
  private final AtomicReference<Thread> closer = new AtomicReference<>();
  /** The thread inside by the general way, a {@link MakingRoom} of it, or null. */
  private volatile Object holder;
  /** The thread allowed the biased way; replaced only by a thread holding {@link #holder}. */
  private volatile Bias bias;
  private int holds;
  /** Whether the current claim came in the biased way (it then holds {@link #holder} null). */
  private boolean biased;
  /**
   * Releases the holding thread owes: a caller counts one here (a field write, which cannot
   * overflow) before it calls anything that lets go, and {@link #settleOwed} pays them. A {@code
   * StackOverflowError} at the frame of that call leaves the count standing instead of a claim
   * held for ever (issue 35); the thread pays it at its next claim or release, or, if it ends
   * first, the thread that takes its claim over (see "A holder that ended"). Read and written by
   * the holding thread only, like {@link #holds}.
   */
  int owed;

  /** A claim any thread may take, one thread at a time. */
  ThreadClaim() {
    this.owner = null;
  }

  private ThreadClaim(Thread owner) {
    this.owner = owner;
  }

  /**
   * A claim only {@code owner} ever takes: every other thread is refused, even while nobody holds
   * it. {@link #holds} is then read and written by {@code owner} alone, so needs no ordering.
   */
  static ThreadClaim confinedTo(Thread owner) {
    return new ThreadClaim(java.util.Objects.requireNonNull(owner, "owner"));
  }

  /**
   * Refuses the current thread if the claim is confined to another thread, alive or not (closing
   * alone is let through once the owner ended, {@link #requireOwnerToClose}); does nothing
   * otherwise. For a confined store's wasm entry, which its depth claims ({@code StoreEntries#enter}).
   *
   * @throws WrongThreadException naming the store, its thread and the current one
   */
  void requireOwner(Object store, String action) {
    Thread me = Thread.currentThread();
    if (owner != null && me != owner) {
      throw wrongThread(store, me, action, "");
    }
  }

  /**
   * Refuses the current thread if the claim is confined to another thread that is alive (see "An
   * owner that ended" above); does nothing otherwise. For what a closed store still answers without
   * a claim: a second close.
   *
   * @throws WrongThreadException naming the store, its thread and the current one
   */
  void requireOwnerToClose(Object store, String action) {
    Thread me = Thread.currentThread();
    if (owner != null && me != owner && owner.isAlive()) {
      throw wrongThread(store, me, action, "");
    }
  }

  /**
   * {@link #acquire(Object, String)} for closing the store: for a confined claim whose owner thread
   * has terminated, the current thread takes it if no other thread took it to close first.
   *
   * @throws WrongThreadException if the claim is confined to another thread that is alive
   * @throws IllegalStateException if another thread holds the claim, or is closing the store
   */
  void acquireToClose(Object store, String action) {
    Thread me = Thread.currentThread();
    if (owner == null || me == owner) {
      acquire(store, action);
      return;
    }
    if (owner.isAlive()) {
      throw wrongThread(store, me, action, "");
    }
    Thread current = closer.get();
    if (current == me || (current == null && closer.compareAndSet(null, me))) {
      holds++;
      return;
    }
    throw inUse(store, closer.get(), me, action, "");
  }

  private WrongThreadException wrongThread(Object store, Thread me, String action, Object subject) {
    String what = "".equals(subject) ? action : action + " " + subject;
    return new WrongThreadException(store + " is confined to thread \"" + owner.getName() + "\"; thread \""
        + me.getName() + "\" cannot " + what);
  }

  /**
   * Claims the store for the current thread, or nests a claim it already holds.
   *
   * @param store names the store in the message
   * @param action what the current thread wanted to do, for the message
   * @throws IllegalStateException if another thread holds the claim
   * @throws WrongThreadException if the claim is confined to another thread
   */
  void acquire(Object store, String action) {
    acquire(store, action, "");
  }

  /**
   * {@link #acquire(Object, String)} for the action {@code action}, a space and {@code subject}
   * (none if it is empty): the message is built only when another thread holds the store.
   */
  void acquire(Object store, String action, Object subject) {
    Thread me = Thread.currentThread();
    if (owner != null) {
      if (me != owner) {
        throw wrongThread(store, me, action, subject);
      }
      settleOwed();
      holds++;
      return;
    }
    Bias b = bias;
    if (b != null && b.thread == me) {
      if (b.state == Bias.INSIDE && owed > 0) {
        settleOwed();
      }
      if (b.state == Bias.INSIDE) {
        holds++;
        return;
      }
      b.state = Bias.ANNOUNCED;
      if (holder == null && bias == b) {
        try {
          STATE.setRelease(b, Bias.INSIDE);
        } catch (Throwable overflow) {
          b.state = Bias.IDLE; // a field write: no frame to overflow (issue 35)
          throw overflow;
        }
        holds = 1;
        owed = 0; // a holder that abandoned the store owed all it held (MakingRoom#abandoned)
        biased = true;
        return;
      }
      b.state = Bias.IDLE;
    }
    acquireGeneral(me, store, action, subject);
  }

  private void acquireGeneral(Thread me, Object store, String action, Object subject) {
    for (int waits = 0; ; ) {
      Object current = holder;
      if (current == me) {
        if (owed > 0) {
          settleOwed();
          continue;
        }
        holds++;
        return;
      }
      if (current instanceof MakingRoom room) {
        if (room.heldBy(me)) {
          holds++;
          return;
        }
        if (room.abandoned || !room.thread.isAlive()) {
          if (HOLDER.compareAndSet(this, room, me)) {
            // Its holder owed every hold it left: the claim is this thread's now, held by nothing.
            holds = 0;
            owed = 0;
            biased = false;
          }
          continue;
        }
        pause(waits++); // another store's owner decision: over without waiting for anything
        continue;
      }
      if (current != null) {
        if (((Thread) current).isAlive()) {
          throw inUse(store, (Thread) current, me, action, subject);
        }
        HOLDER.compareAndSet(this, current, me); // the dead holder's claim and debts, paid above
        continue;
      }
      if (HOLDER.compareAndSet(this, null, me)) {
        Thread biasedInside;
        try {
          biasedInside = biasedThreadInside();
          if (biasedInside != null && !biasedInside.isAlive()) {
            // Only field writes from here to the loop's next round, where its debts are paid.
            bias.state = Bias.IDLE;
            biased = false;
            continue;
          }
        } catch (Throwable overflow) {
          holder = null; // a field write: no frame to overflow (issue 35)
          throw overflow;
        }
        if (biasedInside != null) {
          holder = null;
          throw inUse(store, biasedInside, me, action, subject);
        }
        holds = 1;
        owed = 0;
        biased = false;
        return;
      }
    }
  }

  /**
   * Called holding {@link #holder}: waits out the biased thread's announcement (which lasts its two
   * reads, unless it is descheduled in between) and answers the biased thread if it is inside.
   */
  private Thread biasedThreadInside() {
    Bias b = bias;
    if (b == null) {
      return null;
    }
    int state;
    for (int spins = 0; (state = b.state) == Bias.ANNOUNCED; spins++) {
      pause(spins);
    }
    return state == Bias.INSIDE ? b.thread : null;
  }

  private static void pause(int spins) {
    if (spins < 64) {
      Thread.onSpinWait();
    } else {
      Thread.yield();
    }
  }

  /**
   * Claims the store for the current thread to free what another store's refused instantiation
   * needs, only if no live thread holds it, this thread included (a store this thread is inside may
   * be in the middle of something); never waits. A holder that ended, or a record {@linkplain
   * MakingRoom#abandoned abandoned}, is taken over as {@link #acquire} takes it over (see "A holder
   * that ended"), its debts paid first (issue 35: passed over, the store stayed held by the dead
   * thread until its own user came, and its closed instances kept the pool's slots). Threads
   * arriving meanwhile wait instead of being refused. A confined claim is taken only by its own
   * thread. Pair with {@link #release}, and if that throws, mark the record {@linkplain
   * MakingRoom#abandoned abandoned}; the caller pays the store's owed exits as every claim does.
   *
   * @return the record the claim is held by (for a confined claim, one no other thread sees), or
   *     null if the current thread did not get the claim
   */
  MakingRoom tryAcquireToMakeRoom() {
    Thread me = Thread.currentThread();
    MakingRoom room = new MakingRoom(me);
    if (owner != null) {
      if (me != owner || holds > 0) {
        return null;
      }
      holds = 1;
      owed = 0;
      return room;
    }
    if (heldByCurrentThread()) {
      return null;
    }
    for (;;) {
      Object current = holder;
      if (current == room) {
        // Taken over from a holder that ended: its debts first, as acquireGeneral pays them
        if (owed > 0) {
          try {
            settleOwed();
          } catch (Throwable overflow) {
            room.abandoned = true; // what is left is owed, for the next thread to take over
            throw overflow;
          }
          continue;
        }
        holds++;
        return room;
      }
      if (current instanceof MakingRoom other) {
        if (!other.abandoned && other.thread.isAlive()) {
          return null;
        }
        if (HOLDER.compareAndSet(this, other, room)) {
          // Its holder owed every hold it left: the claim is this record's now, held by nothing.
          holds = 0;
          owed = 0;
          biased = false;
        }
        continue;
      }
      if (current != null) {
        if (((Thread) current).isAlive()) {
          return null;
        }
        HOLDER.compareAndSet(this, current, room); // the dead holder's claim and debts, paid above
        continue;
      }
      if (!HOLDER.compareAndSet(this, null, room)) {
        return null;
      }
      // Written out as acquireGeneral's is, not shared through a method: a call between the
      // compare-and-set and this handler could overflow with the claim taken (issue 35)
      Thread biasedInside;
      try {
        biasedInside = biasedThreadInside();
        if (biasedInside != null && !biasedInside.isAlive()) {
          // Only field writes from here to the loop's next round, where its debts are paid.
          bias.state = Bias.IDLE;
          biased = false;
          continue;
        }
      } catch (Throwable overflow) {
        holder = null; // a field write: no frame to overflow (issue 35)
        throw overflow;
      }
      if (biasedInside != null) {
        holder = null;
        return null;
      }
      holds = 1;
      owed = 0;
      biased = false;
      return room;
    }
  }

  private static IllegalStateException inUse(Object store, Thread current, Thread me, String action, Object subject) {
    String what = "".equals(subject) ? action : action + " " + subject;
    return new IllegalStateException(store + " is in use by thread \"" + current.getName() + "\"; thread \""
        + me.getName() + "\" cannot " + what + " (a store runs on one thread at a time)");
  }

  /**
   * Whether the current thread is inside, either way: it holds {@link #holder}, or its bias record
   * says it is inside (a state only its own thread writes, so the read is of its own write).
   */
  boolean heldByCurrentThread() {
    Thread me = Thread.currentThread();
    if (owner != null) {
      return (me == owner || me == closer.get()) && holds > 0;
    }
    Bias b = bias;
    return holdsGeneral(holder, me) || (b != null && b.thread == me && b.state == Bias.INSIDE);
  }

  /** Whether {@code current}, the value of {@link #holder}, is {@code me}'s, either kind. */
  private static boolean holdsGeneral(Object current, Thread me) {
    return current == me || (current instanceof MakingRoom room && room.heldBy(me));
  }

  /**
   * Pays the releases {@link #owed}: each is {@link #release}, which either completes or throws
   * having changed nothing, so an overflow here leaves the rest owed. Once a release hands the
   * store over, {@link #owed} belongs to the next holder and is not read again: read after the
   * hand-over, it could be that holder's own debt, and paying it released a claim this thread no
   * longer held (a "not claimed" failure in CI, 2026-11-25).
   */
  void settleOwed() {
    while (owed > 0 && release(true)) {
      // each round pays one
    }
  }

  /**
   * Ends the current thread's innermost claim; the outermost one hands the store back. A claim of
   * the general way leaves the bias with its thread, so that its next claim takes the biased way.
   * Either it completes or it throws having changed nothing: once it has counted the claim down,
   * what could overflow has a fallback that makes no call (issue 35).
   */
  void release() {
    release(false);
  }

  /**
   * {@link #release()}, paying one of the releases {@link #owed} if {@code paysDebt}: the debt is
   * counted down with the claim, before the outermost release hands the store over. Counted after
   * it, the next holder could see the debt still standing and pay it out of its own claim, after
   * which its own release found nothing held ("not claimed") and the store stayed unusable.
   *
   * @return whether the current thread still holds the claim (false: it handed the store over)
   */
  private boolean release(boolean paysDebt) {
    Thread me = Thread.currentThread();
    if (owner != null) {
      if ((me != owner && me != closer.get()) || holds == 0) {
        throw notClaimed(me);
      }
      holds--;
      owed -= paysDebt ? 1 : 0;
      return holds > 0;
    }
    Bias b = bias;
    Object current = holder;
    // The biased way holds `bias` unchanged until it lets go (a replacement needs it idle). The
    // general way's test is holdsGeneral's, written out: a release starts no deeper than the claim
    // it ends (red team 24 F2: the call made the release chain a frame deeper than the acquire).
    boolean mine = biased ? b.thread == me
        : current == me || (current instanceof MakingRoom room && room.thread == me && !room.abandoned);
    if (holds == 0 || !mine) {
      throw notClaimed(me);
    }
    owed -= paysDebt ? 1 : 0;
    if (--holds > 0) {
      return true;
    }
    if (biased) {
      try {
        STATE.setRelease(b, Bias.IDLE);
      } catch (Throwable overflow) {
        b.state = Bias.IDLE; // a volatile write: a fence more, but no frame
      }
      return false;
    }
    try {
      // Making room leaves the bias with the store's own thread.
      if (!(current instanceof MakingRoom) && (b == null || b.thread != me)) {
        bias = new Bias(me); // skipped by an overflow in the constructor: the bias is a hint
      }
      HOLDER.setRelease(this, null);
    } catch (Throwable overflow) {
      holder = null;
    }
    return false;
  }

  private static IllegalStateException notClaimed(Thread me) {
    return new IllegalStateException("the store is not claimed by thread \"" + me.getName() + "\"");
  }
}
