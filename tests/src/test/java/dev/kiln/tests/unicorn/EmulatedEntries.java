package dev.kiln.tests.unicorn;

import static java.lang.foreign.ValueLayout.ADDRESS;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.emulator.UnicornExecutor;
import dev.kiln.loader.runtime.EntryInvoker;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.ValRaw;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Hand-encoded AArch64 entries run on the emulator the way the loader runs compiled ones: a {@link
 * NativeStore}, its Unicorn executor, an {@link EntryInvoker}, a vmctx whose store-context slot
 * ({@link VmLayout#STORE_CONTEXT}) holds the store's, and a value array of {@link #VALUES} slots, in
 * one shared arena (a store may move between threads). {@link #code} places the instructions;
 * {@link #close} closes the arena, the store and the code, in that order.
 */
final class EmulatedEntries implements AutoCloseable {
  /** The slots of {@link #values}. */
  static final int VALUES = 4;

  final Arm64Words code = new Arm64Words();
  final NativeStore store = new NativeStore();
  final UnicornExecutor executor;
  final EntryInvoker invoker;
  final Arena arena = Arena.ofShared();
  final MemorySegment vmctx = arena.allocate(64, 16);
  final MemorySegment values = ValRaw.allocate(arena, VALUES);

  EmulatedEntries() {
    if (!(store.executorFor(Target.AARCH64) instanceof UnicornExecutor unicorn)) {
      throw new AssertionError("AArch64 code on this host should run on Unicorn, not "
          + store.executorFor(Target.AARCH64));
    }
    executor = unicorn;
    invoker = new EntryInvoker(store, executor);
    vmctx.set(ADDRESS, VmLayout.STORE_CONTEXT, store.context());
  }

  /** Runs the entry at {@code entry} on {@link #values}. */
  void call(long entry) {
    call(MemorySegment.ofAddress(entry));
  }

  /** Runs {@code entry} on {@link #values}. */
  void call(MemorySegment entry) {
    invoker.invoke(entry, vmctx, vmctx, values, VALUES);
  }

  @Override
  public void close() {
    arena.close();
    store.close();
    code.close();
  }
}
