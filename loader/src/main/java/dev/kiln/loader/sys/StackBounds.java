package dev.kiln.loader.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The calling thread's native stack, {@code [low, high)}, from glibc's {@code pthread_getattr_np}.
 * Compiled code compares its stack pointer against a limit derived from {@link #low()} so that deep
 * recursion becomes a wasm trap instead of a fault the JVM would treat as its own stack overflow.
 */
public record StackBounds(long low, long high) {
  // pthread_attr_t is 56 bytes on x86-64 and 64 on AArch64 glibc; allocate generously.
  private static final long PTHREAD_ATTR_SIZE = 128;
  private static final MethodHandle PTHREAD_SELF = LibcCall.bind("pthread_self");
  private static final MethodHandle GETATTR = LibcCall.bind("pthread_getattr_np");
  private static final MethodHandle GETSTACK = LibcCall.bind("pthread_attr_getstack");
  private static final MethodHandle DESTROY = LibcCall.bind("pthread_attr_destroy");

  /**
   * Bounds of the current thread's stack. Asked once per platform thread ({@code exec}'s cache)
   * but on every entry of a virtual thread, whose carrier can change: so the scratch is one C-heap
   * block and the thread's errno slot, no arena (a confined arena per call was a handful of Java
   * objects and a malloc each time).
   */
  public static StackBounds ofCurrentThread() {
    MemorySegment scratch = NativeHeap.allocate(PTHREAD_ATTR_SIZE + 2 * JAVA_LONG.byteSize());
    try {
      MemorySegment errno = LibcCall.threadErrnoSlot();
      MemorySegment attr = scratch.asSlice(0, PTHREAD_ATTR_SIZE);
      long self = LibcCall.call(PTHREAD_SELF, errno);
      int rc = (int) LibcCall.call(GETATTR, errno, self, attr.address());
      if (rc != 0) {
        throw new NativeException("pthread_getattr_np failed: error " + rc);
      }
      try {
        MemorySegment stackAddr = scratch.asSlice(PTHREAD_ATTR_SIZE, JAVA_LONG.byteSize());
        MemorySegment stackSize = scratch.asSlice(PTHREAD_ATTR_SIZE + JAVA_LONG.byteSize(), JAVA_LONG.byteSize());
        rc = (int) LibcCall.call(GETSTACK, errno, attr.address(), stackAddr.address(), stackSize.address());
        if (rc != 0) {
          throw new NativeException("pthread_attr_getstack failed: error " + rc);
        }
        long low = stackAddr.get(JAVA_LONG, 0);
        return new StackBounds(low, low + stackSize.get(JAVA_LONG, 0));
      } finally {
        LibcCall.call(DESTROY, errno, attr.address());
      }
    } finally {
      NativeHeap.free(scratch);
    }
  }

  public long size() {
    return high - low;
  }

  /** Whether {@code address} lies on this stack. */
  public boolean contains(long address) {
    return address >= low && address < high;
  }
}
