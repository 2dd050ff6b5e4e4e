package dev.kiln.loader.sys;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
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
  /** A scratch slot: the attribute object, then the stack's address and size. */
  private static final long SLOT_BYTES = PTHREAD_ATTR_SIZE + 2 * JAVA_LONG.byteSize();
  /** Scratch slots: as many threads at once as there are, beyond them the next waits its turn. */
  private static final int SLOTS = 8;
  private static final MethodHandle PTHREAD_SELF = LibcCall.bind("pthread_self");
  private static final MethodHandle GETATTR = LibcCall.bind("pthread_getattr_np");
  private static final MethodHandle GETSTACK = LibcCall.bind("pthread_attr_getstack");
  private static final MethodHandle DESTROY = LibcCall.bind("pthread_attr_destroy");
  /**
   * The scratch of every call, made once and never freed: a call takes a slot and gives it back
   * with an array write under {@link #TAKEN}'s monitor, no call and so no frame that could
   * overflow. A C-heap block per call, freed in a {@code finally} whose call could overflow, was
   * lost whenever a thread's first use came at its stack's end, once per attempt (red team 24 F4).
   */
  private static final MemorySegment SCRATCH = Arena.global().allocate(SLOTS * SLOT_BYTES, 16);
  /** Which slots a call holds; read and written under its own monitor. */
  private static final boolean[] TAKEN = new boolean[SLOTS];
  /**
   * Which slots hold an attribute object not yet destroyed: set before {@code pthread_getattr_np}
   * (which allocates a CPU set in it) on a zeroed object, which destroying leaves alone, and cleared
   * once it is destroyed or needs no destroying. A call that finds its stack too short to destroy
   * its own leaves it set, and the slot's next user destroys it. Under {@link #TAKEN}'s monitor
   * and the slot's holder only.
   */
  private static final boolean[] DESTROY_OWED = new boolean[SLOTS];
  /**
   * Stack left above the JVM's zones for the destroy to start: its frames and the JDK's around the
   * downcall (ThreadStack#STEP's margin). With less, an overflow at those frames would cost glibc's
   * set (the slot's mark is cleared first, so it is never freed twice); the slot keeps it owed.
   */
  private static final long DESTROY_ROOM = ThreadStack.STEP;

  /**
   * Bounds of the current thread's stack. Asked once per platform thread ({@code exec}'s cache)
   * but on every entry of a virtual thread, whose carrier can change: so the scratch is a slot of
   * a block made once and the thread's errno slot, no arena and no C-heap block per call (a
   * confined arena per call was a handful of Java objects and a malloc each time).
   */
  public static StackBounds ofCurrentThread() {
    int slot = takeSlot();
    try {
      MemorySegment scratch = SCRATCH.asSlice(slot * SLOT_BYTES, SLOT_BYTES);
      MemorySegment attr = scratch.asSlice(0, PTHREAD_ATTR_SIZE);
      MemorySegment errno = LibcCall.threadErrnoSlot();
      if (DESTROY_OWED[slot]) {
        // Cleared first: an overflow at the call then costs glibc's set, never a second free of it.
        DESTROY_OWED[slot] = false;
        LibcCall.call(DESTROY, errno, attr.address());
      }
      attr.fill((byte) 0);
      DESTROY_OWED[slot] = true;
      long self = LibcCall.call(PTHREAD_SELF, errno);
      int rc = (int) LibcCall.call(GETATTR, errno, self, attr.address());
      if (rc != 0) {
        DESTROY_OWED[slot] = false; // glibc destroyed it itself
        throw new NativeException("pthread_getattr_np failed: error " + rc);
      }
      MemorySegment stackAddr = scratch.asSlice(PTHREAD_ATTR_SIZE, JAVA_LONG.byteSize());
      MemorySegment stackSize = scratch.asSlice(PTHREAD_ATTR_SIZE + JAVA_LONG.byteSize(), JAVA_LONG.byteSize());
      rc = (int) LibcCall.call(GETSTACK, errno, attr.address(), stackAddr.address(), stackSize.address());
      if (rc != 0) {
        throw new NativeException("pthread_attr_getstack failed: error " + rc);
      }
      long low = stackAddr.get(JAVA_LONG, 0);
      StackBounds bounds = new StackBounds(low, low + stackSize.get(JAVA_LONG, 0));
      // Before the first link (its own thread asks, at the top of its stack) not measured: the
      // reader is not linked yet, and measuring would link it, which asks for bounds again.
      if (!ThreadStack.isLinked() || ThreadStack.pointer() - low - ThreadStack.JVM_ZONES >= DESTROY_ROOM) {
        DESTROY_OWED[slot] = false;
        LibcCall.call(DESTROY, errno, attr.address());
        destroyWhatOthersOwe(errno);
      }
      return bounds;
    } finally {
      synchronized (TAKEN) {
        TAKEN[slot] = false; // an array write: no frame to overflow
      }
    }
  }

  /**
   * Destroys the attribute objects calls with too little stack left in their slots ({@link
   * #DESTROY_OWED}), with the room this call has checked.
   */
  private static void destroyWhatOthersOwe(MemorySegment errno) {
    for (int slot = 0; slot < SLOTS; slot++) {
      synchronized (TAKEN) {
        if (TAKEN[slot] || !DESTROY_OWED[slot]) {
          continue;
        }
        TAKEN[slot] = true;
      }
      try {
        DESTROY_OWED[slot] = false;
        LibcCall.call(DESTROY, errno, SCRATCH.address() + slot * SLOT_BYTES);
      } finally {
        synchronized (TAKEN) {
          TAKEN[slot] = false;
        }
      }
    }
  }

  /**
   * A free scratch slot, taken: one whose attribute object is destroyed if there is one, else one
   * that owes it (destroyed by the caller first, without the room to know it completes); waits while
   * every slot is taken (each for a few microseconds).
   */
  private static int takeSlot() {
    for (int spins = 0; ; spins++) {
      synchronized (TAKEN) {
        int owing = -1;
        for (int slot = 0; slot < SLOTS; slot++) {
          if (!TAKEN[slot] && !DESTROY_OWED[slot]) {
            TAKEN[slot] = true;
            return slot;
          }
          owing = !TAKEN[slot] && owing < 0 ? slot : owing;
        }
        if (owing >= 0) {
          TAKEN[owing] = true;
          return owing;
        }
      }
      if (spins < 64) {
        Thread.onSpinWait();
      } else {
        Thread.yield();
      }
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
