package dev.kiln.loader.sys;

import java.lang.foreign.MemorySegment;

/**
 * Where {@link NativeHeap} and {@link ImageFile} make the segment over memory a native call just
 * gave them (a {@code calloc(3)} block, an {@code mmap(2)} view): the plain one, or, in a test, a
 * maker that throws {@link OutOfMemoryError} on cue. Making a segment allocates, and it comes after
 * the native call, so its failure is what each must survive by giving the memory back (issue 35: a
 * failure there lost the C-heap block, or left the image file's view mapped for the process's
 * life); only a maker the tests control fails it on cue. The production path calls the one {@link
 * #PLAIN} maker through a static final field, a call the JIT inlines.
 */
class AddressSegments {
  static final AddressSegments PLAIN = new AddressSegments();

  /** {@code bytes} of memory at {@code address}, unchecked (the caller's native call made it). */
  MemorySegment over(long address, long bytes) {
    return MemorySegment.ofAddress(address).reinterpret(bytes);
  }
}
