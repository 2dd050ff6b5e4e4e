package dev.kiln.wasi.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import dev.kiln.loader.sys.LibcCall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The Linux file-system calls WASI stands on, bound once through the FFM API. Every guest path
 * operation goes through these {@code *at} calls on real directory descriptors, so the kernel, not
 * string handling in Java, decides what a name refers to. Each call captures {@code errno} in the
 * same downcall (the JVM may change it before a later read) and a failure is a {@link
 * SysException} naming the call. The calls share {@link LibcCall}'s downcall shape, which the JVM
 * links once instead of once per signature (the variadic ones, {@code syscall} for openat2 and
 * {@code openat}, too: {@link LibcCall#bindVariadic}), and each function is bound at its first call
 * ({@link C}), so a run binds only what its guest uses.
 *
 * <p>Constants are Linux's uapi values. Most are the same on x86-64 and AArch64; the two open(2)
 * flags that differ ({@code O_DIRECTORY}, {@code O_NOFOLLOW}: arch/arm64 uses the asm-generic
 * numbering of {@code include/uapi/asm-generic/fcntl.h}, x86 its own) are chosen for the host the JVM
 * runs on, which is the host whose kernel serves the guest whatever code it runs.
 */
public final class Linux {
  private static final boolean AARCH64 = System.getProperty("os.arch").equals("aarch64");

  public static final int AT_FDCWD = -100;
  public static final int AT_SYMLINK_NOFOLLOW = 0x100;
  public static final int AT_REMOVEDIR = 0x200;
  public static final int AT_EMPTY_PATH = 0x1000;

  public static final int O_RDONLY = 0;
  public static final int O_WRONLY = 1;
  public static final int O_RDWR = 2;
  public static final int O_CREAT = 0100;
  public static final int O_EXCL = 0200;
  public static final int O_TRUNC = 01000;
  public static final int O_DIRECTORY = AARCH64 ? 040000 : 0200000;
  public static final int O_NOFOLLOW = AARCH64 ? 0100000 : 0400000;
  public static final int O_CLOEXEC = 02000000;
  /** The same on x86-64 and AArch64 (asm-generic/fcntl.h). */
  public static final int O_NONBLOCK = 04000;
  public static final int O_PATH = 010000000;

  /** openat2(2) {@code open_how.resolve}: no component may leave the starting directory. */
  public static final long RESOLVE_BENEATH = 0x08;
  /** openat2(2): no /proc "magic" link (such as /proc/self/fd/N) is followed. */
  public static final long RESOLVE_NO_MAGICLINKS = 0x02;

  public static final int SEEK_SET = 0;
  public static final int SEEK_CUR = 1;
  public static final int SEEK_END = 2;

  /** utimensat(2) timespec.tv_nsec markers. */
  public static final long UTIME_NOW = (1L << 30) - 1;
  public static final long UTIME_OMIT = (1L << 30) - 2;

  /** One struct iovec: {void *iov_base; size_t iov_len}. */
  public static final long IOVEC_SIZE = 16;

  /** openat2 is system call 437 in the unified table both x86-64 and AArch64 use (Linux 5.6+). */
  private static final long SYS_OPENAT2 = 437;
  /** sizeof(struct open_how): u64 flags, u64 mode, u64 resolve. */
  private static final long OPEN_HOW_SIZE = 24;
  /** statx(2) STATX_BASIC_STATS: type, mode, nlink, uid, gid, times, ino, size, blocks. */
  private static final int STATX_BASIC_STATS = 0x7ff;
  private static final long STATX_SIZE = 256;

  /**
   * The C functions, each bound at its first call: a binding costs about 0.2 ms of a cold JVM's
   * time, and a WASI command that reads a file and writes its output calls four or five of these
   * twenty (docs/history/performance-journal.md, "Host calls before the JIT").
   */
  private enum C {
    SYSCALL(true), OPENAT(true), CLOSE, MKDIRAT, UNLINKAT, RENAMEAT, SYMLINKAT, LINKAT, READLINKAT, STATX,
    UTIMENSAT, FUTIMENS, READV, WRITEV, PREADV, PWRITEV, LSEEK, FTRUNCATE, FSYNC, FDATASYNC, GETDENTS64, POLL, FCNTL(true);

    private final boolean variadic;
    /** Bound on first use; two threads binding it at once bind the same function twice, harmlessly. */
    private MethodHandle handle;

    C() {
      this(false);
    }

    C(boolean variadic) {
      this.variadic = variadic;
    }

    MethodHandle handle() {
      MethodHandle h = handle;
      if (h == null) {
        String function = name().toLowerCase(Locale.ROOT);
        h = variadic ? LibcCall.bindVariadic(function) : LibcCall.bind(function);
        handle = h;
      }
      return h;
    }
  }

  private Linux() {}

  /**
   * openat2(dirfd, path, {flags, mode, resolve}): the file {@code path} names below {@code dirfd},
   * every component resolved under {@code resolve}'s restrictions.
   */
  public static int openat2(int dirfd, String path, int flags, int mode, long resolve) {
    return (int) call("openat2", (errno, arena) -> {
      MemorySegment how = arena.allocate(OPEN_HOW_SIZE, 8);
      how.set(JAVA_LONG, 0, Integer.toUnsignedLong(flags));
      how.set(JAVA_LONG, 8, (flags & O_CREAT) != 0 ? mode : 0);
      how.set(JAVA_LONG, 16, resolve);
      return LibcCall.call(C.SYSCALL.handle(), errno, SYS_OPENAT2, dirfd, cStringAddress(arena, path),
          how.address(), OPEN_HOW_SIZE);
    });
  }

  /** openat(dirfd, path, flags, mode). */
  public static int openat(int dirfd, String path, int flags, int mode) {
    return (int) call("openat",
        (errno, arena) -> (int) LibcCall.call(C.OPENAT.handle(), errno, dirfd, cStringAddress(arena, path), flags,
            mode));
  }

  /** close(fd). Linux releases the number even when close reports an error, so none is thrown. */
  public static void close(int fd) {
    call("close", (errno, arena) -> {
      int ignored = (int) LibcCall.call(C.CLOSE.handle(), errno, fd);
      return 0;
    });
  }

  public static void mkdirat(int dirfd, String name, int mode) {
    call("mkdirat",
        (errno, arena) -> (int) LibcCall.call(C.MKDIRAT.handle(), errno, dirfd, cStringAddress(arena, name), mode));
  }

  public static void unlinkat(int dirfd, String name, int flags) {
    call("unlinkat",
        (errno, arena) -> (int) LibcCall.call(C.UNLINKAT.handle(), errno, dirfd, cStringAddress(arena, name), flags));
  }

  public static void renameat(int oldDirfd, String oldName, int newDirfd, String newName) {
    call("renameat", (errno, arena) -> (int) LibcCall.call(C.RENAMEAT.handle(), errno, oldDirfd,
        cStringAddress(arena, oldName), newDirfd, cStringAddress(arena, newName)));
  }

  /** symlinkat(target, dirfd, name): a link named {@code name} whose content is {@code target}. */
  public static void symlinkat(String target, int dirfd, String name) {
    call("symlinkat", (errno, arena) -> (int) LibcCall.call(C.SYMLINKAT.handle(), errno, cStringAddress(arena, target),
        dirfd, cStringAddress(arena, name)));
  }

  public static void linkat(int oldDirfd, String oldName, int newDirfd, String newName, int flags) {
    call("linkat", (errno, arena) -> (int) LibcCall.call(C.LINKAT.handle(), errno, oldDirfd,
        cStringAddress(arena, oldName), newDirfd, cStringAddress(arena, newName), flags));
  }

  /** readlinkat(dirfd, name): the link's content as bytes (no NUL), however long. */
  public static byte[] readlinkat(int dirfd, String name) {
    try (Arena arena = Arena.ofConfined()) {
      for (long size = 256; ; size *= 4) {
        long capacity = size;
        MemorySegment buffer = arena.allocate(capacity);
        long n = call("readlinkat", (errno, a) ->
            LibcCall.call(C.READLINKAT.handle(), errno, dirfd, cStringAddress(a, name), buffer.address(), capacity));
        if (n < capacity) {
          return buffer.asSlice(0, n).toArray(JAVA_BYTE);
        }
      }
    }
  }

  /** statx(dirfd, path, flags, STATX_BASIC_STATS): {@code flags} AT_EMPTY_PATH for dirfd itself. */
  public static Statx statx(int dirfd, String path, int flags) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(STATX_SIZE, 8);
      call("statx", (errno, a) -> (int) LibcCall.call(C.STATX.handle(), errno, dirfd, cStringAddress(a, path), flags,
          STATX_BASIC_STATS, buffer.address()));
      return Statx.of(buffer);
    }
  }

  /**
   * utimensat(dirfd, path, {atime, mtime}, flags), each time as seconds and nanoseconds, or
   * {@link #UTIME_NOW} / {@link #UTIME_OMIT} as its nanoseconds.
   */
  public static void utimensat(int dirfd, String path, long atimeSec, long atimeNsec,
      long mtimeSec, long mtimeNsec, int flags) {
    call("utimensat", (errno, arena) -> (int) LibcCall.call(C.UTIMENSAT.handle(), errno, dirfd,
        cStringAddress(arena, path), timespecs(arena, atimeSec, atimeNsec, mtimeSec, mtimeNsec), flags));
  }

  /** futimens(fd, {atime, mtime}), the times as for {@link #utimensat}. */
  public static void futimens(int fd, long atimeSec, long atimeNsec, long mtimeSec, long mtimeNsec) {
    call("futimens", (errno, arena) -> (int) LibcCall.call(C.FUTIMENS.handle(), errno, fd,
        timespecs(arena, atimeSec, atimeNsec, mtimeSec, mtimeNsec)));
  }

  /** The address of two struct timespecs {atime, mtime} in {@code arena}. */
  private static long timespecs(Arena arena, long aSec, long aNsec, long mSec, long mNsec) {
    MemorySegment times = arena.allocate(32, 8);
    times.set(JAVA_LONG, 0, aSec);
    times.set(JAVA_LONG, 8, aNsec);
    times.set(JAVA_LONG, 16, mSec);
    times.set(JAVA_LONG, 24, mNsec);
    return times.address();
  }

  /**
   * readv(fd, iov, count) ({@code offset} < 0) or preadv at {@code offset}: {@code iov} holds
   * {@code count} struct iovecs (at most UIO_MAXIOV, 1024: {@code abi.GuestIovecs}).
   */
  public static long readv(int fd, MemorySegment iov, int count, long offset) {
    return offset < 0
        ? call("readv", (errno, arena) -> LibcCall.call(C.READV.handle(), errno, fd, iov.address(), count))
        : call("preadv", (errno, arena) -> LibcCall.call(C.PREADV.handle(), errno, fd, iov.address(), count, offset));
  }

  /** writev / pwritev, as {@link #readv}. */
  public static long writev(int fd, MemorySegment iov, int count, long offset) {
    return offset < 0
        ? call("writev", (errno, arena) -> LibcCall.call(C.WRITEV.handle(), errno, fd, iov.address(), count))
        : call("pwritev", (errno, arena) -> LibcCall.call(C.PWRITEV.handle(), errno, fd, iov.address(), count, offset));
  }

  public static long lseek(int fd, long offset, int whence) {
    return call("lseek", (errno, arena) -> LibcCall.call(C.LSEEK.handle(), errno, fd, offset, whence));
  }

  public static void ftruncate(int fd, long length) {
    call("ftruncate", (errno, arena) -> (int) LibcCall.call(C.FTRUNCATE.handle(), errno, fd, length));
  }

  /** fsync(fd), or fdatasync(fd) when {@code metadata} is false. */
  public static void fsync(int fd, boolean metadata) {
    if (metadata) {
      call("fsync", (errno, arena) -> (int) LibcCall.call(C.FSYNC.handle(), errno, fd));
    } else {
      call("fdatasync", (errno, arena) -> (int) LibcCall.call(C.FDATASYNC.handle(), errno, fd));
    }
  }

  /** getdents64(fd, buffer, size): bytes of struct linux_dirent64 records, 0 at the end. */
  public static long getdents64(int fd, MemorySegment buffer) {
    return call("getdents64",
        (errno, arena) -> LibcCall.call(C.GETDENTS64.handle(), errno, fd, buffer.address(), buffer.byteSize()));
  }

  /** fcntl(2) commands: the file status flags. */
  private static final int F_GETFL = 3;
  private static final int F_SETFL = 4;
  /** Clears O_NONBLOCK on {@code fd} (fcntl F_GETFL/F_SETFL), so its reads and writes block again. */
  public static void clearNonBlocking(int fd) {
    long flags = call("fcntl", (errno, arena) -> LibcCall.call(C.FCNTL.handle(), errno, fd, F_GETFL));
    if ((flags & O_NONBLOCK) != 0) {
      call("fcntl", (errno, arena) -> LibcCall.call(C.FCNTL.handle(), errno, fd, F_SETFL, flags & ~O_NONBLOCK));
    }
  }

  /** The bytes a pipe write is atomic up to and POLLOUT promises room for (pipe(7), Linux: 4096). */
  public static final int PIPE_BUF = 4096;

  /** poll(2) events: data to read, room to write (include/uapi/asm-generic/poll.h). */
  public static final int POLLIN = 0x1;
  public static final int POLLOUT = 0x4;

  /**
   * poll(2) on one descriptor for {@code events}, waiting at most {@code timeoutMillis}: whether it
   * became ready (any revents, an error or hang-up included, since the read or write that follows
   * then returns at once). A signal cutting the wait short (EINTR) is "not yet".
   */
  public static boolean pollReady(int fd, int events, int timeoutMillis) {
    try {
      return call("poll", (errno, arena) -> {
        MemorySegment pollfd = arena.allocate(8, 4); // struct pollfd {int fd; short events, revents;}
        pollfd.set(JAVA_INT, 0, fd);
        pollfd.set(JAVA_SHORT, 4, (short) events);
        return LibcCall.call(C.POLL.handle(), errno, pollfd.address(), 1, timeoutMillis);
      }) > 0;
    } catch (SysException e) {
      if (e.is(LinuxErrno.EINTR)) {
        return false;
      }
      throw e;
    }
  }

  /** One downcall: its errno capture and its temporary C strings live in {@code arena}. */
  @FunctionalInterface
  private interface Downcall {
    long invoke(MemorySegment errno, Arena arena) throws Throwable;
  }

  /** Runs {@code downcall}; a result of -1 is a {@link SysException} with the captured errno. */
  private static long call(String name, Downcall downcall) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = LibcCall.errnoSlot(arena);
      long result = downcall.invoke(errno, arena);
      if (result == -1) {
        throw new SysException(name, LibcCall.errno(errno));
      }
      return result;
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new IllegalStateException("native call " + name + " failed", t);
    }
  }

  /** The address of {@link #cString}'s copy, for the calls of {@link LibcCall}'s shape. */
  private static long cStringAddress(Arena arena, String s) {
    return cString(arena, s).address();
  }

  private static MemorySegment cString(Arena arena, String s) {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    MemorySegment c = arena.allocate(utf8.length + 1L);
    MemorySegment.copy(utf8, 0, c, JAVA_BYTE, 0, utf8.length);
    return c;
  }
}
