package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.sys.Linux;
import dev.kiln.wasi.sys.SysException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The entries of an open directory for fd_readdir, read with getdents64(2) from its descriptor in
 * the kernel's order, each with its inode and type (d_type; a filesystem that reports DT_UNKNOWN is
 * asked with statx).
 *
 * <p>A cookie is the kernel's own position: an entry's {@code d_next} is its {@code d_off}, the
 * telldir(3)-like offset at which the entry after it starts, and a call at a cookie seeks there
 * (lseek(2), as seekdir(3) does) and reads on. Nothing is kept between calls, so a guest's listings
 * cost the host no memory beyond one getdents64 buffer, and a cookie stays meaningful however the
 * directory changes meanwhile: the filesystem keeps an entry's offset stable (ext4's name hashes,
 * tmpfs's offset map, XFS and btrfs directory offsets), so entries removed or added before the
 * cookie do not move where reading resumes. POSIX readdir(3) leaves only whether an entry added or
 * removed meanwhile is returned unspecified; every other entry is returned once. The witx
 * {@code dircookie} is an opaque value taken from a previous {@code dirent.d_next}, 0 the start.
 */
public final class DirectoryListing {
  /** struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[]. */
  private static final int D_INO = 0;
  private static final int D_OFF = 8;
  private static final int D_RECLEN = 16;
  private static final int D_TYPE = 18;
  private static final int D_NAME = 19;
  /** The largest getdents64 buffer. */
  private static final int BUFFER = 32 * 1024;
  /**
   * The smallest: room for one record of a 255-byte name (19 + 256 bytes, padded to 8), which
   * getdents64 needs (EINVAL otherwise), and then some.
   */
  private static final int MIN_BUFFER = 512;

  private DirectoryListing() {}

  /** One entry; the name as the host's bytes (Linux names are bytes, usually UTF-8). */
  public record Entry(byte[] name, long ino, FileType type) {
    /** The witx dirent header followed by the name, little-endian. */
    public byte[] record(long next) {
      ByteBuffer buffer = ByteBuffer.allocate(Layouts.DIRENT_SIZE + name.length)
          .order(ByteOrder.LITTLE_ENDIAN);
      buffer.putLong(Layouts.DIRENT_NEXT, next);
      buffer.putLong(Layouts.DIRENT_INO, ino);
      buffer.putInt(Layouts.DIRENT_NAMLEN, name.length);
      buffer.put(Layouts.DIRENT_TYPE, (byte) type.code());
      buffer.put(Layouts.DIRENT_SIZE, name);
      return buffer.array();
    }
  }

  /** Takes the entries in order with the cookie after each; false when it wants no more. */
  @FunctionalInterface
  public interface Sink {
    boolean accept(Entry entry, long next);
  }

  /**
   * Reads the directory open as {@code fd} from {@code cookie} (0: its start) into {@code sink}
   * until the sink wants no more or the directory ends; returns the entries read from the kernel.
   * {@code room}: the bytes the guest's buffer holds, so a small buffer does not make a call decode
   * a whole {@value #BUFFER}-byte getdents64 buffer of entries it cannot return. {@code
   * isPreopen}: ".." reports the directory's own inode instead of its parent's, which lies outside
   * what the guest was given. {@code limit} is checked after each getdents64 buffer, so the
   * deadline ends the listing of a directory the guest filled with millions of names.
   */
  public static long read(int fd, boolean isPreopen, long cookie, long room, WaitLimit limit,
      Sink sink) {
    Linux.lseek(fd, cookie, Linux.SEEK_SET);
    long decoded = 0;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(Math.min(BUFFER, Math.max(room, 0) + MIN_BUFFER), 8);
      for (long n; (n = Linux.getdents64(fd, buffer)) > 0; limit.check()) {
        for (long at = 0; at < n; ) {
          int length = Short.toUnsignedInt(buffer.get(ValueLayout.JAVA_SHORT, at + D_RECLEN));
          byte[] name = name(buffer, at + D_NAME, at + length);
          long ino = buffer.get(ValueLayout.JAVA_LONG, at + D_INO);
          long next = buffer.get(ValueLayout.JAVA_LONG, at + D_OFF);
          int dType = Byte.toUnsignedInt(buffer.get(ValueLayout.JAVA_BYTE, at + D_TYPE));
          at += length;
          decoded++;
          Entry entry;
          if (Arrays.equals(name, DOT_DOT) && isPreopen) {
            entry = new Entry(name, FileStats.of(fd).ino(), FileType.DIRECTORY);
          } else if (Arrays.equals(name, DOT) || Arrays.equals(name, DOT_DOT)) {
            entry = new Entry(name, ino, FileType.DIRECTORY);
          } else {
            FileType type = typeOf(dType, fd, name);
            if (type == null) {
              continue;
            }
            entry = new Entry(name, ino, type);
          }
          if (!sink.accept(entry, next)) {
            return decoded;
          }
        }
      }
    }
    return decoded;
  }

  private static final byte[] DOT = {'.'};
  private static final byte[] DOT_DOT = {'.', '.'};

  private static byte[] name(MemorySegment buffer, long from, long limit) {
    long end = from;
    while (end < limit && buffer.get(ValueLayout.JAVA_BYTE, end) != 0) {
      end++;
    }
    return buffer.asSlice(from, end - from).toArray(ValueLayout.JAVA_BYTE);
  }

  /** The WASI type for a d_type (dirent.h DT_*); null if the entry vanished before statx. */
  private static FileType typeOf(int dType, int dirfd, byte[] name) {
    return switch (dType) {
      case 1 -> FileType.UNKNOWN; // DT_FIFO: WASI preview1 has no FIFO type
      case 2 -> FileType.CHARACTER_DEVICE;
      case 4 -> FileType.DIRECTORY;
      case 6 -> FileType.BLOCK_DEVICE;
      case 8 -> FileType.REGULAR_FILE;
      case 10 -> FileType.SYMBOLIC_LINK;
      case 12 -> FileType.SOCKET_STREAM;
      default -> {
        try {
          String n = new String(name, java.nio.charset.StandardCharsets.UTF_8);
          yield FileStats.typeOfMode(Linux.statx(dirfd, n, Linux.AT_SYMLINK_NOFOLLOW).mode());
        } catch (SysException gone) {
          yield null;
        }
      }
    };
  }
}
