package dev.kiln.loader.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class StackBoundsTest {
  private static final long PAGE = VirtualMemory.pageSize();

  /** On a thread with a 256 KiB stack, the native stack pointer lies inside the reported bounds. */
  @Test
  void boundsHoldTheThreadsStackPointerAndMatchItsRequestedSize() throws Throwable {
    assumeTrue(System.getProperty("os.arch").equals("amd64"), "x86-64 machine code");
    byte[] movRaxRspRet = {0x48, (byte) 0x89, (byte) 0xE0, (byte) 0xC3}; // mov rax, rsp; ret
    long requested = 256 * 1024;
    try (VirtualMemory code = VirtualMemory.reserve(PAGE)) {
      code.protect(0, PAGE, Protection.READ_WRITE);
      MemorySegment.copy(MemorySegment.ofArray(movRaxRspRet), 0, code.segment(), 0, movRaxRspRet.length);
      code.protect(0, PAGE, Protection.READ_EXECUTE);
      MethodHandle stackPointer =
          Linker.nativeLinker().downcallHandle(code.segment(), FunctionDescriptor.of(JAVA_LONG));
      AtomicReference<StackBounds> bounds = new AtomicReference<>();
      AtomicLong sp = new AtomicLong();
      AtomicReference<Throwable> failure = new AtomicReference<>();
      Thread t =
          new Thread(
              null,
              () -> {
                try {
                  bounds.set(StackBounds.ofCurrentThread());
                  sp.set((long) stackPointer.invokeExact());
                } catch (Throwable e) {
                  failure.set(e);
                }
              },
              "small-stack",
              requested);
      t.start();
      t.join();
      if (failure.get() != null) {
        throw failure.get();
      }
      StackBounds b = bounds.get();
      assertTrue(b.contains(sp.get()), () -> "sp 0x" + Long.toHexString(sp.get()) + " outside " + b);
      assertTrue(b.size() >= requested && b.size() <= 2 * requested, "size " + b.size());
    }
  }
}
