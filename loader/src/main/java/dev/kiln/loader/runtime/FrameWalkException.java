package dev.kiln.loader.runtime;

/**
 * A collection's walk of the wasm frames found what compiled code does not leave: a frame-pointer
 * chain that does not climb towards its entry, a return address outside every module's code, or a
 * stack map whose frame reaches below the frame record of the frame it called (its slots would lie
 * outside its own frame). The walk rewrites nothing once it finds one ({@link
 * WasmFrameRoots}), and the allocation that asked for the collection traps with {@code
 * GC_FRAME_WALK_FAILED} and this message, never as an out-of-memory trap: the cause is a damaged
 * artifact or a compiler bug, not the guest's heap.
 */
public final class FrameWalkException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  FrameWalkException(String message) {
    super(message);
  }
}
