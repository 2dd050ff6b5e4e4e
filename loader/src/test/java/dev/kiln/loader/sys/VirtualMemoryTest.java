package dev.kiln.loader.sys;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VirtualMemoryTest {
  private static final long PAGE = VirtualMemory.pageSize();

  /** Whether a line of /proc/self/maps (proc(5): {@code start-end perms ...}, hex) covers {@code address}. */
  private static boolean mapped(long address) {
    try {
      return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(line -> {
        String[] range = line.substring(0, line.indexOf(' ')).split("-");
        return Long.compareUnsigned(address, Long.parseUnsignedLong(range[0], 16)) >= 0
            && Long.compareUnsigned(address, Long.parseUnsignedLong(range[1], 16)) < 0;
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Test
  void committedPagesAreZeroedAndWritable() {
    try (VirtualMemory memory = VirtualMemory.reserve(16 * PAGE)) {
      memory.protect(0, 2 * PAGE, Protection.READ_WRITE);
      MemorySegment s = memory.segment();
      assertEquals(0, s.get(JAVA_INT, PAGE + 8));
      s.set(JAVA_INT, PAGE + 8, 0x1234_5678);
      assertEquals(0x1234_5678, s.get(JAVA_INT, PAGE + 8));
    }
  }

  @Test
  void growingKeepsTheBaseAndTheContents() {
    try (VirtualMemory memory = VirtualMemory.reserve(64 * PAGE)) {
      long base = memory.address();
      memory.protect(0, PAGE, Protection.READ_WRITE);
      memory.segment().set(JAVA_BYTE, 7, (byte) 42);
      memory.protect(PAGE, 3 * PAGE, Protection.READ_WRITE);
      assertEquals(base, memory.address());
      assertEquals(42, memory.segment().get(JAVA_BYTE, 7));
      assertEquals(0, memory.segment().get(JAVA_BYTE, 4 * PAGE - 1));
    }
  }

  @Test
  void rejectsUnalignedAndOutOfRangeProtection() {
    try (VirtualMemory memory = VirtualMemory.reserve(PAGE)) {
      assertThrows(IllegalArgumentException.class, () -> memory.protect(1, PAGE - 1, Protection.READ));
      assertThrows(IllegalArgumentException.class, () -> memory.protect(0, 2 * PAGE, Protection.READ));
    }
  }

  @Test
  void releasedMemoryCannotBeUsed() {
    VirtualMemory memory = VirtualMemory.reserve(PAGE);
    memory.protect(0, PAGE, Protection.READ_WRITE);
    MemorySegment view = memory.segment();
    memory.close();
    memory.close();
    assertThrows(IllegalStateException.class, memory::segment);
    assertThrows(IllegalStateException.class, () -> view.get(JAVA_INT, 0), "a view taken earlier is invalid too");
  }

  @Test
  void aReservationInAnArenaIsUnmappedWhenTheArenaCloses() {
    Arena arena = Arena.ofShared();
    VirtualMemory memory = VirtualMemory.reserve(2 * PAGE, arena);
    memory.protect(0, PAGE, Protection.READ_WRITE);
    MemorySegment view = memory.segment();
    view.set(JAVA_INT, 0, 7);
    assertTrue(mapped(memory.address()));
    IllegalStateException e = assertThrows(IllegalStateException.class, memory::close);
    assertTrue(e.getMessage().contains("released with the arena"), e.getMessage());
    assertFalse(e.getMessage().contains(Long.toHexString(memory.address())), "no host address: " + e.getMessage());
    arena.close();
    assertThrows(IllegalStateException.class, () -> view.get(JAVA_INT, 0));
    assertThrows(IllegalStateException.class, () -> memory.protect(0, PAGE, Protection.READ));
    assertTrue(!mapped(memory.address()), "munmap ran as the arena closed");
  }

  @Test
  void anUnscopedReservationIsUnmappedByItsCloseOnceAndRefusedAfter() {
    VirtualMemory memory = VirtualMemory.reserveUnscoped(2 * PAGE);
    memory.protect(0, PAGE, Protection.READ_WRITE);
    memory.segment().set(JAVA_INT, 0, 7);
    assertTrue(mapped(memory.address()));
    memory.close();
    assertTrue(!mapped(memory.address()), "munmap ran at the close");
    memory.close(); // a close retried unmaps nothing (another mapping may sit there by now)
    assertThrows(IllegalStateException.class, memory::segment);
    assertThrows(IllegalStateException.class, () -> memory.protect(0, PAGE, Protection.READ));
  }

  @Test
  void aClosedArenaTakesNoReservation() {
    Arena arena = Arena.ofShared();
    arena.close();
    assertThrows(IllegalStateException.class, () -> VirtualMemory.reserve(PAGE, arena));
  }

  @Test
  void impossibleReservationIsANativeExceptionNamingTheCall() {
    NativeException e = assertThrows(NativeException.class, () -> VirtualMemory.reserve(1L << 62));
    assertTrue(e.getMessage().startsWith("mmap("), e.getMessage());
  }

  /**
   * Every libc binding shares one six-word shape (Libc): an int result is its register's low half,
   * errno comes back captured and strerror's pointer result is read as text, through that shape.
   */
  @Test
  void aFailedCallThroughTheSharedShapeNamesItsErrno() {
    NativeException e = assertThrows(NativeException.class, () -> Protection.READ_WRITE.applyTo(1, PAGE));
    // the address is not in the message: messages never show host addresses (issue 35)
    assertEquals("mprotect(" + PAGE + " bytes, 3) failed: Invalid argument (errno 22)", e.getMessage());
  }

  /** Code written while R|W runs once published R|X: the path every compiled function takes. */
  @Test
  void publishedCodeRunsThroughADowncall() throws Throwable {
    assumeTrue(System.getProperty("os.arch").equals("amd64"), "x86-64 machine code");
    byte[] leaEaxRdiRsiRet = {(byte) 0x8D, 0x04, 0x37, (byte) 0xC3}; // lea eax, [rdi+rsi]; ret
    try (VirtualMemory code = VirtualMemory.reserve(PAGE)) {
      code.protect(0, PAGE, Protection.READ_WRITE);
      MemorySegment.copy(MemorySegment.ofArray(leaEaxRdiRsiRet), 0, code.segment(), 0, leaEaxRdiRsiRet.length);
      code.protect(0, PAGE, Protection.READ_EXECUTE);
      MethodHandle add =
          Linker.nativeLinker()
              .downcallHandle(code.segment(), FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
      assertEquals(42, (int) add.invokeExact(40, 2));
    }
  }
}
