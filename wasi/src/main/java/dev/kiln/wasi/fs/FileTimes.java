package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.WasiException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/**
 * fd_filestat_set_times / path_filestat_set_times: {@code fstflags} says which of the access and
 * modification times to set, each either to the given timestamp (nanoseconds since the epoch) or to
 * now; asking for both forms of one time is {@link Errno#INVAL} (witx fstflags, utimensat(2)).
 */
public final class FileTimes {
  private FileTimes() {}

  public static void set(Path path, long atim, long mtim, int fstFlags, boolean follow)
      throws IOException {
    if ((fstFlags & ~(Layouts.FSTFLAG_ATIM | Layouts.FSTFLAG_ATIM_NOW | Layouts.FSTFLAG_MTIM
        | Layouts.FSTFLAG_MTIM_NOW)) != 0) {
      throw new WasiException(Errno.INVAL, "fstflags " + fstFlags);
    }
    FileTime now = FileTime.from(Instant.now());
    FileTime access = pick(fstFlags, Layouts.FSTFLAG_ATIM, Layouts.FSTFLAG_ATIM_NOW, atim, now);
    FileTime modified = pick(fstFlags, Layouts.FSTFLAG_MTIM, Layouts.FSTFLAG_MTIM_NOW, mtim, now);
    LinkOption[] options = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    BasicFileAttributeView view =
        Files.getFileAttributeView(path, BasicFileAttributeView.class, options);
    // null leaves a time unchanged (BasicFileAttributeView.setTimes).
    view.setTimes(modified, access, null);
  }

  private static FileTime pick(int flags, int exact, int now, long value, FileTime current) {
    boolean setExact = (flags & exact) != 0;
    boolean setNow = (flags & now) != 0;
    if (setExact && setNow) {
      throw new WasiException(Errno.INVAL, "both a time and now");
    }
    if (setNow) {
      return current;
    }
    return setExact ? FileTime.from(value, TimeUnit.NANOSECONDS) : null;
  }
}
