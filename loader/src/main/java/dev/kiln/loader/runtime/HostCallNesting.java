package dev.kiln.loader.runtime;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.sys.ThreadStack;

/**
 * The host calls in progress on the current thread, across every store: what bounds wasm -> host
 * -> wasm re-entry. A count per store let a guest multiply the bound by alternating between stores
 * (red team 8 F2: two stores at the default of 64 overflowed a 1 MiB Java stack), and a count alone
 * says nothing of the Java stack a level costs (about 10 KiB on the emulator, where no compiled
 * stack check sees the Java frames), so a nested host call also measures what is left ({@link
 * ThreadStack}). Both refusals are traps raised before the host function runs, recorded like any
 * host failure, so nothing is thrown inside the upcall.
 */
public final class HostCallNesting {
  private static final ThreadLocal<HostCallNesting> CURRENT = ThreadLocal.withInitial(HostCallNesting::new);

  /**
   * Host calls in progress on the thread. The host-call dispatch counts its call out itself, {@code
   * nesting.inProgress--} in its own frame: a field write cannot overflow where a call can, and an
   * overflow at the frame of a call meant to count it out would leave the thread's depth raised for
   * good (issue 35).
   */
  public int inProgress;

  private HostCallNesting() {}

  /**
   * Counts a host call that wasm of {@code store} makes on this thread, with the last write it
   * makes (so it throws having counted nothing); the caller counts it out with {@code
   * inProgress--} on the record returned, the current thread's.
   *
   * @throws TrapException {@code HOST_CALL_DEPTH_EXCEEDED} if the host calls already in progress on
   *     this thread, in any store, are more than the store's {@link StoreLimits#maxHostCallDepth},
   *     so that the limit holds (to one level) however the stores alternate, {@code
   *     STACK_OVERFLOW} ("call stack exhausted") if this one is nested and one more level would not
   *     fit on the thread's stack
   */
  public static HostCallNesting enter(NativeStore store) {
    HostCallNesting nesting = CURRENT.get();
    int level = nesting.inProgress + 1;
    // The limit counts wasm entries nested inside host functions, and the store's own entries check
    // it for re-entry into the same store. Across stores it is checked here, where no entry has to
    // read a thread-local: a host call is refused once the host calls already in progress (each
    // holding at most one nested entry) are more than the limit. A host call at the deepest allowed
    // level still runs (a guest there may write its output); only its re-entry is refused, by the
    // store or by the next host call, so alternating stores gains at most one level.
    if (level - 1 > store.limits().maxHostCallDepth()) {
      throw new TrapException(TrapCode.HOST_CALL_DEPTH_EXCEEDED, 0, new long[0]);
    }
    // The outermost host call needs no measure: the entry that reached it was made from Java with
    // whatever stack the embedder gave it, and the emulator measures before it starts.
    if (level > 1 && !ThreadStack.roomForLevel()) {
      throw new TrapException(TrapCode.STACK_OVERFLOW, 0, new long[0]);
    }
    nesting.inProgress = level;
    return nesting;
  }

  /** Host calls in progress on this thread. */
  public static int depth() {
    return CURRENT.get().inProgress;
  }
}
