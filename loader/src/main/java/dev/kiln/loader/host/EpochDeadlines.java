package dev.kiln.loader.host;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;

/**
 * The epoch deadline as a host function that waits sees it. Compiled code with epoch interruption
 * checks its store's deadline at loop headers and calls; a host function it calls is outside those
 * checks, so one that can block (a sleep, a read of a pipe) asks here between slices of its wait
 * and ends the call with the same {@link TrapCode#INTERRUPT} trap the code would raise. The host
 * call boundary passes a {@link TrapException} thrown by a host function on as that trap.
 */
public final class EpochDeadlines {
  private EpochDeadlines() {}

  /** Whether {@code instance}'s code was compiled with epoch interruption (it obeys a deadline). */
  public static boolean checkedBy(LoadedInstance instance) {
    return ExecutionLimits.fromSettings(instance.module().file().compat().settings()).epochInterruption();
  }

  /**
   * Throws the {@link TrapCode#INTERRUPT} trap if {@code store}'s epoch has reached its deadline
   * (compared unsigned, as compiled code compares them: {@link NativeStore#setEpochDeadline}).
   */
  public static void check(NativeStore store) {
    if (reached(store)) {
      throw new TrapException(TrapCode.INTERRUPT, 0, new long[0]);
    }
  }

  /**
   * Whether {@code store}'s epoch has reached its deadline, for a host function that can end early
   * with a result of its own (a short transfer) instead of the trap.
   */
  public static boolean reached(NativeStore store) {
    return Long.compareUnsigned(store.epoch().current(), store.epochDeadline()) >= 0;
  }
}
