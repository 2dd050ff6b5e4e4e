package dev.kiln.loader.runtime;

/**
 * The Java objects of one open store that compiled code's upcalls act on: its host-call
 * switchboard, its exception runtime and its GC heap's slow path, each set when the store first
 * needs it. The upcall stubs themselves are the executor's, one per target for every store, bound
 * to nothing ({@link dev.kiln.loader.exec.Executor#staticHostFunction}); each call finds this
 * object through {@link UpcallRegistry} from the store context it is passed. The registry holds it
 * only while the store is open and {@link #clear} drops every reference when the store closes, so
 * nothing process-wide reaches a closed store (red team 24 F1: a stub bound to a store's object
 * was a JNI global root that kept every closed store for the JVM's life).
 *
 * <p>Fields are volatile: set under the store's lock by the thread that instantiates, read by the
 * upcalls of whichever thread holds the store's claim.
 */
public final class StoreUpcalls {
  private final long context;
  private final int slot;
  private volatile HostCallTarget hostCalls;
  private volatile StoreExceptions exceptions;
  private volatile GcSlowPath gcSlowPath;

  StoreUpcalls(long context, int slot) {
    this.context = context;
    this.slot = slot;
  }

  /** The address of the store context this object is the store's of. */
  long context() {
    return context;
  }

  /** Its slot in {@link UpcallRegistry}'s table, which the context block holds too. */
  int slot() {
    return slot;
  }

  /** The store's host-call switchboard, or null before its first host function or after close. */
  public HostCallTarget hostCalls() {
    return hostCalls;
  }

  /** Sets the store's host-call switchboard (once, when its first host function is made). */
  public void hostCalls(HostCallTarget calls) {
    hostCalls = calls;
  }

  StoreExceptions exceptions() {
    return exceptions;
  }

  void exceptions(StoreExceptions runtime) {
    exceptions = runtime;
  }

  GcSlowPath gcSlowPath() {
    return gcSlowPath;
  }

  void gcSlowPath(GcSlowPath slowPath) {
    gcSlowPath = slowPath;
  }

  /** Drops every target: the store is closing. A call that still found this object finds no target. */
  void clear() {
    hostCalls = null;
    exceptions = null;
    gcSlowPath = null;
  }
}
