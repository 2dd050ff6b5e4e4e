package dev.kiln.loader.runtime;

import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.exec.Executor;

/**
 * The stack floor an outermost entry into a store places in its context ({@link StoreContext}).
 * Before each outermost entry the store writes {@code stack_floor} = the stack low end of whatever
 * runs the code (the calling thread's, from {@code pthread_getattr_np} cached per thread, or the
 * emulator's own stack) plus the headroom plus the few bytes a leaf function may use below the
 * limit unchecked ({@code StoreLayout.UNCHECKED_LEAF_FRAME}), and the entry trampoline sets {@code
 * stack_limit = max(stack_floor, entry SP - max_wasm_stack, enclosing limit)}: only native code
 * knows its SP, only the loader knows the thread. The headroom keeps the JVM's guard zones (red,
 * yellow, reserved: 16 KiB on x86-64) and the stack the trap path and host calls need out of wasm's
 * reach, so deep recursion traps instead of faulting; it also holds the kernel's signal frame (a
 * few KiB) when an access faults in a memory's guard region at the deepest point ({@code
 * loader.sys.WasmFaults}).
 *
 * <p>Read and written by the thread that has claimed the store only.
 */
final class StackFloor {
  private final StoreContext block;
  private final long headroom;
  /**
   * The platform thread and executor the context's stack floor was last derived for. The floor is
   * a function of the two (the thread's stack, or the emulator's own), so an outermost entry of the
   * same pair finds it already in place and skips the per-thread lookup of the stack bounds (issue
   * 42). A virtual thread is never recorded: its stack is whichever carrier mounts it.
   */
  private Thread floorThread;
  private Executor floorExecutor;

  StackFloor(StoreContext block, long headroom) {
    this.block = block;
    this.headroom = headroom;
  }

  long headroom() {
    return headroom;
  }

  /** The outermost entry's stack floor, unless the context holds this thread's and executor's already. */
  void place(Executor executor) {
    Thread current = Thread.currentThread();
    if (current == floorThread && executor == floorExecutor) {
      return;
    }
    // A leaf may use UNCHECKED_LEAF_FRAME bytes below the limit without checking.
    block.stackFloor(executor.stackLow() + headroom + StoreLayout.UNCHECKED_LEAF_FRAME);
    boolean fixedStack = !current.isVirtual();
    floorThread = fixedStack ? current : null;
    floorExecutor = fixedStack ? executor : null;
  }

  /** Forgets the thread and executor: the store is closing. */
  void forget() {
    floorThread = null;
    floorExecutor = null;
  }
}
