package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A witx {@code filestat} read from the host: java.nio's "unix" attribute view supplies dev, ino,
 * nlink, mode and ctime (Linux's stat fields), the basic view the rest. Timestamps are nanoseconds
 * since the epoch, the unit of witx {@code timestamp}.
 */
public record FileStats(long dev, long ino, FileType type, long nlink, long size, long atim,
    long mtim, long ctim) {

  // st_mode's S_IFMT field and its values (POSIX <sys/stat.h>; Linux numbering).
  private static final int S_IFMT = 0170000;
  private static final int S_IFSOCK = 0140000;
  private static final int S_IFLNK = 0120000;
  private static final int S_IFREG = 0100000;
  private static final int S_IFBLK = 0060000;
  private static final int S_IFDIR = 0040000;
  private static final int S_IFCHR = 0020000;

  /** The status of {@code path} itself ({@code follow}: of a symlink's target instead). */
  public static FileStats of(Path path, boolean follow) {
    LinkOption[] options = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
    try {
      Map<String, Object> a =
          Files.readAttributes(path, "unix:dev,ino,nlink,mode,size,lastAccessTime,lastModifiedTime,ctime",
              options);
      return new FileStats(
          (Long) a.get("dev"),
          (Long) a.get("ino"),
          typeOfMode((Integer) a.get("mode")),
          ((Integer) a.get("nlink")).longValue(),
          (Long) a.get("size"),
          nanos((FileTime) a.get("lastAccessTime")),
          nanos((FileTime) a.get("lastModifiedTime")),
          nanos((FileTime) a.get("ctime")));
    } catch (IOException e) {
      throw IoErrors.toWasi(e);
    }
  }

  /** A stream's status: no device, inode or times the guest could rely on. */
  public static FileStats ofStream(FileType type) {
    return new FileStats(0, 0, type, 1, 0, 0, 0, 0);
  }

  static FileType typeOfMode(int mode) {
    return switch (mode & S_IFMT) {
      case S_IFREG -> FileType.REGULAR_FILE;
      case S_IFDIR -> FileType.DIRECTORY;
      case S_IFLNK -> FileType.SYMBOLIC_LINK;
      case S_IFCHR -> FileType.CHARACTER_DEVICE;
      case S_IFBLK -> FileType.BLOCK_DEVICE;
      case S_IFSOCK -> FileType.SOCKET_STREAM;
      default -> FileType.UNKNOWN;
    };
  }

  private static long nanos(FileTime t) {
    return t.to(TimeUnit.NANOSECONDS);
  }

  /** Writes this record as a witx filestat at {@code ptr}. */
  public void writeTo(GuestMemory memory, int ptr) {
    memory.check(ptr, Layouts.FILESTAT_SIZE);
    memory.putI64(ptr + Layouts.FILESTAT_DEV, dev);
    memory.putI64(ptr + Layouts.FILESTAT_INO, ino);
    memory.putI64(ptr + Layouts.FILESTAT_FILETYPE, 0); // filetype u8 plus its 7 padding bytes
    memory.putU8(ptr + Layouts.FILESTAT_FILETYPE, type.code());
    memory.putI64(ptr + Layouts.FILESTAT_NLINK, nlink);
    memory.putI64(ptr + Layouts.FILESTAT_SIZE_FIELD, size);
    memory.putI64(ptr + Layouts.FILESTAT_ATIM, atim);
    memory.putI64(ptr + Layouts.FILESTAT_MTIM, mtim);
    memory.putI64(ptr + Layouts.FILESTAT_CTIM, ctim);
  }
}
