package dev.kiln.loader.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
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

  /**
   * Asking for the bounds takes no C-heap block at any moment, so an overflow anywhere in it has
   * none to lose (red team 24 F4: a block taken per call was freed in a {@code finally} whose call
   * could overflow). A thread asks 20,000 times while this one samples the count of live blocks;
   * with a block per call, held across the three glibc calls, the samples see it.
   */
  @Test
  void askingForTheBoundsHoldsNoCHeapBlock() throws Exception {
    StackBounds.ofCurrentThread();
    long before = NativeHeap.liveBlocks();
    java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
    Thread asker = new Thread(() -> {
      for (int i = 0; i < 20_000; i++) {
        StackBounds.ofCurrentThread();
      }
      done.set(true);
    }, "asker");
    asker.start();
    long most = before;
    long samples = 0;
    while (!done.get()) {
      most = Math.max(most, NativeHeap.liveBlocks());
      samples++;
    }
    asker.join();
    assertEquals(before, most, "C-heap blocks live while the bounds were asked for (" + samples + " samples)");
  }

  /**
   * A thread's first use of its bounds (a platform thread's first entry, every entry of a virtual
   * thread) made at every depth near its stack's end, each depth with 0 to 7 small frames more:
   * however the overflow lands, no C-heap block is left behind (red team 24 F4: the scratch block's
   * free sat in a {@code finally} whose call could overflow, one block lost per such attempt, and a
   * thread whose first use overflowed tried again, and lost another, at its next).
   */
  @Test
  void firstUsesAtEveryDepthNearTheStacksEndLeaveNoCHeapBlock() throws Exception {
    StackBounds.ofCurrentThread(); // its paths linked at the top, as the engine's start does
    long before = NativeHeap.liveBlocks();
    int[] overflowed = {0};
    for (int t = 0; t < 24; t++) {
      Thread thread = new Thread(null, () -> {
        try {
          attemptOnTheWayBack(new int[1], overflowed);
        } catch (StackOverflowError theRecursionsOwn) {
          // every level has had its turn
        }
      }, "stack-end-" + t, 256 * 1024);
      thread.start();
      thread.join();
    }
    assertTrue(overflowed[0] > 0, "no attempt overflowed");
    assertEquals(before, NativeHeap.liveBlocks(), "C-heap blocks left by " + overflowed[0] + " overflowed attempts");
  }

  private static int attemptOnTheWayBack(int[] fromBottom, int[] overflowed) {
    try {
      return 1 + attemptOnTheWayBack(fromBottom, overflowed);
    } catch (StackOverflowError overflow) {
      if (fromBottom[0]++ < 300) {
        for (int pad = 0; pad < 8; pad++) {
          try {
            padded(pad);
          } catch (StackOverflowError atTheEnd) {
            overflowed[0]++;
          }
        }
      }
      throw overflow;
    }
  }

  /** {@link StackBounds#ofCurrentThread} below {@code frames} frames more. */
  private static long padded(int frames) {
    return frames == 0 ? StackBounds.ofCurrentThread().low() : padded(frames - 1) + 1;
  }
}
