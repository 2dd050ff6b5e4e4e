package dev.kiln.loader.sys;

import java.lang.foreign.MemorySegment;

/**
 * A range of address space reserved without backing (PROT_NONE, MAP_NORESERVE) whose pages are
 * committed on demand. Linear memories use it so that {@code memory.grow} never moves the base the
 * compiled code has loaded; code pages use it to be written and then published as R|X.
 *
 * <p>Not thread-safe: the owner (an instance, a loaded module) serialises commits and protection
 * changes. {@link #close()} releases the whole reservation; the segment must not be used after it.
 */
public final class VirtualMemory implements AutoCloseable {
  private final long address;
  private final long size;
  private boolean closed;

  private VirtualMemory(long address, long size) {
    this.address = address;
    this.size = size;
  }

  /** Reserves {@code bytes} (rounded up to whole pages) of inaccessible address space. */
  public static VirtualMemory reserve(long bytes) {
    if (bytes <= 0) {
      throw new IllegalArgumentException("reservation must be positive: " + bytes);
    }
    long size = pageAlign(bytes);
    long address = Libc.mmapAnonymous(size, Libc.PROT_NONE, Libc.MAP_PRIVATE | Libc.MAP_NORESERVE);
    return new VirtualMemory(address, size);
  }

  /** The host's page size in bytes. */
  public static long pageSize() {
    return Libc.PAGE_SIZE;
  }

  /** {@code bytes} rounded up to a multiple of the page size. */
  public static long pageAlign(long bytes) {
    long mask = Libc.PAGE_SIZE - 1;
    return (bytes + mask) & ~mask;
  }

  public long address() {
    return address;
  }

  public long size() {
    return size;
  }

  /** The whole reservation; touching a page that is not committed faults, so stay within commits. */
  public MemorySegment segment() {
    checkOpen();
    return MemorySegment.ofAddress(address).reinterpret(size);
  }

  /**
   * Sets the protection of {@code [offset, offset + length)}, which must be page-aligned and inside
   * the reservation. Committing is {@code protect(..., READ_WRITE)}: the kernel backs the pages with
   * zeroes on first touch.
   */
  public void protect(long offset, long length, Protection protection) {
    checkOpen();
    if (offset < 0 || length < 0 || offset > size - length) {
      throw new IllegalArgumentException(
          "range [" + offset + ", +" + length + ") outside reservation of " + size + " bytes");
    }
    if ((offset | length) % Libc.PAGE_SIZE != 0) {
      throw new IllegalArgumentException("range [" + offset + ", +" + length + ") is not page-aligned");
    }
    if (length > 0) {
      Libc.mprotect(address + offset, length, protection.bits);
    }
  }

  @Override
  public void close() {
    if (!closed) {
      closed = true;
      Libc.munmap(address, size);
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("virtual memory at 0x" + Long.toHexString(address) + " was released");
    }
  }
}
