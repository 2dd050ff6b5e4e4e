package dev.kiln.emulator;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failure inside the emulator's lazy-mapping hook (red team 31 F2) is the entry's failure, not
 * the guest's: before, the hook's guard answered false and Unicorn reported "Invalid memory read
 * (UC_ERR_READ_UNMAPPED)" of a well-formed guest. And the window whose mapping failed is neither
 * left recorded nor left mapped, so the next access to it maps it and runs. The guest is two
 * AArch64 instructions that return the byte at x2 (the entry's values pointer), which lies in memory
 * of its own; the failure is put in front of Unicorn's mapping of that memory's window.
 */
class LazyMappingFailureTest {
  /** {@code ldrb w0, [x2]; ret} (Arm ARM C6.2.137 LDRB (immediate), unsigned offset 0; C6.2.254 RET). */
  private static final int[] READ_BYTE_AT_X2 = {0x39400040, 0xd65f03c0};

  private VirtualMemory code;
  private VirtualMemory data;
  private Arena arena;
  private MemorySegment vmctx;

  @BeforeEach
  void guest() {
    assumeTrue(UnicornExecutor.available(), "libunicorn.so.2 is installed");
    code = VirtualMemory.reserve(VirtualMemory.pageSize());
    code.protect(0, code.size(), Protection.READ_WRITE);
    for (int i = 0; i < READ_BYTE_AT_X2.length; i++) {
      code.segment().set(JAVA_INT, 4L * i, READ_BYTE_AT_X2[i]);
    }
    code.protect(0, code.size(), Protection.READ_EXECUTE);
    data = VirtualMemory.reserve(VirtualMemory.pageSize());
    data.protect(0, data.size(), Protection.READ_WRITE);
    data.segment().set(JAVA_INT, 0, 1);
    arena = Arena.ofConfined();
    // The entry reads the store context's stack limit and entry frame through the callee vmctx.
    vmctx = arena.allocate(VmLayout.POINTER_SIZE);
    vmctx.set(ADDRESS, VmLayout.STORE_CONTEXT, arena.allocate(StoreLayout.SIZE, 16));
  }

  @AfterEach
  void release() {
    if (arena != null) {
      arena.close();
      data.close();
      code.close();
    }
  }

  @Test
  void anOutOfMemoryErrorInTheHookIsThrownAsItIsAndTheWindowMapsNextTime() {
    OutOfMemoryError injected = new OutOfMemoryError("injected into the lazy mapping");
    try (UnicornExecutor executor = new UnicornExecutor(failingOnce(injected))) {
      assertSame(injected, assertThrows(OutOfMemoryError.class, () -> readByte(executor)));
      assertTrue(readByte(executor), "the window whose mapping failed maps at its next access");
      data.segment().set(JAVA_INT, 0, 0);
      assertFalse(readByte(executor));
      assertEquals(2, executor.mappingFaults(), "the code's window and the data's, mapped once each");
    }
  }

  @Test
  void anExceptionInTheHookIsTheEmulatorsFailureWithItAsTheCause() {
    IllegalStateException injected = new IllegalStateException("injected into the lazy mapping");
    try (UnicornExecutor executor = new UnicornExecutor(failingOnce(injected))) {
      EmulatorException reported = assertThrows(EmulatorException.class, () -> readByte(executor));
      assertSame(injected, reported.getCause(), reported.toString());
      assertTrue(readByte(executor));
    }
  }

  @Test
  void aWindowUnicornRefusedIsMappedAtTheNextAccess() {
    // An unaligned size: uc_mem_map_ptr answers UC_ERR_ARG after the window was recorded.
    try (UnicornExecutor executor = new UnicornExecutor(unicorn -> new GuestWindows.Mapper() {
      private boolean refused;

      @Override
      public void map(long start, long size, int perms) {
        boolean first = !refused && covers(start, size, data.address());
        refused |= first;
        unicorn.mapIdentity(start, first ? size - 1 : size, perms);
      }
    })) {
      EmulatorException reported = assertThrows(EmulatorException.class, () -> readByte(executor));
      assertTrue(String.valueOf(reported.getCause()).contains("uc_mem_map_ptr"), reported.toString());
      assertTrue(readByte(executor));
    }
  }

  /** Unicorn's own mapping, but the first mapping of the data's window throws {@code failure} first. */
  private Function<Unicorn, GuestWindows.Mapper> failingOnce(Throwable failure) {
    return unicorn -> new GuestWindows.Mapper() {
      private boolean failed;

      @Override
      public void map(long start, long size, int perms) {
        if (!failed && covers(start, size, data.address())) {
          failed = true;
          if (failure instanceof Error error) {
            throw error;
          }
          throw (RuntimeException) failure;
        }
        unicorn.mapIdentity(start, size, perms);
      }
    };
  }

  private static boolean covers(long start, long size, long address) {
    return address >= start && address < start + size;
  }

  /** The guest's answer: whether the byte at the data's start is not zero. */
  private boolean readByte(Executor executor) {
    return executor.callArrayEntry(code.segment(), vmctx.address(), vmctx.address(), data.address(), 0,
        arena.allocate(Executor.SCRATCH_BYTES));
  }
}
