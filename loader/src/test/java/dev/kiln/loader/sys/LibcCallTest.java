package dev.kiln.loader.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * C functions called through the one shared shape: a plain function, and variadic ones through
 * {@link VariadicEntry}, whose arguments past the named ones (openat's mode, syscall's arguments)
 * must arrive, and whose errno must be captured, as a C caller's would. (What the x86-64 entry sets
 * for a variadic callee, {@code %al}, glibc's functions only test for zero before saving vector
 * registers, so no call here shows it missing: CodeRowsTest pins the entry's instructions.)
 */
class LibcCallTest {
  private static final boolean AARCH64 = System.getProperty("os.arch").equals("aarch64");
  // Linux uapi: fcntl is 72 in x86-64's table, 25 in the generic one AArch64 uses.
  private static final long SYS_FCNTL = AARCH64 ? 25 : 72;
  private static final long F_GETFD = 1;
  private static final int FD_CLOEXEC = 1;
  private static final long AT_FDCWD = -100;
  private static final long O_WRONLY = 1;
  private static final long O_CREAT = 0100;
  private static final long O_EXCL = 0200;
  private static final long O_CLOEXEC = 02000000;
  private static final int ENOENT = 2;

  @TempDir Path dir;

  @Test
  void aVariadicOpenatGetsItsModeAndAVariadicSyscallItsArguments() throws Exception {
    MethodHandle openat = LibcCall.bindVariadic("openat");
    MethodHandle syscall = LibcCall.bindVariadic("syscall");
    MethodHandle close = LibcCall.bind("close");
    Path file = dir.resolve("made");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = LibcCall.errnoSlot(arena);
      // 0600: what any usual umask (022, 027, 077) leaves whole, so the mode seen is the mode passed.
      int fd = (int) LibcCall.call(openat, errno, AT_FDCWD, arena.allocateFrom(file.toString()).address(),
          O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      assertTrue(fd >= 0, "openat failed, errno " + LibcCall.errno(errno));
      // fcntl(fd, F_GETFD) through syscall(2): both are variadic arguments; O_CLOEXEC set FD_CLOEXEC.
      assertEquals(FD_CLOEXEC, (int) LibcCall.call(syscall, errno, SYS_FCNTL, fd, F_GETFD));
      assertEquals(0, (int) LibcCall.call(close, errno, fd));
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
  }

  @Test
  void aVariadicFunctionIsEnteredAtOneAddressHoweverOftenItIsBound() {
    MemorySegment syscall = Linker.nativeLinker().defaultLookup().find("syscall").orElseThrow();
    String arch = System.getProperty("os.arch");
    assertEquals(VariadicEntry.of(syscall, arch, "Linux"), VariadicEntry.of(syscall, arch, "Linux"));
    assertEquals(Optional.empty(), VariadicEntry.of(syscall, arch, "Mac OS X"), "another ABI: the JDK's linking");
  }

  @Test
  void aVariadicCallsErrnoIsCaptured() {
    MethodHandle openat = LibcCall.bindVariadic("openat");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = LibcCall.errnoSlot(arena);
      String missing = dir.resolve("no/such/file").toString();
      long fd = LibcCall.call(openat, errno, AT_FDCWD, arena.allocateFrom(missing).address(), O_WRONLY | O_CLOEXEC, 0);
      assertEquals(-1, (int) fd);
      assertEquals(ENOENT, LibcCall.errno(errno));
    }
  }

  @Test
  void eachThreadCapturesIntoASlotOfItsOwn() throws Exception {
    // The runtime's calls capture errno into their thread's slot (no arena, so no process-wide
    // counters, per call): the same slot for every call of a thread, another thread's elsewhere,
    // so a call on one thread cannot overwrite the errno another is about to read.
    MemorySegment mine = LibcCall.threadErrnoSlot();
    assertEquals(mine.address(), LibcCall.threadErrnoSlot().address());
    long[] theirs = new long[1];
    Thread other = Thread.ofPlatform().start(() -> theirs[0] = LibcCall.threadErrnoSlot().address());
    other.join();
    assertTrue(theirs[0] != 0 && theirs[0] != mine.address(), "another thread's slot: " + theirs[0]);

    MethodHandle openat = LibcCall.bindVariadic("openat");
    try (Arena arena = Arena.ofConfined()) {
      String missing = dir.resolve("no/such/file").toString();
      assertEquals(-1, (int) LibcCall.call(openat, mine, AT_FDCWD, arena.allocateFrom(missing).address(), O_WRONLY, 0));
      assertEquals(ENOENT, LibcCall.errno(mine));
    }
  }
}
