package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.sys.Linux;
import dev.kiln.wasi.sys.LinuxErrno;
import dev.kiln.wasi.sys.SysException;

/**
 * How a guest path is opened beneath a directory descriptor so that no component, symbolic link or
 * ".." leads out of it, whatever the path, the links it meets, or another process changing the tree
 * between calls. Both ways resolve relative to an open host directory, never by path strings, so a
 * directory renamed or swapped for a link after it was opened cannot redirect later calls.
 */
public enum PathResolution {
  /**
   * openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS (Linux 5.6+): the kernel refuses any
   * step that would leave the directory, absolute symlink targets included, atomically with the
   * lookup.
   */
  OPENAT2 {
    @Override
    public int open(int dirfd, String path, int flags, int mode) {
      for (int attempt = 0; ; attempt++) {
        try {
          return Linux.openat2(dirfd, path, flags | Linux.O_CLOEXEC, mode,
              Linux.RESOLVE_BENEATH | Linux.RESOLVE_NO_MAGICLINKS);
        } catch (SysException e) {
          if (e.is(LinuxErrno.EXDEV)) {
            // The only EXDEV openat2 reports is a RESOLVE_BENEATH violation.
            throw new WasiException(Errno.NOTCAPABLE, path + " leads out of its directory");
          }
          // EAGAIN: a concurrent rename raced a ".." step; the kernel asks for a retry.
          if (!e.is(LinuxErrno.EAGAIN) || attempt == MAX_RETRIES) {
            throw e;
          }
        }
      }
    }
  },

  /**
   * For kernels without openat2: one openat(O_NOFOLLOW) per component from an open directory, with
   * symbolic links read and spliced in by {@link ComponentWalk} under the same rules.
   */
  COMPONENT_WALK {
    @Override
    public int open(int dirfd, String path, int flags, int mode) {
      return new ComponentWalk(dirfd, flags | Linux.O_CLOEXEC, mode).open(path);
    }
  };

  private static final int MAX_RETRIES = 32;

  private static volatile PathResolution best;

  /**
   * Opens {@code path} (relative, non-empty) beneath {@code dirfd} with open(2) {@code flags}:
   * a final symbolic link is followed unless they include O_NOFOLLOW. Returns the new descriptor.
   */
  public abstract int open(int dirfd, String path, int flags, int mode);

  /** {@link #OPENAT2} where the running kernel has it, otherwise {@link #COMPONENT_WALK}. */
  public static PathResolution best() {
    PathResolution known = best;
    if (known == null) {
      best = known = probe();
    }
    return known;
  }

  private static PathResolution probe() {
    try {
      Linux.close(Linux.openat2(Linux.AT_FDCWD, ".", Linux.O_PATH | Linux.O_CLOEXEC, 0,
          Linux.RESOLVE_BENEATH));
      return OPENAT2;
    } catch (SysException e) {
      // ENOSYS before Linux 5.6; EPERM where a seccomp filter refuses unknown system calls.
      return COMPONENT_WALK;
    }
  }
}
