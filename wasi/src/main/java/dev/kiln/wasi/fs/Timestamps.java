package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.sys.Linux;

/**
 * The two times of fd_filestat_set_times / path_filestat_set_times as utimensat(2) takes them:
 * {@code fstflags} says which of the access and modification times to set, each either to the
 * given timestamp (nanoseconds since the epoch) or to now; a time not named is left alone
 * (UTIME_OMIT). Asking for both forms of one time is {@link Errno#INVAL} (witx fstflags).
 */
public record Timestamps(long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) {

  public static Timestamps of(long atim, long mtim, int fstFlags) {
    if ((fstFlags & ~(Layouts.FSTFLAG_ATIM | Layouts.FSTFLAG_ATIM_NOW | Layouts.FSTFLAG_MTIM
        | Layouts.FSTFLAG_MTIM_NOW)) != 0) {
      throw new WasiException(Errno.INVAL, "fstflags " + fstFlags);
    }
    long[] a = pick(fstFlags, Layouts.FSTFLAG_ATIM, Layouts.FSTFLAG_ATIM_NOW, atim);
    long[] m = pick(fstFlags, Layouts.FSTFLAG_MTIM, Layouts.FSTFLAG_MTIM_NOW, mtim);
    return new Timestamps(a[0], a[1], m[0], m[1]);
  }

  /** {seconds, nanoseconds} of a timespec for one time. */
  private static long[] pick(int flags, int exact, int now, long nanos) {
    boolean setExact = (flags & exact) != 0;
    boolean setNow = (flags & now) != 0;
    if (setExact && setNow) {
      throw new WasiException(Errno.INVAL, "both a time and now");
    }
    if (setNow) {
      return new long[] {0, Linux.UTIME_NOW};
    }
    if (!setExact) {
      return new long[] {0, Linux.UTIME_OMIT};
    }
    // witx timestamps are u64 nanoseconds.
    return new long[] {Long.divideUnsigned(nanos, 1_000_000_000L),
        Long.remainderUnsigned(nanos, 1_000_000_000L)};
  }

  /** Sets the times of what {@code fd} refers to (futimens). */
  public void applyTo(int fd) {
    Linux.futimens(fd, atimeSec, atimeNsec, mtimeSec, mtimeNsec);
  }

  /** Sets the times of {@code name} in directory {@code dirfd} (utimensat). */
  public void applyAt(int dirfd, String name, int flags) {
    Linux.utimensat(dirfd, name, atimeSec, atimeNsec, mtimeSec, mtimeNsec, flags);
  }
}
