package dev.kiln.loader.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * C functions called through the one shared shape: a plain function, and variadic ones through
 * {@link VariadicEntry}, whose arguments past the named ones (openat's mode, syscall's arguments)
 * must arrive, and whose errno must be captured, as a C caller's would.
 */
class LibcCallTest {
  private static final boolean AARCH64 = System.getProperty("os.arch").equals("aarch64");
  // Linux uapi: getpid is 39 in x86-64's table, 172 in the generic one AArch64 uses.
  private static final long SYS_GETPID = AARCH64 ? 172 : 39;
  private static final long AT_FDCWD = -100;
  private static final long O_WRONLY = 1;
  private static final long O_CREAT = 0100;
  private static final long O_EXCL = 0200;
  private static final long O_CLOEXEC = 02000000;
  private static final int ENOENT = 2;

  @TempDir Path dir;

  @Test
  void aVariadicSyscallGetsItsArguments() {
    MethodHandle syscall = LibcCall.bindVariadic("syscall");
    try (Arena arena = Arena.ofConfined()) {
      long pid = LibcCall.call(syscall, LibcCall.errnoSlot(arena), SYS_GETPID);
      assertEquals(ProcessHandle.current().pid(), pid);
    }
  }

  @Test
  void aVariadicOpenatCreatesTheFileWithTheModeItWasGiven() throws Exception {
    MethodHandle openat = LibcCall.bindVariadic("openat");
    MethodHandle close = LibcCall.bind("close");
    Path file = dir.resolve("made");
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = LibcCall.errnoSlot(arena);
      // 0600: what any usual umask (022, 027, 077) leaves whole, so the mode seen is the mode passed.
      int fd = (int) LibcCall.call(openat, errno, AT_FDCWD, arena.allocateFrom(file.toString()).address(),
          O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
      assertTrue(fd >= 0, "openat failed, errno " + LibcCall.errno(errno));
      assertEquals(0, (int) LibcCall.call(close, errno, fd));
    }
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
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
}
