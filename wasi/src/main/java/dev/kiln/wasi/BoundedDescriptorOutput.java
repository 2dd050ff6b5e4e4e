package dev.kiln.wasi;

import dev.kiln.wasi.sys.Linux;
import dev.kiln.wasi.sys.SysException;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A host descriptor written so that a reader who stops reading cannot hold the writer: each write
 * first polls for room ({@code POLLOUT}) for at most {@code graceMillis}, then writes at most {@code
 * PIPE_BUF} bytes, which POLLOUT promises room for (pipe(7)), so the write itself does not wait.
 * Once a poll finds no room within the grace, the stream is stalled: the rest of that write and
 * every later one is dropped without waiting again, so the whole stream waits at most one grace.
 *
 * <p>For the command line's own error lines on standard error: a guest stopped at its deadline may
 * have filled a pipe on fd 2 that nobody reads ({@code kiln run --timeout 2s app.wasm 2>&1 | sleep
 * 100}), and a plain {@link java.io.FileOutputStream} would then block the process in write(2)
 * until the reader went, outliving the deadline the guest was given (red-team finding F5).
 */
public final class BoundedDescriptorOutput extends OutputStream {
  private final int fd;
  private final int graceMillis;
  private boolean stalled;
  private long dropped;

  public BoundedDescriptorOutput(int fd, int graceMillis) {
    this.fd = fd;
    this.graceMillis = graceMillis;
  }

  /** How many bytes were dropped because the reader left no room within the grace. */
  public long dropped() {
    return dropped;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int at = offset;
    int end = offset + length;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(Math.min(Math.max(length, 1), Linux.PIPE_BUF));
      MemorySegment iovec = arena.allocate(16, 8); // struct iovec {void *iov_base; size_t iov_len;}
      while (at < end) {
        if (stalled || !Linux.pollReady(fd, Linux.POLLOUT, graceMillis)) {
          stalled = true;
          dropped += end - at;
          return;
        }
        int chunk = Math.min(end - at, Linux.PIPE_BUF);
        MemorySegment.copy(bytes, at, buffer, ValueLayout.JAVA_BYTE, 0, chunk);
        iovec.set(ValueLayout.JAVA_LONG, 0, buffer.address());
        iovec.set(ValueLayout.JAVA_LONG, 8, chunk);
        at += (int) Linux.writev(fd, iovec, 1, -1);
      }
    } catch (SysException e) {
      throw new IOException("cannot write to descriptor " + fd + ": " + e.getMessage(), e);
    }
  }
}
