package dev.kiln.wasi;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasi.sys.Linux;
import dev.kiln.wasi.sys.LinuxErrno;
import dev.kiln.wasi.sys.SysException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class BoundedDescriptorOutputTest {
  @TempDir
  Path dir;

  /**
   * Red-team finding F5: kiln's own error line into a pipe a guest filled, whose reader does not
   * read, blocked the process until the reader went. Here the pipe's reader never reads: the write
   * returns, having put what fit, and drops the rest. JUnit's timeout is only a hang guard: a plain
   * FileOutputStream never returns.
   */
  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aPipeNobodyReadsTakesWhatFitsAndTheRestIsDropped() throws Exception {
    Path fifo = dir.resolve("fifo");
    assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
    int reader = Linux.openat(Linux.AT_FDCWD, fifo.toString(), Linux.O_RDONLY | Linux.O_NONBLOCK, 0);
    int writer = Linux.openat(Linux.AT_FDCWD, fifo.toString(), Linux.O_WRONLY, 0); // blocking, as fd 2 is
    try {
      BoundedDescriptorOutput out = new BoundedDescriptorOutput(writer, 10);
      int total = 1 << 20; // more than any pipe's default capacity (64 KiB, pipe(7))
      out.write(new byte[total]);
      long inPipe = drain(reader);
      assertTrue(inPipe > 0 && out.dropped() > 0, inPipe + " in the pipe, " + out.dropped() + " dropped");
      assertEquals(total, inPipe + out.dropped(), "every byte either written or counted as dropped");
      out.write("error: late line\n".getBytes());
      assertEquals(0, drain(reader), "once stalled, later writes are dropped without waiting again");
      assertEquals(total + 17, inPipe + out.dropped());
    } finally {
      Linux.close(writer);
      Linux.close(reader);
    }
  }

  /** A descriptor with room (here a file) gets every byte, in order, in writes of at most PIPE_BUF. */
  @Test
  void aDescriptorWithRoomGetsEveryByte() throws Exception {
    Path file = dir.resolve("out");
    byte[] bytes = new byte[10_000];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) (i * 7);
    }
    Files.write(file, new byte[0]);
    int fd = Linux.openat(Linux.AT_FDCWD, file.toString(), Linux.O_WRONLY, 0);
    try {
      BoundedDescriptorOutput out = new BoundedDescriptorOutput(fd, 10);
      out.write(bytes, 0, bytes.length);
      assertEquals(0, out.dropped());
    } finally {
      Linux.close(fd);
    }
    assertArrayEquals(bytes, Files.readAllBytes(file));
  }

  /** Reads {@code fd} (non-blocking) until it is empty; the number of bytes read. */
  private static long drain(int fd) {
    long read = 0;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(65536);
      MemorySegment iovec = arena.allocate(16, 8);
      iovec.set(ValueLayout.JAVA_LONG, 0, buffer.address());
      iovec.set(ValueLayout.JAVA_LONG, 8, buffer.byteSize());
      while (true) {
        long n;
        try {
          n = Linux.readv(fd, iovec, 1, -1);
        } catch (SysException e) {
          if (e.is(LinuxErrno.EAGAIN)) {
            return read; // empty
          }
          throw e;
        }
        if (n <= 0) {
          return read;
        }
        read += n;
      }
    }
  }
}
