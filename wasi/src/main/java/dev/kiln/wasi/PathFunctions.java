package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.GuestMemory;
import dev.kiln.wasi.abi.Layouts;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.fs.DirectoryDescriptor;
import dev.kiln.wasi.fs.FileDescriptor;
import dev.kiln.wasi.fs.FileStats;
import dev.kiln.wasi.fs.FileTimes;
import dev.kiln.wasi.fs.Sandbox;
import java.lang.foreign.MemorySegment;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.Set;

/**
 * Operations on names inside a directory descriptor (wasi_snapshot_preview1.witx path_*). Every
 * guest path goes through {@link Sandbox#resolve}; operations that act on a name itself (create,
 * remove, rename, link, readlink, open without symlink_follow) do not follow a final symbolic link,
 * exactly as their POSIX counterparts do not.
 */
public final class PathFunctions {
  private final WasiContext context;

  PathFunctions(WasiContext context) {
    this.context = context;
  }

  private DirectoryDescriptor directory(int fd, Rights right) {
    DirectoryDescriptor dir = context.fds().get(fd, DirectoryDescriptor.class, Errno.NOTDIR);
    dir.require(right.bit());
    return dir;
  }

  private static Sandbox.Resolved resolve(DirectoryDescriptor dir, GuestMemory m, int pathPtr,
      int pathLen, boolean follow) {
    return dir.sandbox().resolve(dir.components(), m.string(pathPtr, pathLen), follow);
  }

  /** A path naming an entry to create or remove: "." or ".." cannot be. */
  private static Sandbox.Resolved entry(Sandbox.Resolved r, Errno whenDots) {
    if (r.endsInDots() || r.isRoot()) {
      throw new WasiException(whenDots, "path ends in . or ..");
    }
    return r;
  }

  /** path_create_directory(fd, path). */
  public int createDirectory(MemorySegment memory, int fd, int pathPtr, int pathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_CREATE_DIRECTORY);
      Sandbox.Resolved r = entry(resolve(dir, m, pathPtr, pathLen, false), Errno.EXIST);
      Files.createDirectory(r.host());
    });
  }

  /** path_filestat_get(fd, flags: lookupflags, path, buf: *filestat). */
  public int filestatGet(MemorySegment memory, int fd, int lookupFlags, int pathPtr, int pathLen,
      int bufPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_FILESTAT_GET);
      Sandbox.Resolved r = resolve(dir, m, pathPtr, pathLen, follows(lookupFlags));
      m.check(bufPtr, Layouts.FILESTAT_SIZE);
      FileStats.of(r.host(), false).writeTo(m, bufPtr);
    });
  }

  /** path_filestat_set_times(fd, flags, path, atim, mtim, fst_flags). */
  public int filestatSetTimes(MemorySegment memory, int fd, int lookupFlags, int pathPtr,
      int pathLen, long atim, long mtim, int fstFlags) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_FILESTAT_SET_TIMES);
      Sandbox.Resolved r = resolve(dir, m, pathPtr, pathLen, follows(lookupFlags));
      if (Sandbox.attributes(r.host()) == null) {
        throw new WasiException(Errno.NOENT, "no such file");
      }
      FileTimes.set(r.host(), atim, mtim, fstFlags, false);
    });
  }

  /** path_link(old_fd, old_flags, old_path, new_fd, new_path): a hard link. */
  public int link(MemorySegment memory, int oldFd, int oldFlags, int oldPathPtr, int oldPathLen,
      int newFd, int newPathPtr, int newPathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor from = directory(oldFd, Rights.PATH_LINK_SOURCE);
      DirectoryDescriptor to = directory(newFd, Rights.PATH_LINK_TARGET);
      Sandbox.Resolved source = resolve(from, m, oldPathPtr, oldPathLen, follows(oldFlags));
      Sandbox.Resolved target = entry(resolve(to, m, newPathPtr, newPathLen, false), Errno.EXIST);
      BasicFileAttributes attrs = Sandbox.attributes(source.host());
      if (attrs == null) {
        throw new WasiException(Errno.NOENT, "no link source");
      }
      if (attrs.isDirectory()) {
        throw new WasiException(Errno.PERM, "hard link to a directory");
      }
      Files.createLink(target.host(), source.host());
    });
  }

  /**
   * path_open(fd, dirflags, path, oflags, fs_rights_base, fs_rights_inheriting, fdflags,
   * opened_fd: *fd). The new descriptor's rights are those asked for, which must be within the
   * directory's inheriting set ({@link Errno#NOTCAPABLE} otherwise), narrowed to what apply to
   * the kind of file opened (witx: an implementation may return fewer rights only for that reason).
   * The host file is opened for reading and/or writing according to those rights. A final symbolic
   * link not followed is {@link Errno#LOOP}, as open(2) with O_NOFOLLOW reports.
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
      m.check(openedFdPtr, 4);
      Sandbox.Resolved r = resolve(dir, m, pathPtr, pathLen, follows(dirFlags));
      BasicFileAttributes attrs = Sandbox.attributes(r.host());
      if (attrs != null && attrs.isSymbolicLink()) {
        throw new WasiException(Errno.LOOP, "final component is a symbolic link");
      }
      if (attrs != null && create && exclusive) {
        throw new WasiException(Errno.EXIST, "exists");
      }
      if (mustBeDirectory) {
        if (create || truncate) {
          throw new WasiException(Errno.INVAL, "O_DIRECTORY with O_CREAT or O_TRUNC");
        }
        if (attrs == null) {
          throw new WasiException(Errno.NOENT, "no such directory");
        }
        if (!attrs.isDirectory()) {
          throw new WasiException(Errno.NOTDIR, "not a directory");
        }
      }
      boolean writing = (rightsBase & (Rights.FD_WRITE.bit() | Rights.FD_ALLOCATE.bit()
          | Rights.FD_FILESTAT_SET_SIZE.bit())) != 0;
      if (attrs != null && attrs.isDirectory()) {
        if (writing || truncate) {
          throw new WasiException(Errno.ISDIR, "cannot write a directory");
        }
        int opened = context.fds().add(new DirectoryDescriptor(dir.sandbox(), r.components(),
            null, rightsBase & Rights.DIRECTORY, rightsInheriting));
        m.putI32(openedFdPtr, opened);
        return;
      }
      if (attrs == null) {
        if (!create) {
          throw new WasiException(Errno.NOENT, "no such file");
        }
        if (r.trailingSlash() || r.endsInDots()) {
          throw new WasiException(Errno.ISDIR, "cannot create a file named as a directory");
        }
      }
      Set<OpenOption> options = new HashSet<>();
      options.add(LinkOption.NOFOLLOW_LINKS);
      boolean reading = (rightsBase & (Rights.FD_READ.bit() | Rights.FD_READDIR.bit())) != 0;
      if (reading || !writing) {
        options.add(StandardOpenOption.READ);
      }
      if (writing || truncate) {
        options.add(StandardOpenOption.WRITE);
      }
      if (create && (writing || truncate)) {
        options.add(exclusive ? StandardOpenOption.CREATE_NEW : StandardOpenOption.CREATE);
      } else if (create && attrs == null) {
        // java.nio ignores CREATE for a read-only open; open(2) with O_CREAT|O_RDONLY creates.
        Files.createFile(r.host());
      }
      if (truncate) {
        options.add(StandardOpenOption.TRUNCATE_EXISTING);
      }
      FileChannel channel = FileChannel.open(r.host(), options);
      int opened;
      try {
        opened = context.fds().add(new FileDescriptor(channel, r.host(),
            rightsBase & Rights.REGULAR_FILE, fdFlags));
      } catch (WasiException full) {
        channel.close();
        throw full;
      }
      m.putI32(openedFdPtr, opened);
    });
  }

  /** path_readlink(fd, path, buf, buf_len, bufused: *size): the target, cut to buf_len, no NUL. */
  public int readlink(MemorySegment memory, int fd, int pathPtr, int pathLen, int bufPtr,
      int bufLen, int bufUsedPtr) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_READLINK);
      Sandbox.Resolved r = resolve(dir, m, pathPtr, pathLen, false);
      byte[] target = Files.readSymbolicLink(r.host()).toString().getBytes(StandardCharsets.UTF_8);
      int n = (int) Math.min(target.length, Integer.toUnsignedLong(bufLen));
      m.check(bufUsedPtr, 4);
      m.write(bufPtr, target, 0, n);
      m.putI32(bufUsedPtr, n);
    });
  }

  /** path_remove_directory(fd, path): the directory must be empty. */
  public int removeDirectory(MemorySegment memory, int fd, int pathPtr, int pathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_REMOVE_DIRECTORY);
      Sandbox.Resolved r = entry(resolve(dir, m, pathPtr, pathLen, false), Errno.INVAL);
      BasicFileAttributes attrs = Sandbox.attributes(r.host());
      if (attrs == null) {
        throw new WasiException(Errno.NOENT, "no such directory");
      }
      if (!attrs.isDirectory()) {
        throw new WasiException(Errno.NOTDIR, "not a directory");
      }
      Files.delete(r.host());
    });
  }

  /** path_rename(fd, old_path, new_fd, new_path): rename(2), replacing a compatible target. */
  public int rename(MemorySegment memory, int fd, int oldPathPtr, int oldPathLen, int newFd,
      int newPathPtr, int newPathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor from = directory(fd, Rights.PATH_RENAME_SOURCE);
      DirectoryDescriptor to = directory(newFd, Rights.PATH_RENAME_TARGET);
      Sandbox.Resolved source = entry(resolve(from, m, oldPathPtr, oldPathLen, false), Errno.INVAL);
      Sandbox.Resolved target = entry(resolve(to, m, newPathPtr, newPathLen, false), Errno.INVAL);
      BasicFileAttributes attrs = Sandbox.attributes(source.host());
      if (attrs == null) {
        throw new WasiException(Errno.NOENT, "no such file");
      }
      if (source.trailingSlash() && !attrs.isDirectory()) {
        throw new WasiException(Errno.NOTDIR, "not a directory");
      }
      // ATOMIC_MOVE is rename(2) on Linux: it replaces the target and reports EISDIR, ENOTDIR and
      // ENOTEMPTY as rename(2) does.
      Files.move(source.host(), target.host(), StandardCopyOption.ATOMIC_MOVE);
    });
  }

  /**
   * path_symlink(old_path, fd, new_path): a link whose content is old_path. An absolute content is
   * refused ({@link Errno#NOTCAPABLE}): the sandbox could never follow it.
   */
  public int symlink(MemorySegment memory, int oldPathPtr, int oldPathLen, int fd, int newPathPtr,
      int newPathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      String content = m.string(oldPathPtr, oldPathLen);
      DirectoryDescriptor dir = directory(fd, Rights.PATH_SYMLINK);
      if (content.startsWith("/")) {
        throw new WasiException(Errno.NOTCAPABLE, "absolute symbolic link");
      }
      Sandbox.Resolved r = entry(resolve(dir, m, newPathPtr, newPathLen, false), Errno.EXIST);
      Files.createSymbolicLink(r.host(), Path.of(content));
    });
  }

  /** path_unlink_file(fd, path): removes a non-directory entry (a symlink itself, not its target). */
  public int unlinkFile(MemorySegment memory, int fd, int pathPtr, int pathLen) {
    GuestMemory m = new GuestMemory(memory);
    return WasiCall.errno(() -> {
      DirectoryDescriptor dir = directory(fd, Rights.PATH_UNLINK_FILE);
      Sandbox.Resolved r = entry(resolve(dir, m, pathPtr, pathLen, false), Errno.ISDIR);
      BasicFileAttributes attrs = Sandbox.attributes(r.host());
      if (attrs == null) {
        throw new WasiException(Errno.NOENT, "no such file");
      }
      if (attrs.isDirectory()) {
        throw new WasiException(Errno.ISDIR, "is a directory");
      }
      if (r.trailingSlash()) {
        throw new WasiException(Errno.NOTDIR, "not a directory");
      }
      Files.delete(r.host());
    });
  }

  private static boolean follows(int lookupFlags) {
    return (lookupFlags & Layouts.LOOKUP_SYMLINK_FOLLOW) != 0;
  }
}
