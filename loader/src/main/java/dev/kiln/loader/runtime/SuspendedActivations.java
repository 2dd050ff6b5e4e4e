package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.vm.StoreLayout;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * One store's wasm activations that wait in host calls (wasm called a host function, which may call
 * wasm of the store again): where each one's wasm frames lie, so that a collection walks them as it
 * walks the running one's ({@link WasmFrameRoots}). The host function's own Java frames hold no heap
 * address, only {@code AnyRef} handles, which are roots of their own ({@link ObjectHandles}).
 *
 * <p>Each activation's frames are the frame-pointer chain from the wasm-to-array trampoline's frame
 * (its {@code exit_fp}, {@link StoreLayout#EXIT_FP}, which the trampoline stores just before the
 * host call) up to the frame of the entry that started the activation ({@code entry_fp} at that
 * moment). The host-call dispatch records both first thing and clears {@code exit_fp}, so a host
 * function reached without a trampoline (called from Java through its funcref's array entry) finds
 * 0 there and is recorded as an activation whose frames are unknown: nothing of it is walked, and a
 * collection is refused while it waits ({@link #unwalkable}).
 *
 * <p>Read and written by the thread that holds the store (host calls and the GC slow path run on
 * it), under the store's monitor where the slow path reads it.
 */
final class SuspendedActivations {
  /** Where a suspended activation's wasm frames begin (0: unknown) and the entry frame they end at. */
  record Suspended(long exitFp, long entryFp) {}

  private final MemorySegment context;
  /** Innermost last. */
  private final List<Suspended> stack = new ArrayList<>();

  SuspendedActivations(MemorySegment context) {
    this.context = context;
  }

  /**
   * Records the activation the host call now under way suspends; the host call, once it returned,
   * counts one in {@link NativeStore#hostCallsReturned}. Records it with its last call, so throws
   * having recorded nothing (issue 35).
   */
  void suspend() {
    long exitFp = context.get(JAVA_LONG, StoreLayout.EXIT_FP);
    Suspended activation = new Suspended(exitFp, context.get(JAVA_LONG, StoreLayout.ENTRY_FP));
    context.set(JAVA_LONG, StoreLayout.EXIT_FP, 0L);
    stack.add(activation);
  }

  /**
   * The host calls {@code store} counts as returned ({@link NativeStore#hostCallsReturned}): their
   * activations run again. Each is the innermost recorded (a host call returns before its caller
   * goes on), and leaves the count once removed, so an overflow here leaves the rest counted for
   * the next call, made before a host call is recorded and before a collection walks the frames.
   */
  void resumeReturned(NativeStore store) {
    while (store.hostCallsReturned > 0) {
      stack.removeLast();
      store.hostCallsReturned--; // once removed: nothing between can throw
    }
  }

  /** The suspended activations, innermost first. */
  List<Suspended> innermostFirst() {
    return stack.reversed();
  }

  /**
   * Why the frames of the store's activations cannot all be walked now, or null when they can:
   * {@code entries} activations are on the stack ({@code NativeStore}'s entry count), of which the
   * innermost runs wasm when {@code innermostRunning} (the slow path) and waits in a host call
   * otherwise (a collection from a host function).
   */
  String unwalkable(int entries, boolean innermostRunning) {
    int expected = innermostRunning ? entries - 1 : entries;
    if (stack.size() != expected) {
      // An entry with no host call of this store's below it, or a host call with no entry: the host
      // function that entered wasm was another store's, or Java called one of this store's host
      // functions through its array entry (no wasm frame below that call).
      return "the store's activations and its host calls do not pair up (a host function of another store"
          + " entered this store's wasm, or Java called a host function through its function reference)";
    }
    for (Suspended s : stack) {
      if (s.exitFp() == 0 || s.entryFp() == 0) {
        return "a host function of this store was called from wasm code that does not record its frames"
            + " (compiled before issue 39's exit_fp) or from Java through its function reference";
      }
    }
    return null;
  }
}
