package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.FileType;

/**
 * An open regular file: a host file descriptor, whose kernel file offset is the descriptor's offset
 * shared by fd_read/fd_write/fd_seek as POSIX shares it. Status and times are taken from the
 * descriptor (fstat, futimens), so they stay right after the file is renamed or unlinked.
 */
public final class FileDescriptor extends Descriptor {
  private final HostFd host;
  private final boolean mayWait;

  /**
   * @param mayWait the file is a FIFO, socket or character device ({@code Statx#mayWait}): its
   *     reads and writes can wait on another process, so they are made within a deadline
   */
  public FileDescriptor(HostFd host, long rightsBase, int flags, boolean mayWait) {
    super(rightsBase, 0, flags);
    this.host = host;
    this.mayWait = mayWait;
  }

  /** Whether a read or write can wait on another process (a FIFO, socket or character device). */
  public boolean mayWait() {
    return mayWait;
  }

  /** The host file descriptor. */
  public int fd() {
    return host.fd();
  }

  @Override
  public FileType fileType() {
    return FileType.REGULAR_FILE;
  }

  @Override
  public void close() {
    host.close();
  }
}
