package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.fs.Descriptor;
import dev.kiln.wasi.fs.DirectoryDescriptor;
import dev.kiln.wasi.fs.FileDescriptor;
import dev.kiln.wasi.fs.FileStats;
import dev.kiln.wasi.fs.FileTimes;
import dev.kiln.wasi.fs.StreamDescriptor;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a descriptor is and what it holds (wasi_snapshot_preview1.witx fd_fdstat_get/set_flags/
 * set_rights, fd_filestat_get/set_size/set_times, fd_prestat_get/dir_name, fd_readdir).
 */
public final class FdStatusFunctions {
  private final WasiContext context;

  FdStatusFunctions(WasiContext context) {
    this.context = context;
  }

  /** fd_fdstat_get(fd, stat: *fdstat). */
  public int fdstatGet(MemorySegment memory, int fd, int statPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      Descriptor d = context.fds().get(fd);
      m.check(statPtr, Layouts.FDSTAT_SIZE);
      m.putI64(statPtr, 0); // filetype, its padding byte, flags, and padding up to the rights
      m.putU8(statPtr + Layouts.FDSTAT_FILETYPE, d.fileType().code());
      m.putU16(statPtr + Layouts.FDSTAT_FLAGS, d.flags());
      m.putI64(statPtr + Layouts.FDSTAT_RIGHTS_BASE, d.rightsBase());
      m.putI64(statPtr + Layouts.FDSTAT_RIGHTS_INHERITING, d.rightsInheriting());
    });
  }

  /** fd_fdstat_set_flags(fd, flags: fdflags). */
  public int fdstatSetFlags(int fd, int flags) {
    return WasiCall.errno(() -> {
      Descriptor d = context.fds().get(fd);
      d.require(Rights.FD_FDSTAT_SET_FLAGS.bit());
      if ((flags & ~Layouts.FDFLAGS_ALL) != 0) {
        throw new WasiException(Errno.INVAL, "fdflags " + flags);
      }
      d.setFlags(flags);
    });
  }

  /** fd_fdstat_set_rights(fd, base, inheriting): may only remove rights. */
  public int fdstatSetRights(int fd, long base, long inheriting) {
    return WasiCall.errno(() -> context.fds().get(fd).narrowRights(base, inheriting));
  }

  /**
   * fd_filestat_get(fd, buf: *filestat). A file's size comes from its open channel, so it is right
   * even if the file was renamed or unlinked after it was opened (then the other fields are those of
   * a stream: the path no longer leads to it).
   */
  public int filestatGet(MemorySegment memory, int fd, int bufPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      Descriptor d = context.fds().get(fd);
      d.require(Rights.FD_FILESTAT_GET.bit());
      m.check(bufPtr, Layouts.FILESTAT_SIZE);
      FileStats stats = switch (d) {
        case FileDescriptor f -> {
          long size = f.channel().size();
          FileStats byPath = Files.exists(f.hostPath()) ? FileStats.of(f.hostPath(), false)
              : FileStats.ofStream(FileType.REGULAR_FILE);
          yield new FileStats(byPath.dev(), byPath.ino(), FileType.REGULAR_FILE, byPath.nlink(),
              size, byPath.atim(), byPath.mtim(), byPath.ctim());
        }
        case DirectoryDescriptor dir -> FileStats.of(dir.hostPath(), false);
        case StreamDescriptor s -> FileStats.ofStream(s.fileType());
      };
      stats.writeTo(m, bufPtr);
    });
  }

  /** fd_filestat_set_size(fd, size): truncates or extends with zeros. */
  public int filestatSetSize(int fd, long size) {
    return WasiCall.errno(() -> {
      FileDescriptor f = regularFile(fd);
      f.require(Rights.FD_FILESTAT_SET_SIZE.bit());
      if (size < 0) {
        throw new WasiException(Errno.INVAL, "size beyond 2^63");
      }
      if (size < f.channel().size()) {
        try {
          f.channel().truncate(size);
        } catch (java.nio.channels.NonWritableChannelException e) {
          throw new WasiException(Errno.BADF, "file not open for writing");
        }
      } else {
        FdFunctions.grow(f.channel(), size);
      }
    });
  }

  /** fd_filestat_set_times(fd, atim, mtim, fst_flags). */
  public int filestatSetTimes(int fd, long atim, long mtim, int fstFlags) {
    return WasiCall.errno(() -> {
      Descriptor d = context.fds().get(fd);
      d.require(Rights.FD_FILESTAT_SET_TIMES.bit());
      Path path = switch (d) {
        case FileDescriptor f -> f.hostPath();
        case DirectoryDescriptor dir -> dir.hostPath();
        case StreamDescriptor _ -> throw new WasiException(Errno.BADF, "a stream has no times");
      };
      FileTimes.set(path, atim, mtim, fstFlags, false);
    });
  }

  /** fd_prestat_get(fd, buf: *prestat): {@link Errno#BADF} for any fd that is not a preopen. */
  public int prestatGet(MemorySegment memory, int fd, int bufPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      byte[] name = preopenName(fd);
      m.check(bufPtr, Layouts.PRESTAT_SIZE);
      m.putI32(bufPtr, 0); // tag and its padding
      m.putU8(bufPtr + Layouts.PRESTAT_TAG, Layouts.PREOPENTYPE_DIR);
      m.putI32(bufPtr + Layouts.PRESTAT_DIR_NAME_LEN, name.length);
    });
  }

  /** fd_prestat_dir_name(fd, path: *u8, path_len): the name, without a NUL. */
  public int prestatDirName(MemorySegment memory, int fd, int pathPtr, int pathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      byte[] name = preopenName(fd);
      if (Integer.toUnsignedLong(pathLen) < name.length) {
        throw new WasiException(Errno.NAMETOOLONG, "buffer shorter than the name");
      }
      m.write(pathPtr, name);
    });
  }

  private byte[] preopenName(int fd) {
    Descriptor d = context.fds().get(fd);
    if (!(d instanceof DirectoryDescriptor dir) || dir.preopenName() == null) {
      throw new WasiException(Errno.BADF, "fd " + fd + " is not a preopen");
    }
    return dir.preopenName().getBytes(StandardCharsets.UTF_8);
  }

  /**
   * fd_readdir(fd, buf, buf_len, cookie, bufused: *size). The listing is ".", ".." and then the
   * entries sorted by name; an entry's cookie is its index, d_next the index after it, so a guest
   * can resume from any d_next as long as the directory is unchanged. Entries are packed as dirent
   * headers each followed by its name; the last one is cut off at buf_len, and a full buffer
   * ({@code bufused == buf_len}) tells the guest to call again (witx fd_readdir).
   */
  public int readdir(MemorySegment memory, int fd, int bufPtr, int bufLen, long cookie,
      int bufUsedPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = context.fds().get(fd, DirectoryDescriptor.class, Errno.NOTDIR);
      dir.require(Rights.FD_READDIR.bit());
      long capacity = Integer.toUnsignedLong(bufLen);
      m.check(bufPtr, capacity);
      m.check(bufUsedPtr, 4);
      List<Entry> entries = list(dir);
      long used = 0;
      for (long i = Math.max(cookie, 0); i < entries.size() && used < capacity; i++) {
        byte[] record = entries.get((int) i).record(i + 1);
        int n = (int) Math.min(record.length, capacity - used);
        m.write((int) (bufPtr + used), record, 0, n);
        used += n;
      }
      m.putI32(bufUsedPtr, (int) used);
    });
  }

  private record Entry(String name, long ino, FileType type) {
    /** The dirent header followed by the name, little-endian. */
    byte[] record(long next) {
      byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
      var buffer = java.nio.ByteBuffer.allocate(Layouts.DIRENT_SIZE + utf8.length)
          .order(java.nio.ByteOrder.LITTLE_ENDIAN);
      buffer.putLong(Layouts.DIRENT_NEXT, next);
      buffer.putLong(Layouts.DIRENT_INO, ino);
      buffer.putInt(Layouts.DIRENT_NAMLEN, utf8.length);
      buffer.put(Layouts.DIRENT_TYPE, (byte) type.code());
      buffer.put(Layouts.DIRENT_SIZE, utf8);
      return buffer.array();
    }
  }

  private static List<Entry> list(DirectoryDescriptor dir) throws IOException {
    Path host = dir.hostPath();
    List<Entry> entries = new ArrayList<>();
    FileStats self = FileStats.of(host, false);
    entries.add(new Entry(".", self.ino(), FileType.DIRECTORY));
    Path parent = dir.components().isEmpty() ? host : host.getParent();
    entries.add(new Entry("..", FileStats.of(parent, false).ino(), FileType.DIRECTORY));
    List<Path> children = new ArrayList<>();
    try (DirectoryStream<Path> stream = Files.newDirectoryStream(host)) {
      stream.forEach(children::add);
    }
    children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
    for (Path child : children) {
      try {
        FileStats s = FileStats.of(child, false);
        entries.add(new Entry(child.getFileName().toString(), s.ino(), s.type()));
      } catch (WasiException gone) {
        // Removed between listing and stat: it is no longer an entry.
      }
    }
    return entries;
  }

  private FileDescriptor regularFile(int fd) {
    Descriptor d = context.fds().get(fd);
    return switch (d) {
      case FileDescriptor f -> f;
      case DirectoryDescriptor _ -> throw new WasiException(Errno.ISDIR);
      case StreamDescriptor _ -> throw new WasiException(Errno.INVAL, "a stream has no size");
    };
  }
}
