package dev.kiln.loader.runtime;

import java.util.concurrent.atomic.AtomicReference;

/**
 * Which thread is using a {@link NativeStore} now. A store has one stack limit, one trap record and one
 * entry frame chain in its context (docs/ARCHITECTURE.md section 4), so only one thread may be
 * inside it at a time; two threads entering one store would share a stack limit and unwind to each
 * other's entry frames. The holder is taken with a compare-and-set, so two threads arriving at once
 * cannot both win, and the claim nests on the holding thread (wasm -> host -> wasm, or an
 * instantiation running a start function).
 *
 * <p>{@link #holds} is read and written only by the holding thread; handing the claim over goes
 * through the atomic reference: the holder lets go with a release write ({@link
 * AtomicReference#setRelease}) and the next holder takes it with a compare-and-set, which reads
 * with acquire semantics, so everything the previous holder did comes before everything the next
 * one does (the acquire/release orderings of {@link java.lang.invoke.VarHandle}'s access modes, on
 * which {@link AtomicReference}'s memory effects are defined). A release write is enough for
 * letting go, as for any lock: what follows the release on the same thread may move before it
 * (into the claimed region), never the reverse. A plain {@code set} would be a volatile write,
 * which on x86-64 adds a full fence ({@code lock addl}) to every exit from wasm (issue 42).
 */
final class ThreadClaim {
  private final AtomicReference<Thread> holder = new AtomicReference<>();
  private int holds;

  /**
   * Claims the store for the current thread, or nests a claim it already holds.
   *
   * @param store names the store in the message
   * @param action what the current thread wanted to do, for the message
   * @throws IllegalStateException if another thread holds the claim
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
    while (true) {
      Thread current = holder.get();
      if (current == me) {
        break;
      }
      if (current != null) {
        String what = "".equals(subject) ? action : action + " " + subject;
        throw new IllegalStateException(store + " is in use by thread \"" + current.getName() + "\"; thread \""
            + me.getName() + "\" cannot " + what + " (a store runs on one thread at a time)");
      }
      if (holder.compareAndSet(null, me)) {
        break;
      }
    }
    holds++;
  }


  /** Ends the current thread's innermost claim; the outermost one hands the store back. */
  void release() {
    if (holder.get() != Thread.currentThread() || holds == 0) {
      throw new IllegalStateException("the store is not claimed by thread \"" + Thread.currentThread().getName() + "\"");
    }
    if (--holds == 0) {
      holder.setRelease(null);
    }
  }
}
