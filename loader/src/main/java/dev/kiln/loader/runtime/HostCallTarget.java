package dev.kiln.loader.runtime;

/**
 * What the process-wide host-call entry hands a call to once it found the calling store ({@link
 * StoreUpcalls}): the store's switchboard ({@code loader.host.HostCalls}), which lives in a
 * package this one does not depend on.
 */
public interface HostCallTarget {
  /**
   * Runs host function {@code id} of the store for a call from wasm: the array call's arguments
   * ({@code caller_vmctx}, {@code ValRaw* values}, {@code size_t len}); 1 on success, 0 when it
   * failed (recorded in the store for the trap the trampoline raises). Must not throw: it runs
   * inside an upcall.
   */
  long call(int id, long callerVmctx, long values, long len);
}
