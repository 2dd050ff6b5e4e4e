package dev.kiln.wasi;

import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.fs.DirectoryDescriptor;
import dev.kiln.wasi.fs.FdTable;
import dev.kiln.wasi.fs.FileStats;
import dev.kiln.wasi.fs.HostFd;
import dev.kiln.wasi.fs.StreamDescriptor;
import dev.kiln.wasi.fs.WaitLimit;
import dev.kiln.wasi.sys.Linux;
import dev.kiln.wasi.sys.LinuxErrno;
import dev.kiln.wasi.sys.SysException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * One guest's WASI state: its configuration and descriptor table (streams at 0-2, preopens from 3),
 * shared by the function families. Not thread-safe: a guest instance runs on one thread.
 */
public final class WasiContext {
  private final WasiConfig config;
  private final FdTable fds;
  /** Directory entries fd_readdir has read from the kernel for this guest: its work, which tests count. */
  private long direntsRead;
  /** The monotonic clock's zero, so clock_time_get(monotonic) starts near 0 and never goes back. */
  private final long monotonicBase = System.nanoTime();
  private WaitLimit waitLimit = WaitLimit.NONE;
  /** Each preopen's directory, taken when it was opened. */
  private final List<DirectoryIdentity> preopenRoots = new ArrayList<>();

  /** A directory as the kernel names it: its device and inode. */
  private record DirectoryIdentity(long dev, long ino) {
    static DirectoryIdentity of(int fd) {
      FileStats stats = FileStats.of(fd);
      return new DirectoryIdentity(stats.dev(), stats.ino());
    }
  }

  /**
   * Opens the streams and every preopen's host directory (the one place a host path string is
   * resolved: it is the embedder's, not the guest's); a preopen that is no directory fails here.
   */
  public WasiContext(WasiConfig config) throws IOException {
    this.config = config;
    this.fds = new FdTable(config.maxOpenFiles());
    fds.install(StreamDescriptor.reading(config.stdin()));
    fds.install(StreamDescriptor.writing(config.stdout()));
    fds.install(StreamDescriptor.writing(config.stderr()));
    for (Preopen p : config.preopens()) {
      HostFd root = openDirectory(p);
      preopenRoots.add(DirectoryIdentity.of(root.fd()));
      fds.install(new DirectoryDescriptor(root, config.resolution(), p.guestName(),
          Rights.DIRECTORY, Rights.ALL));
    }
  }

  /**
   * Whether the host directory {@code fd} is one of the preopens' own directories, however the guest
   * reached it (the preopen's descriptor, or {@code path_open(".")} or {@code "sub/.."} below it):
   * its ".." then lies outside what the guest was given.
   */
  public boolean isPreopenRoot(int fd) {
    return preopenRoots.contains(DirectoryIdentity.of(fd));
  }

  private HostFd openDirectory(Preopen p) throws IOException {
    String host = p.host().toAbsolutePath().toString();
    try {
      return new HostFd(Linux.openat(Linux.AT_FDCWD, host,
          Linux.O_RDONLY | Linux.O_DIRECTORY | Linux.O_CLOEXEC, 0));
    } catch (SysException e) {
      fds.closeAll();
      // The path and the reason apart (FileSystemException), so every caller can say both.
      if (e.is(LinuxErrno.ENOTDIR)) {
        throw new FileSystemException(host, null, "not a directory");
      }
      if (e.is(LinuxErrno.ENOENT)) {
        throw new NoSuchFileException(host, null, "no such file or directory");
      }
      throw new FileSystemException(host, null, e.getMessage());
    }
  }

  public WasiConfig config() {
    return config;
  }

  public FdTable fds() {
    return fds;
  }

  void countDirentsRead(long entries) {
    direntsRead += entries;
  }

  /** Directory entries fd_readdir has read from the kernel so far (a page costs its entries, not the directory). */
  long direntsRead() {
    return direntsRead;
  }

  /** What ends a wait of the call now running ({@link WaitLimit#NONE} until a host sets one). */
  WaitLimit waitLimit() {
    return waitLimit;
  }

  void waitLimit(WaitLimit limit) {
    this.waitLimit = java.util.Objects.requireNonNull(limit, "limit");
  }

  long monotonicNanos() {
    return System.nanoTime() - monotonicBase;
  }
}
