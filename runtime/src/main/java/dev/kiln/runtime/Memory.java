package dev.kiln.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.sys.ThreadStack;
import java.lang.foreign.MemorySegment;
import java.nio.charset.StandardCharsets;

/**
 * A linear memory (WebAssembly 2.0 section 4.2.8): bytes in 64 KiB pages, read and written from
 * Java through a {@link MemorySegment} over the very bytes the code uses (no copy). Wasm is
 * little-endian: read multi-byte values with {@code ValueLayout.JAVA_INT_UNALIGNED} and friends,
 * whose order is the platform's (little-endian on both of Kiln's targets). Every method works while
 * the instance the memory was reached through and its store are open, and otherwise throws {@link
 * IllegalStateException} ({@link HandleOrigin}); a {@link #segment()} taken earlier is a view of the
 * bytes as they were, which fails with {@link IllegalStateException} once the memory is freed (its
 * instance closed and unused, or the store closed).
 */
public final class Memory {
  /** Bytes per wasm page (WebAssembly 2.0 section 4.2.8). */
  public static final long PAGE_SIZE = 65536;

  private final MemoryInstance memory;
  private final HandleOrigin origin;

  Memory(MemoryInstance memory, HandleOrigin origin) {
    this.memory = memory;
    this.origin = origin;
  }

  /**
   * The memory's bytes as they are now. A {@code memory.grow} may move them: take a new segment
   * after the memory grows (or each time a host function is called) rather than keeping one. The
   * segment fails with {@link IllegalStateException} once the memory is freed.
   *
   * @return a segment of {@link #byteSize()} bytes
   */
  public MemorySegment segment() {
    ThreadStack.requireRoomToLink("Memory.segment");
    return origin.access("view a memory", memory::segment);
  }

  /**
   * The current size in pages.
   *
   * @return the pages
   */
  public long pages() {
    ThreadStack.requireRoomToLink("Memory.pages");
    return origin.access("read a memory's size", memory::pages);
  }

  /**
   * The current size in bytes.
   *
   * @return {@link #pages()} times {@link #PAGE_SIZE}
   */
  public long byteSize() {
    ThreadStack.requireRoomToLink("Memory.byteSize");
    return pages() * PAGE_SIZE;
  }

  /**
   * {@code memory.grow} (WebAssembly 2.0 section 4.4.7): adds {@code pages} zeroed pages.
   *
   * @param pages the pages to add
   * @return the old size in pages, or -1 if the memory cannot grow that far (it is unchanged)
   * @throws IllegalStateException if the memory was freed, or another thread is using its store
   */
  public long grow(long pages) {
    ThreadStack.requireRoomToLink("Memory.grow");
    return origin.access("grow a memory", () -> memory.grow(pages));
  }

  /**
   * {@code length} bytes at {@code offset}, decoded as UTF-8 (how WASI and most guests pass text).
   *
   * @param offset the first byte
   * @param length the number of bytes
   * @return the text
   * @throws IndexOutOfBoundsException if the bytes lie outside the memory
   */
  public String readString(long offset, int length) {
    ThreadStack.requireRoomToLink("Memory.readString");
    return new String(read(offset, length), StandardCharsets.UTF_8);
  }

  /**
   * Copies {@code bytes} into the memory at {@code offset}.
   *
   * @param offset the first byte written
   * @param bytes the bytes
   * @throws IndexOutOfBoundsException if they do not fit
   */
  public void write(long offset, byte[] bytes) {
    ThreadStack.requireRoomToLink("Memory.write");
    origin.run("write a memory", () -> MemorySegment.copy(bytes, 0, memory.segment(), JAVA_BYTE, offset, bytes.length));
  }

  /**
   * Copies {@code length} bytes at {@code offset} out of the memory.
   *
   * @param offset the first byte
   * @param length the number of bytes
   * @return the bytes
   * @throws IndexOutOfBoundsException if they lie outside the memory
   */
  public byte[] read(long offset, int length) {
    ThreadStack.requireRoomToLink("Memory.read");
    return origin.access("read a memory", () -> memory.segment().asSlice(offset, length).toArray(JAVA_BYTE));
  }

  MemoryInstance internal() {
    return memory;
  }
}
