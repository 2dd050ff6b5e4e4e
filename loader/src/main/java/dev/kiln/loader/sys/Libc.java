package dev.kiln.loader.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The libc functions the runtime needs, bound once. Calls that can fail capture {@code errno} in the
 * same downcall (reading it afterwards could see a value the JVM changed in between), and failures
 * become {@link NativeException}s that name the call and the error.
 *
 * <p>Every function here is bound with the one shared downcall shape of {@link LibcCall}, which
 * the JVM links once for all of them.
 */
final class Libc {
  // Linux <sys/mman.h> (identical on x86-64 and AArch64).
  static final int PROT_NONE = 0;
  static final int PROT_READ = 1;
  static final int PROT_WRITE = 2;
  static final int PROT_EXEC = 4;
  static final int MAP_PRIVATE = 0x02;
  static final int MAP_ANONYMOUS = 0x20;
  static final int MAP_NORESERVE = 0x4000;
  static final int MAP_SHARED = 0x01;
  static final int MAP_FIXED = 0x10;
  static final long MAP_FAILED = -1L;
  private static final int SC_PAGESIZE = 30; // _SC_PAGESIZE in glibc's <bits/confname.h>
  /** madvise(2) advice (<asm-generic/mman-common.h>, the same on x86-64 and AArch64). */
  static final int MADV_HUGEPAGE = 14;
  /** madvise(2): drop the pages; a private anonymous page reads as zero on its next touch. */
  static final int MADV_DONTNEED = 4;

  private static final MethodHandle MMAP = LibcCall.bind("mmap");
  private static final MethodHandle MPROTECT = LibcCall.bind("mprotect");
  private static final MethodHandle MUNMAP = LibcCall.bind("munmap");
  private static final MethodHandle MADVISE = LibcCall.bind("madvise");
  private static final MethodHandle SYSCONF = LibcCall.bind("sysconf");
  // memfd_create(2), ftruncate(2), close(2), fcntl(2): the memory images' files. Bound on first use
  // (a process that never makes an image binds none of them).
  private static final class Files {
    static final MethodHandle MEMFD_CREATE = LibcCall.bind("memfd_create");
    static final MethodHandle FTRUNCATE = LibcCall.bind("ftruncate");
    static final MethodHandle CLOSE = LibcCall.bind("close");
    static final MethodHandle FCNTL = LibcCall.bindVariadic("fcntl");
  }
  /** memfd_create(2) flags (<linux/memfd.h>). */
  static final int MFD_CLOEXEC = 1;
  static final int MFD_ALLOW_SEALING = 2;
  /** fcntl(2) file seals (<linux/fcntl.h>). */
  static final int F_ADD_SEALS = 1033;
  static final int F_SEAL_SEAL = 1;
  static final int F_SEAL_SHRINK = 2;
  static final int F_SEAL_GROW = 4;
  static final int F_SEAL_WRITE = 8;
  private static final MethodHandle SIGACTION = LibcCall.bind("sigaction");
  private static final MethodHandle STRERROR = LibcCall.bind("strerror");

  static final long PAGE_SIZE = sysconf(SC_PAGESIZE);

  private Libc() {}

  /** mmap(2) of anonymous memory; returns the mapping's address. */
  static long mmapAnonymous(long length, int prot, int flags) {
    MemorySegment errno = LibcCall.threadErrnoSlot();
    MappingCalls.MMAP.increment();
    long address = LibcCall.call(MMAP, errno, 0L, length, prot, flags | MAP_ANONYMOUS, -1, 0L);
    if (address == MAP_FAILED) {
      throw failure("mmap(" + length + " bytes)", errno);
    }
    return address;
  }

  /**
   * mmap(2) of {@code length} bytes of file {@code fd} from offset 0 at exactly {@code address}
   * ({@code MAP_FIXED}: whatever was mapped there is replaced), or anywhere with address 0.
   */
  static long mmapFile(long address, long length, int prot, int flags, int fd) {
    MemorySegment errno = LibcCall.threadErrnoSlot();
    MappingCalls.MMAP.increment();
    long mapped = LibcCall.call(MMAP, errno, address, length, prot, flags, fd, 0L);
    if (mapped == MAP_FAILED) {
      throw failure("mmap(" + length + " bytes of fd " + fd + ")", errno);
    }
    return mapped;
  }

  /**
   * mmap(2) of anonymous memory at exactly {@code address} ({@code MAP_FIXED}), replacing what was
   * mapped there: how a memory image's pages are taken out of a pooled memory again.
   */
  static void mmapAnonymousAt(long address, long length, int prot) {
    MemorySegment errno = LibcCall.threadErrnoSlot();
    MappingCalls.MMAP.increment();
    long mapped = LibcCall.call(MMAP, errno, address, length, prot,
        MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0L);
    if (mapped == MAP_FAILED) {
      throw failure("mmap(" + length + " bytes, MAP_FIXED)", errno);
    }
  }

  /** memfd_create(2) of an anonymous file named {@code name} that can be sealed; returns its descriptor. */
  static int memfdCreate(String name) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = LibcCall.threadErrnoSlot();
      int fd = (int) LibcCall.call(Files.MEMFD_CREATE, errno, arena.allocateFrom(name).address(),
          MFD_CLOEXEC | MFD_ALLOW_SEALING);
      if (fd < 0) {
        throw failure("memfd_create(" + name + ")", errno);
      }
      return fd;
    }
  }

  /** ftruncate(2). */
  static void ftruncate(int fd, long length) {
    MemorySegment errno = LibcCall.threadErrnoSlot();
    if ((int) LibcCall.call(Files.FTRUNCATE, errno, fd, length) != 0) {
      throw failure("ftruncate(" + fd + ", " + length + ")", errno);
    }
  }

  /** fcntl(2) F_ADD_SEALS. */
  static void addSeals(int fd, int seals) {
    MemorySegment errno = LibcCall.threadErrnoSlot();
    if ((int) LibcCall.call(Files.FCNTL, errno, fd, F_ADD_SEALS, seals) != 0) {
      throw failure("fcntl(" + fd + ", F_ADD_SEALS, " + seals + ")", errno);
    }
  }

  /** close(2); a failure is ignored (the descriptor is gone either way, close(2) NOTES). */
  static void close(int fd) {
    LibcCall.call(Files.CLOSE, LibcCall.threadErrnoSlot(), fd);
  }

  /** mprotect(2) of {@code [address, address + length)}, both page-aligned. */
  static void mprotect(long address, long length, int prot) {
    MemorySegment errno = LibcCall.threadErrnoSlot();
    MappingCalls.MPROTECT.increment();
    if ((int) LibcCall.call(MPROTECT, errno, address, length, prot) != 0) {
      throw failure("mprotect(" + length + " bytes, " + prot + ")", errno);
    }
  }

  /** munmap(2). */
  static void munmap(long address, long length) {
    MemorySegment errno = LibcCall.threadErrnoSlot();
    MappingCalls.MUNMAP.increment();
    if ((int) LibcCall.call(MUNMAP, errno, address, length) != 0) {
      throw failure("munmap(" + length + " bytes)", errno);
    }
  }

  /**
   * madvise(2) of {@code [address, address + length)} (page-aligned); returns whether the kernel
   * took the advice. Advice is a hint: a kernel without the feature answers EINVAL, and the memory
   * works as before.
   */
  static boolean madvise(long address, long length, int advice) {
    MappingCalls.MADVISE.increment();
    return (int) LibcCall.call(MADVISE, LibcCall.threadErrnoSlot(), address, length, advice) == 0;
  }

  /** madvise(2) whose advice is not a hint but needed ({@link #MADV_DONTNEED}): a failure throws. */
  static void madviseOrFail(long address, long length, int advice) {
    MemorySegment errno = LibcCall.threadErrnoSlot();
    MappingCalls.MADVISE.increment();
    if ((int) LibcCall.call(MADVISE, errno, address, length, advice) != 0) {
      throw failure("madvise(" + length + " bytes, " + advice + ")", errno);
    }
  }

  // glibc's struct sigaction (<bits/sigaction.h>), the same on x86-64 and AArch64: the handler,
  // a 1024-bit sa_mask, int sa_flags, sa_restorer; 152 bytes. Linux signal numbers and flags.
  static final long SIGACTION_SIZE = 152;
  static final long SA_HANDLER = 0;
  static final long SA_FLAGS = 136;
  static final int SA_SIGINFO = 4;
  static final int SIGSEGV = 11;

  /** sigaction(2): installs {@code act} (unless NULL) for {@code signal}, the old action into {@code old}. */
  static void sigaction(int signal, MemorySegment act, MemorySegment old) {
    MemorySegment errno = LibcCall.threadErrnoSlot();
    if ((int) LibcCall.call(SIGACTION, errno, signal, act.address(), old.address()) != 0) {
      throw failure("sigaction(" + signal + ")", errno);
    }
  }

  private static long sysconf(int name) {
    return LibcCall.call(SYSCONF, LibcCall.threadErrnoSlot(), name);
  }

  private static NativeException failure(String call, MemorySegment captured) {
    int errno = LibcCall.errno(captured);
    return new NativeException(call + " failed: " + strerror(errno) + " (errno " + errno + ")");
  }

  private static String strerror(int errno) {
    long text = LibcCall.call(STRERROR, LibcCall.threadErrnoSlot(), errno);
    return MemorySegment.ofAddress(text).reinterpret(256).getString(0);
  }
}
