package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.fs.Descriptor;
import dev.kiln.wasi.fs.DirectoryDescriptor;
import dev.kiln.wasi.fs.FileDescriptor;
import dev.kiln.wasi.fs.DirectoryListing;
import dev.kiln.wasi.fs.FileStats;
import dev.kiln.wasi.fs.StreamDescriptor;
import dev.kiln.wasi.fs.Timestamps;
import dev.kiln.wasi.fs.WaitLimit;
import dev.kiln.wasi.sys.Linux;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * What a descriptor is and what it holds (wasi_snapshot_preview1.witx fd_fdstat_get/set_flags/
 * set_rights, fd_filestat_get/set_size/set_times, fd_prestat_get/dir_name, fd_readdir).
 */
public final class FdStatusFunctions {
  /** How many directory entries fd_readdir copies out between two checks of the deadline. */
  static final int DIRENTS_PER_CHECK = 1024;

  private final WasiContext context;

  FdStatusFunctions(WasiContext context) {
    this.context = context;
  }

  /** fd_fdstat_get(fd, stat: *fdstat). */
  public int fdstatGet(MemorySegment memory, int fd, int statPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      Descriptor d = context.fds().get(fd);
      long stat = m.range(statPtr, Layouts.FDSTAT_SIZE);
      m.putI64(stat, 0); // filetype, its padding byte, flags, and padding up to the rights
      m.putU8(stat + Layouts.FDSTAT_FILETYPE, d.fileType().code());
      m.putU16(stat + Layouts.FDSTAT_FLAGS, d.flags());
      m.putI64(stat + Layouts.FDSTAT_RIGHTS_BASE, d.rightsBase());
      m.putI64(stat + Layouts.FDSTAT_RIGHTS_INHERITING, d.rightsInheriting());
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
   * fd_filestat_get(fd, buf: *filestat): fstat of the open descriptor, so it stays right after the
   * file is renamed or unlinked.
   */
  public int filestatGet(MemorySegment memory, int fd, int bufPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      Descriptor d = context.fds().get(fd);
      d.require(Rights.FD_FILESTAT_GET.bit());
      long buf = m.range(bufPtr, Layouts.FILESTAT_SIZE);
      FileStats stats = switch (d) {
        case FileDescriptor f -> FileStats.of(f.fd());
        case DirectoryDescriptor dir -> FileStats.of(dir.fd());
        case StreamDescriptor s -> FileStats.ofStream(s.fileType());
      };
      stats.writeTo(m, buf);
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
      Linux.ftruncate(f.fd(), size);
    });
  }

  /** fd_filestat_set_times(fd, atim, mtim, fst_flags): futimens on the open descriptor. */
  public int filestatSetTimes(int fd, long atim, long mtim, int fstFlags) {
    return WasiCall.errno(() -> {
      Descriptor d = context.fds().get(fd);
      d.require(Rights.FD_FILESTAT_SET_TIMES.bit());
      Timestamps times = Timestamps.of(atim, mtim, fstFlags);
      switch (d) {
        case FileDescriptor f -> times.applyTo(f.fd());
        case DirectoryDescriptor dir -> times.applyTo(dir.fd());
        case StreamDescriptor _ -> throw new WasiException(Errno.BADF, "a stream has no times");
      }
    });
  }

  /** fd_prestat_get(fd, buf: *prestat): {@link Errno#BADF} for any fd that is not a preopen. */
  public int prestatGet(MemorySegment memory, int fd, int bufPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      byte[] name = preopenName(fd);
      long buf = m.range(bufPtr, Layouts.PRESTAT_SIZE);
      m.putI32(buf, 0); // tag and its padding
      m.putU8(buf + Layouts.PRESTAT_TAG, Layouts.PREOPENTYPE_DIR);
      m.putI32(buf + Layouts.PRESTAT_DIR_NAME_LEN, name.length);
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
      m.write(GuestMemory.pointer(pathPtr), name);
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
   * fd_readdir(fd, buf, buf_len, cookie, bufused: *size). The entries come in the kernel's order
   * (getdents64 on the open directory, "." and ".." among them); an entry's d_next is the kernel's
   * d_off for it, and a call at a cookie seeks there and reads on, so a guest can resume from any
   * d_next however the directory changed meanwhile and nothing is kept between calls ({@link
   * DirectoryListing}). Entries are packed as dirent headers each followed by its name; the last
   * one is cut off at buf_len, and a full buffer ({@code bufused == buf_len}) tells the guest to
   * call again (witx fd_readdir). The ".." of a preopen's directory, through whichever descriptor,
   * reports the directory's own inode: what lies above it is not the guest's to see. A buffer of up to 4 GiB over a huge directory is filled with the
   * deadline checked after each getdents64 buffer and each {@value #DIRENTS_PER_CHECK} entries (at
   * most 280 KiB of records: names are at most 255 bytes); a short {@code bufused} would mean "end
   * of directory", so the deadline ends the call with its trap ({@link WaitLimit}).
   */
  public int readdir(MemorySegment memory, int fd, int bufPtr, int bufLen, long cookie,
      int bufUsedPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = context.fds().get(fd, DirectoryDescriptor.class, Errno.NOTDIR);
      dir.require(Rights.FD_READDIR.bit());
      long capacity = Integer.toUnsignedLong(bufLen);
      long buf = m.range(bufPtr, capacity);
      long bufUsed = m.range(bufUsedPtr, 4);
      WaitLimit limit = context.waitLimit();
      long[] used = {0};
      long[] copied = {0};
      if (capacity > 0) {
        context.countDirentsRead(DirectoryListing.read(dir.fd(),
            dir.preopenName() != null || context.isPreopenRoot(dir.fd()), cookie,
            capacity, limit, (entry, next) -> {
              if (++copied[0] % DIRENTS_PER_CHECK == 0) {
                limit.check();
              }
              byte[] record = entry.record(next);
              int n = (int) Math.min(record.length, capacity - used[0]);
              m.write(buf + used[0], record, 0, n);
              used[0] += n;
              return used[0] < capacity;
            }));
      }
      m.putI32(bufUsed, (int) used[0]);
    });
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
