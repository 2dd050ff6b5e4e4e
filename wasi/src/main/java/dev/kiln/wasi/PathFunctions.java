package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.fs.DirectoryDescriptor;
import dev.kiln.wasi.fs.FileDescriptor;
import dev.kiln.wasi.fs.FileStats;
import dev.kiln.wasi.fs.GuestPath;
import dev.kiln.wasi.fs.HostFd;
import dev.kiln.wasi.fs.Timestamps;
import dev.kiln.wasi.fs.WaitLimit;
import dev.kiln.wasi.sys.Linux;
import dev.kiln.wasi.sys.LinuxErrno;
import dev.kiln.wasi.sys.SysException;
import dev.kiln.wasi.sys.Statx;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.LockSupport;

/**
 * Operations on names inside a directory descriptor (wasi_snapshot_preview1.witx path_*). No guest
 * path is ever handed to the host as a path string: a call that acts on what a path leads to opens
 * it beneath the descriptor ({@link DirectoryDescriptor#open}, resolved by the kernel with
 * RESOLVE_BENEATH), and a call that acts on a name itself (create, remove, rename, link, readlink,
 * stat or set times without symlink_follow) opens the path's directory part that way and passes only
 * the last name to the {@code *at} call. Those calls never follow a final symbolic link, exactly as
 * their POSIX counterparts do not, and a last name of "." or ".." is never passed to them (it would
 * step out of the opened directory): such a path names a directory, which cannot be created,
 * removed, renamed or linked.
 */
public final class PathFunctions {
  /** Permission bits of what a guest creates, before the host's umask (as open(2) with 0666/0777). */
  private static final int FILE_MODE = 0666;
  private static final int DIRECTORY_MODE = 0777;

  private final WasiContext context;

  PathFunctions(WasiContext context) {
    this.context = context;
  }

  private DirectoryDescriptor directory(int fd, Rights right) {
    DirectoryDescriptor dir = context.fds().get(fd, DirectoryDescriptor.class, Errno.NOTDIR);
    dir.require(right.bit());
    return dir;
  }

  private static GuestPath path(GuestMemory m, int ptr, int len) {
    return GuestPath.parse(m.string(GuestMemory.pointer(ptr), len));
  }

  /** A path naming an entry to create, remove or rename: "." or ".." cannot be one. */
  private static GuestPath entry(GuestPath p, Errno whenDots) {
    if (p.endsInDots()) {
      throw new WasiException(whenDots, p.text() + " ends in . or ..");
    }
    return p;
  }

  /**
   * Opens what {@code p} leads to as an O_PATH descriptor, following a final link when asked (or
   * when a trailing slash or final dots make the path a directory's), for status and times.
   */
  private static HostFd openPath(DirectoryDescriptor dir, GuestPath p, boolean follow) {
    boolean followed = follow || p.trailingSlash() || p.endsInDots();
    return new HostFd(dir.open(p.text(), Linux.O_PATH | (followed ? 0 : Linux.O_NOFOLLOW), 0));
  }

  /** path_create_directory(fd, path). */
  public int createDirectory(MemorySegment memory, int fd, int pathPtr, int pathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_CREATE_DIRECTORY);
      GuestPath p = entry(path(m, pathPtr, pathLen), Errno.EXIST);
      try (DirectoryDescriptor.Parent parent = dir.parent(p)) {
        Linux.mkdirat(parent.fd(), p.nameForEntryCall(), DIRECTORY_MODE);
      }
    });
  }

  /** path_filestat_get(fd, flags: lookupflags, path, buf: *filestat). */
  public int filestatGet(MemorySegment memory, int fd, int lookupFlags, int pathPtr, int pathLen,
      int bufPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_FILESTAT_GET);
      GuestPath p = path(m, pathPtr, pathLen);
      long buf = m.range(bufPtr, Layouts.FILESTAT_SIZE);
      try (HostFd target = openPath(dir, p, follows(lookupFlags))) {
        FileStats.of(target.fd()).writeTo(m, buf);
      }
    });
  }

  /**
   * path_filestat_set_times(fd, flags, path, atim, mtim, fst_flags). Without symlink_follow the
   * name itself is changed (utimensat AT_SYMLINK_NOFOLLOW in its directory); following, the target
   * is opened beneath the descriptor and changed through /proc/self/fd, because utimensat cannot
   * take an O_PATH descriptor and opening the target for reading could need rights the guest's
   * call does not.
   */
  public int filestatSetTimes(MemorySegment memory, int fd, int lookupFlags, int pathPtr,
      int pathLen, long atim, long mtim, int fstFlags) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_FILESTAT_SET_TIMES);
      GuestPath p = path(m, pathPtr, pathLen);
      Timestamps times = Timestamps.of(atim, mtim, fstFlags);
      if (follows(lookupFlags) || p.trailingSlash() || p.endsInDots()) {
        try (HostFd target = openPath(dir, p, true)) {
          times.applyAt(Linux.AT_FDCWD, "/proc/self/fd/" + target.fd(), 0);
        }
        return;
      }
      try (DirectoryDescriptor.Parent parent = dir.parent(p)) {
        times.applyAt(parent.fd(), p.name(), Linux.AT_SYMLINK_NOFOLLOW);
      }
    });
  }

  /**
   * path_link(old_fd, old_flags, old_path, new_fd, new_path): a hard link. Following a source link
   * is {@link Errno#INVAL}, as in Wasmtime: linkat(AT_SYMLINK_FOLLOW) would let the kernel follow it
   * out of the sandbox, and a link to a link's target is what the guest can make by resolving it.
   */
  public int link(MemorySegment memory, int oldFd, int oldFlags, int oldPathPtr, int oldPathLen,
      int newFd, int newPathPtr, int newPathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor from = directory(oldFd, Rights.PATH_LINK_SOURCE);
      DirectoryDescriptor to = directory(newFd, Rights.PATH_LINK_TARGET);
      if (follows(oldFlags)) {
        throw new WasiException(Errno.INVAL, "path_link with symlink_follow");
      }
      GuestPath source = path(m, oldPathPtr, oldPathLen);
      GuestPath target = entry(path(m, newPathPtr, newPathLen), Errno.EXIST);
      if (source.endsInDots() || source.trailingSlash()) {
        // Names a directory (or must): never hard-linked. Resolved first for the right errno.
        openPath(from, source, true).close();
        throw new WasiException(Errno.PERM, "hard link to a directory");
      }
      try (DirectoryDescriptor.Parent oldParent = from.parent(source);
          DirectoryDescriptor.Parent newParent = to.parent(target)) {
        Linux.linkat(oldParent.fd(), source.name(), newParent.fd(), target.nameForEntryCall(), 0);
      }
    });
  }

  /**
   * path_open(fd, dirflags, path, oflags, fs_rights_base, fs_rights_inheriting, fdflags,
   * opened_fd: *fd). The new descriptor's rights are those asked for, which must be within the
   * directory's inheriting set ({@link Errno#NOTCAPABLE} otherwise), narrowed to what apply to
   * the kind of file opened (witx: an implementation may return fewer rights only for that reason).
   * The host file is opened for reading and/or writing according to those rights; the kernel
   * reports what open(2) does (a final link not followed is {@link Errno#LOOP}, writing a
   * directory {@link Errno#ISDIR}).
   */
  public int open(MemorySegment memory, int fd, int dirFlags, int pathPtr, int pathLen, int oflags,
      long rightsBase, long rightsInheriting, int fdFlags, int openedFdPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_OPEN);
      boolean create = (oflags & Layouts.OFLAG_CREAT) != 0;
      boolean exclusive = (oflags & Layouts.OFLAG_EXCL) != 0;
      boolean truncate = (oflags & Layouts.OFLAG_TRUNC) != 0;
      boolean mustBeDirectory = (oflags & Layouts.OFLAG_DIRECTORY) != 0;
      if (create) {
        dir.require(Rights.PATH_CREATE_FILE.bit());
      }
      if (truncate) {
        dir.require(Rights.PATH_FILESTAT_SET_SIZE.bit());
      }
      if ((rightsBase & ~dir.rightsInheriting()) != 0
          || (rightsInheriting & ~dir.rightsInheriting()) != 0) {
        throw new WasiException(Errno.NOTCAPABLE, "rights beyond the directory's inheriting set");
      }
      if ((fdFlags & ~Layouts.FDFLAGS_ALL) != 0 || (oflags & ~15) != 0) {
        throw new WasiException(Errno.INVAL, "flags");
      }
      if (mustBeDirectory && (create || truncate)) {
        throw new WasiException(Errno.INVAL, "O_DIRECTORY with O_CREAT or O_TRUNC");
      }
      m.range(openedFdPtr, 4);
      String path = m.string(GuestMemory.pointer(pathPtr), pathLen);
      GuestPath.parse(path); // empty or absolute paths fail here, before the host sees them
      boolean writing = (rightsBase & (Rights.FD_WRITE.bit() | Rights.FD_ALLOCATE.bit()
          | Rights.FD_FILESTAT_SET_SIZE.bit())) != 0;
      boolean reading = (rightsBase & (Rights.FD_READ.bit() | Rights.FD_READDIR.bit())) != 0;
      int flags = (writing || truncate) ? (reading ? Linux.O_RDWR : Linux.O_WRONLY) : Linux.O_RDONLY;
      if (create) {
        flags |= Linux.O_CREAT | (exclusive ? Linux.O_EXCL : 0);
      }
      if (truncate) {
        flags |= Linux.O_TRUNC;
      }
      if (mustBeDirectory) {
        flags |= Linux.O_DIRECTORY;
      }
      if (!follows(dirFlags)) {
        flags |= Linux.O_NOFOLLOW;
      }
      HostFd opened = new HostFd(openWithin(dir, path, flags, context.waitLimit()));
      try {
        Statx status = Linux.statx(opened.fd(), "", Linux.AT_EMPTY_PATH);
        int number = context.fds().add(status.isDirectory()
            ? new DirectoryDescriptor(opened, dir.resolution(), null,
                rightsBase & Rights.DIRECTORY, rightsInheriting)
            : new FileDescriptor(opened, rightsBase & Rights.REGULAR_FILE, fdFlags, status.mayWait()));
        m.putI32(GuestMemory.pointer(openedFdPtr), number);
      } catch (RuntimeException e) {
        opened.close();
        throw e;
      }
    });
  }

  /**
   * open(2) beneath {@code dir}. Opening a FIFO waits for its other end (a writer for a reader, a
   * reader for a writer: fifo(7)), so with a deadline the file is opened O_NONBLOCK, which never
   * waits, and set back to blocking at once. A writer with no reader yet gets ENXIO then, and tries
   * again each {@link WaitLimit#SLICE_NANOS} until the deadline; a reader with no writer yet waits in
   * its first read instead, where the deadline is checked too.
   */
  private static int openWithin(DirectoryDescriptor dir, String path, int flags, WaitLimit limit) {
    if (!limit.applies()) {
      return dir.open(path, flags, FILE_MODE);
    }
    while (true) {
      try {
        int fd = dir.open(path, flags | Linux.O_NONBLOCK, FILE_MODE);
        try {
          Linux.clearNonBlocking(fd);
        } catch (RuntimeException e) {
          Linux.close(fd);
          throw e;
        }
        return fd;
      } catch (SysException e) {
        if (!e.is(LinuxErrno.ENXIO) || !isFifo(dir, path, flags)) {
          throw e;
        }
      }
      limit.check();
      LockSupport.parkNanos(WaitLimit.SLICE_NANOS);
    }
  }

  /** Whether {@code path} (followed as {@code flags} say) is a FIFO: ENXIO means "no reader" then. */
  private static boolean isFifo(DirectoryDescriptor dir, String path, int flags) {
    try (HostFd target = new HostFd(dir.open(path, Linux.O_PATH | (flags & Linux.O_NOFOLLOW), 0))) {
      return Linux.statx(target.fd(), "", Linux.AT_EMPTY_PATH).isFifo();
    }
  }

  /** path_readlink(fd, path, buf, buf_len, bufused: *size): the target, cut to buf_len, no NUL. */
  public int readlink(MemorySegment memory, int fd, int pathPtr, int pathLen, int bufPtr,
      int bufLen, int bufUsedPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_READLINK);
      GuestPath p = path(m, pathPtr, pathLen);
      if (p.endsInDots() || p.trailingSlash()) {
        // A directory's path (a trailing slash follows a link): not a link, as readlink(2) says.
        openPath(dir, p, true).close();
        throw new WasiException(Errno.INVAL, p.text() + " is not a symbolic link");
      }
      byte[] target;
      try (DirectoryDescriptor.Parent parent = dir.parent(p)) {
        target = Linux.readlinkat(parent.fd(), p.name());
      }
      int n = (int) Math.min(target.length, Integer.toUnsignedLong(bufLen));
      m.range(bufUsedPtr, 4);
      m.write(GuestMemory.pointer(bufPtr), target, 0, n);
      m.putI32(GuestMemory.pointer(bufUsedPtr), n);
    });
  }

  /** path_remove_directory(fd, path): the directory must be empty. */
  public int removeDirectory(MemorySegment memory, int fd, int pathPtr, int pathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_REMOVE_DIRECTORY);
      GuestPath p = entry(path(m, pathPtr, pathLen), Errno.INVAL);
      try (DirectoryDescriptor.Parent parent = dir.parent(p)) {
        Linux.unlinkat(parent.fd(), p.nameForEntryCall(), Linux.AT_REMOVEDIR);
      }
    });
  }

  /** path_rename(fd, old_path, new_fd, new_path): rename(2), replacing a compatible target. */
  public int rename(MemorySegment memory, int fd, int oldPathPtr, int oldPathLen, int newFd,
      int newPathPtr, int newPathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor from = directory(fd, Rights.PATH_RENAME_SOURCE);
      DirectoryDescriptor to = directory(newFd, Rights.PATH_RENAME_TARGET);
      GuestPath source = entry(path(m, oldPathPtr, oldPathLen), Errno.INVAL);
      GuestPath target = entry(path(m, newPathPtr, newPathLen), Errno.INVAL);
      try (DirectoryDescriptor.Parent oldParent = from.parent(source);
          DirectoryDescriptor.Parent newParent = to.parent(target)) {
        Linux.renameat(oldParent.fd(), source.nameForEntryCall(), newParent.fd(),
            target.nameForEntryCall());
      }
    });
  }

  /**
   * path_symlink(old_path, fd, new_path): a link whose content is old_path. An absolute content is
   * refused ({@link Errno#NOTCAPABLE}): resolution beneath a descriptor never follows one. A
   * relative one may point anywhere; following it is what the sandbox confines.
   */
  public int symlink(MemorySegment memory, int oldPathPtr, int oldPathLen, int fd, int newPathPtr,
      int newPathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      String content = m.string(GuestMemory.pointer(oldPathPtr), oldPathLen);
      DirectoryDescriptor dir = directory(fd, Rights.PATH_SYMLINK);
      if (content.startsWith("/")) {
        throw new WasiException(Errno.NOTCAPABLE, "absolute symbolic link");
      }
      GuestPath p = entry(path(m, newPathPtr, newPathLen), Errno.EXIST);
      try (DirectoryDescriptor.Parent parent = dir.parent(p)) {
        Linux.symlinkat(content, parent.fd(), p.nameForEntryCall());
      }
    });
  }

  /** path_unlink_file(fd, path): removes a non-directory entry (a symlink itself, not its target). */
  public int unlinkFile(MemorySegment memory, int fd, int pathPtr, int pathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_UNLINK_FILE);
      GuestPath p = entry(path(m, pathPtr, pathLen), Errno.ISDIR);
      try (DirectoryDescriptor.Parent parent = dir.parent(p)) {
        if (p.trailingSlash()) {
          // unlink("x/"): EISDIR for a directory, ENOTDIR for anything else, whatever x links to.
          Statx s = Linux.statx(parent.fd(), p.name(), Linux.AT_SYMLINK_NOFOLLOW);
          throw new WasiException(s.isDirectory() ? Errno.ISDIR : Errno.NOTDIR, p.text());
        }
        Linux.unlinkat(parent.fd(), p.name(), 0);
      }
    });
  }

  private static boolean follows(int lookupFlags) {
    return (lookupFlags & Layouts.LOOKUP_SYMLINK_FOLLOW) != 0;
  }
}
