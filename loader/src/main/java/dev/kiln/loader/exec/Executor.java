package dev.kiln.loader.exec;

import dev.kiln.artifact.Target;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * What runs compiled code of one {@link Target}: the loader's runtime (store, instances, traps) is
 * the same whichever executor runs the instructions (docs/ARCHITECTURE.md section 4, last bullet).
 * The {@link NativeExecutor} runs code for the host's own instruction set with FFM downcalls; an
 * executor of another instruction set comes from an {@link dev.kiln.loader.exec.spi.ExecutorProvider}
 * (module {@code dev.kiln.emulator}: AArch64 on an x86-64 host in the Unicorn emulator, with the
 * runtime's memory mapped into it at the same addresses).
 *
 * <p>An executor is confined to the store that owns it: a store runs on one thread at a time, and
 * its entries nest (wasm -> host -> wasm) on that thread.
 */
public interface Executor extends AutoCloseable {
  /** The instruction set this executor runs. */
  Target target();

  /**
   * Calls an ARRAY_TO_WASM trampoline, C ABI {@code bool f(void* callee_vmctx, void* caller_vmctx,
   * ValRaw* values, size_t len)}. The caller (the store's entry invoker) has checked the arguments
   * and set the store up for the entry.
   *
   * @param scratch {@link #SCRATCH_BYTES} bytes of the calling store's own, which the executor may
   *     overwrite during the call (the native executor's downcall writes the errno it captures
   *     there); only the thread that holds the store calls, so nobody else writes them meanwhile
   * @return the trampoline's result: {@code false} means the trap stub recorded a trap in the store
   *     context
   */
  boolean callArrayEntry(MemorySegment trampoline, long calleeVmctx, long callerVmctx, long values, long len,
      MemorySegment scratch);

  /**
   * {@link #callArrayEntry} for a caller that makes many calls of few values from Java ({@code
   * runtime.DirectEntry}: typed handles and generated classes): the native executor makes it a
   * downcall of its own shape that captures nothing, 4 ns a call less than the C library calls'
   * shape (12.9 against 17.0-17.3 ns of CPU, issue 42), for one more shape the JVM links when this
   * is first called (the first typed handle's creation and call took 12.4-14.5 ms of CPU instead of
   * 9.5-10.2, once per process; entries through {@link #callArrayEntry} keep sharing the C
   * library's shape, which a one-shot run links anyway). Other executors run it as {@link
   * #callArrayEntry}.
   */
  default boolean callDirectEntry(MemorySegment trampoline, long vmctx, long values, long len, MemorySegment scratch) {
    return callArrayEntry(trampoline, vmctx, vmctx, values, len, scratch);
  }

  /** The size of the scratch block {@link #callArrayEntry} is given. */
  long SCRATCH_BYTES = 16;

  /**
   * An address compiled code can call with this target's C ABI, in the {@link UpcallShape}, to run
   * {@code upcall}; valid while {@code arena} is alive. Builtins such as table.grow and the
   * host-call entry are reached this way. The upcall's guard lets nothing escape (compiled code
   * cannot unwind a Java exception, and the JVM would stop): a body that throws gives the upcall's
   * answer for failure.
   */
  MemorySegment hostFunction(GuardedUpcall upcall, Arena arena);

  /**
   * {@link #hostFunction} for an upcall that is bound to nothing (a static method that finds the
   * store it acts on from its arguments), made once per executor and upcall and valid as long as
   * the executor. A stub's target is a global root while the stub lives, so a per-store entry
   * must not be bound to a store's object in an arena that object keeps (red team 24 F1: every
   * closed store with a host import stayed in the heap and the code cache); a static target keeps
   * nothing, and the stub is made once instead of per store.
   */
  MemorySegment staticHostFunction(GuardedUpcall upcall);

  /** The address of {@code helper}'s implementation, callable with this target's C ABI. */
  MemorySegment helper(NativeHelper helper);

  /**
   * The low end of the stack the next outermost entry on the current thread runs on: the store
   * derives the stack limit compiled prologues compare SP with from it.
   */
  long stackLow();

  /** Releases what the executor allocated; the native executor has nothing to release. */
  @Override
  void close();
}
