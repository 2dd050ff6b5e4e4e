package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;

/**
 * An epoch counter: the engine-wide clock of epoch interruption ({@code
 * artifact.vm.ExecutionLimits}), Wasmtime's {@code Engine::increment_epoch}. It is one native u64
 * that compiled code of every store sharing it loads at loop headers and calls (through
 * the store context's {@code epoch_ptr}); any thread may {@link #increment} it, typically a timer,
 * while those stores run. A store whose deadline the epoch reaches traps with {@code INTERRUPT} at
 * its next check.
 *
 * <p>The cell is native memory so compiled code can read it with a plain aligned 64-bit load (atomic
 * on x86-64 and AArch64, and seen by the Unicorn executor, which maps host memory at its own
 * address); Java updates it with an atomic add through a {@link VarHandle}. It lives as long as this
 * object: every store using it keeps it reachable.
 */
public final class Epoch {
  private static final VarHandle COUNTER = JAVA_LONG.varHandle();

  private final MemorySegment cell = Arena.ofAuto().allocate(JAVA_LONG);

  /** A counter at 0. */
  public Epoch() {}

  /** Advances the epoch by one, from any thread; returns the new value. */
  public long increment() {
    return (long) COUNTER.getAndAdd(cell, 0L, 1L) + 1;
  }

  /** The current epoch. */
  public long current() {
    return (long) COUNTER.getVolatile(cell, 0L);
  }

  /** Where compiled code reads the counter (the store context's {@code epoch_ptr}). */
  long address() {
    return cell.address();
  }
}
