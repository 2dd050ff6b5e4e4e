package dev.kiln.loader.sys;

import java.lang.foreign.MemorySegment;

/**
 * Segments as {@link AddressSegments#PLAIN} makes them, except the {@code failing}-th one asked for
 * (counting from 1), which throws the {@link OutOfMemoryError} a full heap would, right after the
 * native call that made the memory: what {@link NativeHeap} and {@link ImageFile} must survive by
 * giving it back. Remembers where the failing one was asked for.
 */
final class SegmentsThatRunOut extends AddressSegments {
  private final int failing;
  private int asked;
  private long failedAddress;

  SegmentsThatRunOut(int failing) {
    this.failing = failing;
  }

  /** Whether the failing segment has been asked for (and failed). */
  boolean ranOut() {
    return asked >= failing;
  }

  /** The address the failing segment was asked over, once {@link #ranOut}. */
  long failedAddress() {
    return failedAddress;
  }

  @Override
  MemorySegment over(long address, long bytes) {
    if (++asked == failing) {
      failedAddress = address;
      throw new OutOfMemoryError("Java heap space (injected at segment " + failing + ")");
    }
    return super.over(address, bytes);
  }
}
