package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.sys.Linux;
import dev.kiln.wasi.sys.Statx;

/**
 * A witx {@code filestat}: the host's statx fields, timestamps in nanoseconds since the epoch (the
 * unit of witx {@code timestamp}).
 */
public record FileStats(long dev, long ino, FileType type, long nlink, long size, long atim,
    long mtim, long ctim) {

  /** The status of what {@code fd} refers to (an O_PATH descriptor included). */
  public static FileStats of(int fd) {
    return of(Linux.statx(fd, "", Linux.AT_EMPTY_PATH));
  }

  static FileStats of(Statx s) {
    return new FileStats(s.dev(), s.ino(), typeOfMode(s.mode()), s.nlink(), s.size(), s.atimNanos(),
        s.mtimNanos(), s.ctimNanos());
  }

  /** A stream's status: no device, inode or times the guest could rely on. */
  public static FileStats ofStream(FileType type) {
    return new FileStats(0, 0, type, 1, 0, 0, 0, 0);
  }

  static FileType typeOfMode(int mode) {
    return switch (mode & Statx.S_IFMT) {
      case Statx.S_IFREG -> FileType.REGULAR_FILE;
      case Statx.S_IFDIR -> FileType.DIRECTORY;
      case Statx.S_IFLNK -> FileType.SYMBOLIC_LINK;
      case Statx.S_IFCHR -> FileType.CHARACTER_DEVICE;
      case Statx.S_IFBLK -> FileType.BLOCK_DEVICE;
      case Statx.S_IFSOCK -> FileType.SOCKET_STREAM;
      default -> FileType.UNKNOWN;
    };
  }

  /**
   * Writes this record as a witx filestat at guest address {@code at} (a {@code long}: the fields
   * of a record just below 2^32 in a memory64 memory lie above it).
   */
  public void writeTo(GuestMemory memory, long at) {
    long ptr = memory.check(at, Layouts.FILESTAT_SIZE);
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
