package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.sys.Linux;
import java.lang.ref.Cleaner;

/**
 * A host file descriptor owned by a WASI descriptor: closed exactly once, by {@link #close()} or,
 * if the guest's state is dropped without being closed, when it becomes unreachable, so a forgotten
 * WASI context cannot leak the host's descriptors.
 */
public final class HostFd implements AutoCloseable {
  private static final Cleaner CLEANER = Cleaner.create();

  private final Closer closer;
  private final Cleaner.Cleanable cleanable;

  /** Takes ownership of {@code fd}, just returned by an open call. */
  public HostFd(int fd) {
    this.closer = new Closer(fd);
    this.cleanable = CLEANER.register(this, closer);
  }

  /** The number, for a system call; {@link Errno#BADF} once closed. */
  public int fd() {
    if (closer.closed) {
      throw new WasiException(Errno.BADF, "host descriptor closed");
    }
    return closer.fd;
  }

  @Override
  public void close() {
    cleanable.clean();
  }

  /** Holds only the number, not the HostFd, so the HostFd can become unreachable. */
  private static final class Closer implements Runnable {
    private final int fd;
    private volatile boolean closed;

    Closer(int fd) {
      this.fd = fd;
    }

    @Override
    public void run() {
      closed = true;
      Linux.close(fd);
    }
  }
}
