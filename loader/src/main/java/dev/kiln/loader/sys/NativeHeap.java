package dev.kiln.loader.sys;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * Small blocks of Kiln-internal native state (a store context, a VMContext) from the C heap:
 * {@code calloc(3)} and {@code free(3)}, with no {@link Arena} behind them.
 *
 * <p><b>Why not an arena.</b> Closing a shared {@link Arena} is what makes FFM memory safe against
 * a late access from another thread: HotSpot stops every Java thread in a handshake
 * ({@code VM_HandshakeAllThreads}) to be sure none is inside an access to it. That is the right
 * price for memory a user may still hold a view of, and the wrong one for state only Kiln touches:
 * a store made and closed per request paid two such handshakes per cycle, each a futex storm over
 * every thread of the JVM plus a VM operation, about half the cycle in the kernel (issue 41). A
 * confined arena closes without a handshake but ties its memory to one thread, and a store moves
 * between threads; an automatic one frees when the GC gets round to it, long after a large VMContext
 * should be gone.
 *
 * <p><b>What the caller must guarantee.</b> The segments returned have no liveness check: a
 * read or write after {@link #free} touches whatever the C heap put there since, and may fault
 * (the JVM dies). So a block may only hold state that Kiln code alone reads and writes, each access
 * made while something guarantees the block is live: for a store's and its instances' blocks, the
 * store's thread claim ({@code runtime.ThreadClaim}), which every free takes and every entry into
 * compiled code holds, and for the few reads from other threads the store's lock with a closed
 * check. Nothing the embedder can hold (a memory view) may point into such a block.
 */
public final class NativeHeap {
  /** What {@code calloc} aligns to on 64-bit glibc and musl (glibc's MALLOC_ALIGNMENT: 2 * sizeof(size_t)). */
  public static final long ALIGNMENT = 16;

  /**
   * Stack a call checks for itself before it starts, whatever its caller checked: the downcall and
   * what runs after {@code calloc(3)} or {@code free(3)} returned (the downcall's return path, the
   * count) take far less, so nothing there can overflow once the C library has acted (issue 35: an
   * overflow after {@code free(3)} counted the block live again and its caller's retry freed it
   * twice; one after {@code calloc(3)} lost the block). A quarter of {@link ThreadStack#STEP}: a free
   * inside a step that checked {@code STEP} is never refused here.
   */
  static final long ROOM = ThreadStack.STEP / 4;

  private static final MethodHandle CALLOC = LibcCall.bind("calloc");
  private static final MethodHandle FREE = LibcCall.bind("free");

  /** Blocks allocated and not yet freed, for tests that count what a cycle leaves behind. */
  private static final BlockCount LIVE = new BlockCount();

  private NativeHeap() {}

  /** Blocks {@link #allocate}d and not yet {@link #free}d in this process (a snapshot). */
  public static long liveBlocks() {
    return LIVE.sum();
  }

  /**
   * {@code bytes} of zeroed memory aligned to {@link #ALIGNMENT}, valid until {@link #free}. Either
   * returns the block, counted, or throws with none allocated and nothing counted.
   *
   * @throws IllegalArgumentException if {@code bytes} is not positive
   * @throws OutOfMemoryError if the C heap has no room
   * @throws StackOverflowError before anything is allocated, if less than {@link #ROOM} is left
   */
  public static MemorySegment allocate(long bytes) {
    return allocate(bytes, AddressSegments.PLAIN);
  }

  /** {@link #allocate(long)} with the block's segment made by {@code segments} (a test's fails on cue). */
  static MemorySegment allocate(long bytes, AddressSegments segments) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("native block of " + bytes + " bytes");
    }
    ThreadStack.requireRoom(ROOM, "a native block's allocation");
    MemorySegment errno = LibcCall.threadErrnoSlot();
    long address = LibcCall.call(CALLOC, errno, 1, bytes);
    if (address == 0) {
      throw new OutOfMemoryError("calloc(" + bytes + ") failed");
    }
    MemorySegment block;
    try {
      block = segments.over(address, bytes);
    } catch (Throwable noRoom) {
      callFree(errno, address); // an OutOfMemoryError making the segment: the block goes back
      throw noRoom;
    }
    LIVE.add(1); // cannot throw: no allocation, and the room checked above
    return block;
  }

  /**
   * Gives back a block of {@link #allocate}; the caller makes sure nothing uses it any more. The
   * {@code free(3)} is the last call, made with room checked first and nothing to allocate, so
   * nothing after it can throw: a throwable means the block was not freed and is still counted,
   * and a caller that marks the block freed once this returns and frees it again if this threw
   * never frees it twice, whatever room the caller checked (issue 35).
   *
   * @throws StackOverflowError before anything changed, if less than {@link #ROOM} is left
   */
  public static void free(MemorySegment block) {
    ThreadStack.requireRoom(ROOM, "a native block's free");
    long address = block.address();
    MemorySegment errno = LibcCall.threadErrnoSlot();
    LIVE.add(-1);
    try {
      callFree(errno, address);
    } catch (Throwable notFreed) {
      LIVE.add(1);
      throw notFreed;
    }
  }

  /** {@code free(address)} without the argument array {@link LibcCall#call} allocates. */
  private static void callFree(MemorySegment errno, long address) {
    try {
      long unused = (long) FREE.invokeExact(errno, address, 0L, 0L, 0L, 0L, 0L);
    } catch (RuntimeException | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new NativeException("free failed: " + t);
    }
  }
}
