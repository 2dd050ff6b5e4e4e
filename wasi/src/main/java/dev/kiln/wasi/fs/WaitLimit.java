package dev.kiln.wasi.fs;

/**
 * When a WASI call that waits (poll_oneoff, a read of a stream or a FIFO with nothing to read yet)
 * must stop waiting: the deadline of the code that called it. A call that would block waits in
 * slices of at most {@link #SLICE_NANOS} and asks {@link #check()} before each, so a guest cannot
 * outlive its deadline by sleeping in the host instead of looping in wasm.
 *
 * <p>{@code dev.kiln.wasi.WasiHost} gives each guest the epoch deadline of its store when the calling code was
 * compiled with epoch interruption ({@code kiln run --timeout}, an embedder's epoch deadline): the
 * check throws the loader's {@code TrapException} with code {@code INTERRUPT}, the trap the compiled code's
 * own check raises, and the host-call boundary passes it on as that trap.
 */
public interface WaitLimit {
  /** The longest one wait lasts before the deadline is checked again: 10 ms. */
  long SLICE_NANOS = 10_000_000L;

  /** No deadline: a wait lasts as long as what it waits for. */
  WaitLimit NONE = new WaitLimit() {
    @Override
    public boolean applies() {
      return false;
    }

    @Override
    public void check() {}
  };

  /** Whether a deadline can end the current call's waits (if not, it may block without slices). */
  boolean applies();

  /** Throws what ends the call if its deadline has passed; returns otherwise. */
  void check();

  /** How long the next wait may last when it wants {@code nanos}: a slice if a deadline applies. */
  default long slice(long nanos) {
    return applies() ? Math.min(nanos, SLICE_NANOS) : nanos;
  }
}
