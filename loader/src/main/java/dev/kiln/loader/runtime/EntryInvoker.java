package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.NativeExecutor;
import java.lang.foreign.MemorySegment;
import java.util.Objects;

/**
 * Calls into wasm through an ARRAY_TO_WASM trampoline, {@code bool(void* callee_vmctx, void*
 * caller_vmctx, ValRaw* values, size_t len)} (docs/ARCHITECTURE.md section 4): checks what would
 * crash instead of failing, sets the store up for the entry and lets the {@link Executor} run it. A
 * {@code false} return means the trap stub recorded a trap in the store context; it becomes a
 * {@link TrapException}.
 */
public final class EntryInvoker {
  private final NativeStore store;
  private final Executor executor;

  /** An invoker for code of the host's own instruction set, run natively. */
  public EntryInvoker(NativeStore store) {
    this(store, NativeExecutor.forHost());
  }

  /** An invoker for code {@code executor} runs (one of {@code store}'s, see {@link NativeStore#executorFor}). */
  public EntryInvoker(NativeStore store, Executor executor) {
    this.store = Objects.requireNonNull(store, "store");
    this.executor = Objects.requireNonNull(executor, "executor");
  }

  public NativeStore store() {
    return store;
  }

  public Executor executor() {
    return executor;
  }

  /**
   * Runs the trampoline at {@code trampoline}: arguments in {@code values} on entry, results there on
   * return.
   *
   * @param values at least {@code len} {@link ValRaw} slots, 16-byte aligned
   * @throws TrapException if the wasm code trapped; the store stays usable
   */
  public void invoke(MemorySegment trampoline, MemorySegment calleeVmctx, MemorySegment callerVmctx,
      MemorySegment values, long len) {
    if (trampoline.address() == 0) {
      throw new IllegalArgumentException("null trampoline address");
    }
    if (len < 0 || values.byteSize() < len * ValRaw.SIZE) {
      throw new IllegalArgumentException(
          "values holds " + values.byteSize() + " bytes, fewer than " + len + " ValRaw slots");
    }
    if (!values.isNative() || !calleeVmctx.isNative() || !callerVmctx.isNative()) {
      // The executor passes raw addresses: a heap segment's address() is an offset into its array.
      throw new IllegalArgumentException("values and vmctx must be native memory, not Java heap segments");
    }
    if (values.address() % ValRaw.ALIGNMENT != 0) {
      throw new IllegalArgumentException("values is not " + ValRaw.ALIGNMENT + "-byte aligned");
    }
    // The entry and every prologue reach the store context through the callee vmctx; one that
    // points elsewhere would check the stack against another store's limit.
    long storeOfCallee = calleeVmctx.reinterpret(VmLayout.POINTER_SIZE)
        .get(JAVA_LONG, VmLayout.STORE_CONTEXT);
    if (storeOfCallee != store.context().address()) {
      throw new IllegalArgumentException("callee vmctx belongs to another store's context, not " + store + "'s");
    }
    StoreEntries entries = store.entries();
    entries.enter(executor);
    try {
      if (!executor.callArrayEntry(trampoline, calleeVmctx.address(), callerVmctx.address(), values.address(), len,
          store.entryScratch())) {
        // Read under the claim: the trap record is the store's, and an uncaught exception's payload
        // holds GC words that another thread's collection would move once the claim is let go.
        throw store.recordedTrap();
      }
    } finally {
      entries.exitsOwed++; // before the call: an overflow at its frame leaves the exit owed (StoreEntries#makeOwedExits)
      entries.makeOwedExits();
    }
  }
}
