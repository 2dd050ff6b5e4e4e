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
 * store's wasm entries do not count here at all ({@code NativeStore#enter}): the store's depth,
 * which only the owner writes, is their claim, and {@link #holds} counts the other claims
 * (instantiation, closing, reads of GC objects).
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

  static {
    try {
      STATE = MethodHandles.lookup().findVarHandle(Bias.class, "state", int.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /** The only thread ever let in, for a {@linkplain #confinedTo confined} claim; null otherwise. */
  private final Thread owner;
  /** The thread inside by the general way, or null. */
  private final AtomicReference<Thread> holder = new AtomicReference<>();
  /** The thread allowed the biased way; replaced only by a thread holding {@link #holder}. */
  private volatile Bias bias;
  private int holds;
  /** Whether the current claim came in the biased way (it then holds {@link #holder} null). */
  private boolean biased;

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
   * Refuses the current thread if the claim is confined to another one; does nothing otherwise
   * (for what a closed store still answers without a claim, e.g. a second close).
   *
   * @throws WrongThreadException naming the store, its thread and the current one
   */
  void requireOwner(Object store, String action, Object subject) {
    Thread me = Thread.currentThread();
    if (owner != null && me != owner) {
      throw wrongThread(store, me, action, subject);
    }
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
      holds++;
      return;
    }
    Bias b = bias;
    if (b != null && b.thread == me) {
      if (b.state == Bias.INSIDE) {
        holds++;
        return;
      }
      b.state = Bias.ANNOUNCED;
      if (holder.get() == null && bias == b) {
        STATE.setRelease(b, Bias.INSIDE);
        holds = 1;
        biased = true;
        return;
      }
      STATE.setRelease(b, Bias.IDLE);
    }
    acquireGeneral(me, store, action, subject);
  }

  private void acquireGeneral(Thread me, Object store, String action, Object subject) {
    while (true) {
      Thread current = holder.get();
      if (current == me) {
        holds++;
        return;
      }
      if (current != null) {
        throw inUse(store, current, me, action, subject);
      }
      if (holder.compareAndSet(null, me)) {
        break;
      }
    }
    Bias b = bias;
    if (b != null) {
      int state;
      // ANNOUNCED lasts the biased thread's two reads, unless it is descheduled in between.
      for (int spins = 0; (state = b.state) == Bias.ANNOUNCED; spins++) {
        if (spins < 64) {
          Thread.onSpinWait();
        } else {
          Thread.yield();
        }
      }
      if (state == Bias.INSIDE) {
        holder.setRelease(null);
        throw inUse(store, b.thread, me, action, subject);
      }
    }
    holds = 1;
    biased = false;
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
      return me == owner && holds > 0;
    }
    Bias b = bias;
    return holder.get() == me || (b != null && b.thread == me && b.state == Bias.INSIDE);
  }

  /**
   * Ends the current thread's innermost claim; the outermost one hands the store back. A claim of
   * the general way leaves the bias with its thread, so that its next claim takes the biased way.
   */
  void release() {
    Thread me = Thread.currentThread();
    if (owner != null) {
      if (me != owner || holds == 0) {
        throw notClaimed(me);
      }
      holds--;
      return;
    }
    Bias b = bias;
    // The biased way holds `bias` unchanged until it lets go (a replacement needs it idle).
    if (holds == 0 || (biased ? b.thread != me : holder.get() != me)) {
      throw notClaimed(me);
    }
    if (--holds > 0) {
      return;
    }
    if (biased) {
      STATE.setRelease(b, Bias.IDLE);
      return;
    }
    if (b == null || b.thread != me) {
      bias = new Bias(me);
    }
    holder.setRelease(null);
  }

  private static IllegalStateException notClaimed(Thread me) {
    return new IllegalStateException("the store is not claimed by thread \"" + me.getName() + "\"");
  }
}
