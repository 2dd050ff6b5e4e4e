package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.sys.Linux;

/**
 * A directory: an open host directory descriptor (O_RDONLY | O_DIRECTORY, which also serves
 * fd_readdir, fd_sync and fd_filestat_*) and the {@link PathResolution} every guest path below it
 * goes through; for a preopen, also the guest name fd_prestat_dir_name reports. Holding the open
 * directory, not its path, is what makes the sandbox hold: whatever happens to the names above or
 * at it later, this descriptor's paths resolve beneath the directory it was opened on.
 */
public final class DirectoryDescriptor extends Descriptor {
  private final HostFd host;
  private final PathResolution resolution;
  private final String preopenName;

  public DirectoryDescriptor(HostFd host, PathResolution resolution, String preopenName,
      long rightsBase, long rightsInheriting) {
    super(rightsBase, rightsInheriting, 0);
    this.host = host;
    this.resolution = resolution;
    this.preopenName = preopenName;
  }

  /** The host directory descriptor. */
  public int fd() {
    return host.fd();
  }

  public PathResolution resolution() {
    return resolution;
  }

  /** The guest-visible preopen name, or null for a directory opened with path_open. */
  public String preopenName() {
    return preopenName;
  }

  /** Opens {@code path} beneath this directory ({@link PathResolution#open}); the caller owns it. */
  public int open(String path, int flags, int mode) {
    return resolution.open(fd(), path, flags, mode);
  }

  /**
   * The directory holding {@code path}'s last name, for a call on that name: this directory itself
   * when the name stands alone, else its directory part opened (O_PATH) beneath this one.
   */
  public Parent parent(GuestPath path) {
    if (path.parent().isEmpty()) {
      return new Parent(fd(), null);
    }
    int fd = open(path.parent(), Linux.O_PATH | Linux.O_DIRECTORY, 0);
    return new Parent(fd, new HostFd(fd));
  }

  /** A directory to pass as dirfd; closed after the call if it was opened for it. */
  public record Parent(int fd, HostFd owned) implements AutoCloseable {
    @Override
    public void close() {
      if (owned != null) {
        owned.close();
      }
    }
  }

  @Override
  public FileType fileType() {
    return FileType.DIRECTORY;
  }

  @Override
  public void close() {
    host.close();
  }
}
