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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The entries of an open directory for fd_readdir, read with getdents64(2) from its descriptor:
 * ".", ".." and the other names sorted bytewise, each with its inode and type (d_type; a filesystem
 * that reports DT_UNKNOWN is asked with statx).
 */
public final class DirectoryListing {
  /** struct linux_dirent64: u64 d_ino, s64 d_off, u16 d_reclen, u8 d_type, char d_name[]. */
  private static final int D_INO = 0;
  private static final int D_RECLEN = 16;
  private static final int D_TYPE = 18;
  private static final int D_NAME = 19;
  private static final int BUFFER = 32 * 1024;

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

  /**
   * Lists the directory open as {@code fd} from its start. {@code isPreopen}: ".." reports the
   * directory's own inode instead of its parent's, which lies outside what the guest was given. A
   * directory the guest filled with millions of names takes long to list: {@code limit} is checked
   * after each getdents64 buffer ({@value #BUFFER} bytes), so the deadline ends the listing.
   */
  static List<Entry> read(int fd, boolean isPreopen, WaitLimit limit) {
    Linux.lseek(fd, 0, Linux.SEEK_SET);
    Entry self = null;
    Entry parent = null;
    List<Entry> others = new ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(BUFFER, 8);
      for (long n; (n = Linux.getdents64(fd, buffer)) > 0; limit.check()) {
        for (long at = 0; at < n; ) {
          int length = Short.toUnsignedInt(buffer.get(ValueLayout.JAVA_SHORT, at + D_RECLEN));
          byte[] name = name(buffer, at + D_NAME, at + length);
          long ino = buffer.get(ValueLayout.JAVA_LONG, at + D_INO);
          int dType = Byte.toUnsignedInt(buffer.get(ValueLayout.JAVA_BYTE, at + D_TYPE));
          if (Arrays.equals(name, DOT)) {
            self = new Entry(name, ino, FileType.DIRECTORY);
          } else if (Arrays.equals(name, DOT_DOT)) {
            parent = new Entry(name, ino, FileType.DIRECTORY);
          } else {
            FileType type = typeOf(dType, fd, name);
            if (type != null) {
              others.add(new Entry(name, ino, type));
            }
          }
          at += length;
        }
      }
    }
    others.sort((a, b) -> Arrays.compareUnsigned(a.name(), b.name()));
    List<Entry> entries = new ArrayList<>(others.size() + 2);
    entries.add(self);
    entries.add(isPreopen ? new Entry(DOT_DOT, self.ino(), FileType.DIRECTORY) : parent);
    entries.addAll(others);
    return entries;
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
