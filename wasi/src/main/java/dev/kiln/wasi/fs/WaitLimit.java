package dev.kiln.wasi.fs;

/**
 * When a WASI call must stop: the deadline of the code that called it. Two kinds of call ask it.
 *
 * <p><b>Calls that wait</b> (poll_oneoff, a read of a stream or a FIFO with nothing to read yet): a
 * call that would block waits in slices of at most {@link #SLICE_NANOS} and asks {@link #check()}
 * before each, so a guest cannot outlive its deadline by sleeping in the host instead of looping in
 * wasm.
 *
 * <p><b>Calls whose work grows with a size the guest chose</b> (random_get, fd_read/fd_write/
 * fd_pread/fd_pwrite over up to 4 GiB of buffers, fd_readdir over a large directory, poll_oneoff
 * over many subscriptions): the work is done in pieces of at most {@link #CHUNK_BYTES} (or a fixed
 * count of items), and the deadline is asked between two pieces, so such a call ends within one
 * piece of the deadline. A call that can report a partial result (a byte count) returns it when
 * {@link #reached()} says so, as read(2)/write(2) return the bytes already moved when a signal
 * interrupts them (POSIX.1-2017 read(), write(): "If ... interrupted by a signal after it
 * successfully read/wrote some data, it shall return the number of bytes"); the caller's own
 * compiled check then traps at its next loop header or call, and any next WASI call of a chunked
 * kind traps at its first check. A call with no partial result (random_get, fd_readdir, whose
 * short {@code bufused} would mean "end of directory") ends with {@link #check()}'s trap, as a
 * call that waits does.
 *
 * <p>{@code dev.kiln.wasi.WasiHost} gives each guest the epoch deadline of its store when the calling code was
 * compiled with epoch interruption ({@code kiln run --timeout}, an embedder's epoch deadline): the
 * check throws the loader's {@code TrapException} with code {@code INTERRUPT}, the trap the compiled code's
 * own check raises, and the host-call boundary passes it on as that trap.
 */
public interface WaitLimit {
  /** The longest one wait lasts before the deadline is checked again: 10 ms. */
  long SLICE_NANOS = 10_000_000L;

  /**
   * The most bytes a call moves or produces between two checks of the deadline: 4 MiB, a few
   * milliseconds of getrandom(2) or of a copy from the page cache, and the most any such call holds
   * in a host buffer of its own.
   */
  long CHUNK_BYTES = 4L << 20;

  /** No deadline: a wait lasts as long as what it waits for. */
  WaitLimit NONE = new WaitLimit() {
    @Override
    public boolean applies() {
      return false;
    }

    @Override
    public boolean reached() {
      return false;
    }

    @Override
    public void check() {}
  };

  /** Whether a deadline can end the current call's waits (if not, it may block without slices). */
  boolean applies();

  /** Whether the deadline has passed, for a call that ends with a partial result rather than {@link #check()}. */
  boolean reached();

  /** Throws what ends the call if its deadline has passed; returns otherwise. */
  void check();

  /** How long the next wait may last when it wants {@code nanos}: a slice if a deadline applies. */
  default long slice(long nanos) {
    return applies() ? Math.min(nanos, SLICE_NANOS) : nanos;
  }
}
