package dev.kiln.loader.exec;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.sys.StackBounds;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import org.junit.jupiter.api.Test;

/** The native executor hands out callable C-ABI addresses and the thread's own stack. */
class NativeExecutorTest {
  private static final Linker LINKER = Linker.nativeLinker();

  static long triple(long x, long y, long unused1, long unused2, long unused3) {
    return 3L * (int) x + y;
  }

  @Test
  void runsTheHostsInstructionSetOnTheThreadsStack() {
    NativeExecutor executor = NativeExecutor.forHost();
    assertSame(executor, NativeExecutor.forHost());
    assertEquals(HostTarget.current().orElseThrow(), executor.target());
    assertEquals(StackBounds.ofCurrentThread().low(), executor.stackLow());
  }

  @Test
  void anEntrysScratchBlockHoldsTheStateTheDowncallCaptures() {
    // The entry downcall writes errno into the store's scratch block after every call; the JDK
    // refuses a smaller block, and a store's block is Executor.SCRATCH_BYTES long.
    assertTrue(Executor.SCRATCH_BYTES >= Linker.Option.captureStateLayout().byteSize());
  }

  @Test
  void aHostFunctionAddressIsCallableWithTheCAbi() throws Throwable {
    // A C caller of an int argument leaves the register's upper half unspecified (UpcallShape)
    FunctionDescriptor descriptor = FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG);
    MethodHandle target = MethodHandles.lookup().findStatic(NativeExecutorTest.class, "triple", UpcallShape.TYPE);
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment address = NativeExecutor.forHost().hostFunction(GuardedUpcall.of(target, -1), arena);
      long result = (long) LINKER.downcallHandle(address, descriptor).invokeExact(7, 100L);
      assertEquals(121L, result);
    }
  }

  @Test
  void helpersAreTheCLibrarysMemmoveAndMemset() throws Throwable {
    NativeExecutor executor = NativeExecutor.forHost();
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment bytes = arena.allocate(16);
      for (int i = 0; i < 16; i++) {
        bytes.set(JAVA_BYTE, i, (byte) i);
      }
      MethodHandle memmove = LINKER.downcallHandle(executor.helper(NativeHelper.MEMMOVE),
          NativeHelper.MEMMOVE.descriptor());
      MemorySegment ignored = (MemorySegment) memmove.invokeExact(bytes.asSlice(2), bytes, 8L);
      assertEquals(0, bytes.get(JAVA_BYTE, 2), "overlapping copy moves the original bytes");
      assertEquals(7, bytes.get(JAVA_BYTE, 9));
      MethodHandle memset = LINKER.downcallHandle(executor.helper(NativeHelper.MEMSET),
          NativeHelper.MEMSET.descriptor());
      ignored = (MemorySegment) memset.invokeExact(bytes, 0x1AB, 4L);
      assertEquals((byte) 0xAB, bytes.get(JAVA_BYTE, 3), "only the low byte of c");
      assertEquals(2, bytes.get(JAVA_BYTE, 4), "past n, the copy's byte is untouched");
    }
  }
}
