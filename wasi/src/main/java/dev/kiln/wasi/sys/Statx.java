package dev.kiln.wasi.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;

/**
 * The fields of a {@code struct statx} (include/uapi/linux/stat.h) that a witx filestat needs.
 * statx rather than fstatat because its layout is the same on every architecture, where struct
 * stat differs between x86-64 and AArch64.
 *
 * @param dev the device, encoded as glibc's makedev does (what st_dev holds)
 * @param mode st_mode: file type and permission bits
 * @param atimNanos access time, nanoseconds since the epoch (likewise mtim, ctim)
 */
public record Statx(long dev, long ino, int mode, long nlink, long size, long atimNanos,
    long mtimNanos, long ctimNanos) {

  // Offsets in struct statx.
  private static final long NLINK = 16;
  private static final long MODE = 28;
  private static final long INO = 32;
  private static final long SIZE = 40;
  private static final long ATIME = 64;
  private static final long CTIME = 96;
  private static final long MTIME = 112;
  private static final long DEV_MAJOR = 136;
  private static final long DEV_MINOR = 140;

  // st_mode's S_IFMT field and its values (POSIX <sys/stat.h>; Linux numbering).
  public static final int S_IFMT = 0170000;
  public static final int S_IFSOCK = 0140000;
  public static final int S_IFLNK = 0120000;
  public static final int S_IFREG = 0100000;
  public static final int S_IFBLK = 0060000;
  public static final int S_IFDIR = 0040000;
  public static final int S_IFCHR = 0020000;
  public static final int S_IFIFO = 0010000;

  static Statx of(MemorySegment s) {
    return new Statx(
        makedev(s.get(JAVA_INT, DEV_MAJOR), s.get(JAVA_INT, DEV_MINOR)),
        s.get(JAVA_LONG, INO),
        Short.toUnsignedInt(s.get(JAVA_SHORT, MODE)),
        Integer.toUnsignedLong(s.get(JAVA_INT, NLINK)),
        s.get(JAVA_LONG, SIZE),
        nanos(s, ATIME),
        nanos(s, MTIME),
        nanos(s, CTIME));
  }

  public boolean isDirectory() {
    return (mode & S_IFMT) == S_IFDIR;
  }

  /**
   * A FIFO, socket or character device: reading may wait for a writer's data and writing for a
   * reader's room, as reading or writing a regular file or block device never does.
   */
  public boolean mayWait() {
    int type = mode & S_IFMT;
    return type == S_IFIFO || type == S_IFSOCK || type == S_IFCHR;
  }

  public boolean isFifo() {
    return (mode & S_IFMT) == S_IFIFO;
  }

  public boolean isSymbolicLink() {
    return (mode & S_IFMT) == S_IFLNK;
  }

  /** struct statx_timestamp: i64 tv_sec, u32 tv_nsec. */
  private static long nanos(MemorySegment s, long at) {
    return s.get(JAVA_LONG, at) * 1_000_000_000L + Integer.toUnsignedLong(s.get(JAVA_INT, at + 8));
  }

  /** glibc's gnu_dev_makedev (sys/sysmacros.h). */
  private static long makedev(int major, int minor) {
    long ma = Integer.toUnsignedLong(major);
    long mi = Integer.toUnsignedLong(minor);
    return ((ma & 0xfffff000L) << 32) | ((ma & 0xfffL) << 8) | ((mi & 0xffffff00L) << 12) | (mi & 0xffL);
  }
}
