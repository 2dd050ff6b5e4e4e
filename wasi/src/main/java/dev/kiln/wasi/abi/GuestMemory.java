package dev.kiln.wasi.abi;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Little-endian, bounds-checked access to a guest's linear memory for one WASI call. Pointers and
 * lengths arrive as i32 and are unsigned (witx {@code pointer}/{@code size} are u32 in wasm32);
 * {@link #pointer} / {@link #range} widen a pointer argument once, and from there a guest address
 * is a {@code long} end to end: every accessor takes one, and a field's address is the checked
 * record base plus the field offset in 64-bit arithmetic (a memory64 memory may exceed 4 GiB, where
 * i32 arithmetic would wrap a field past 2^32 round to address 0). An access that does not fit in the
 * memory fails with {@link Errno#FAULT} instead of touching anything, so a guest passing a wild
 * pointer gets an errno rather than a JVM crash. The view is taken per call: memory.grow may replace
 * the segment between calls.
 *
 * <p>One rule for what a call reads: every argument in guest memory (a pointer, a length, an iovec
 * array, a subscription, a string) is read once, into Java, checked there and used from there; it
 * is never read from guest memory a second time, since the call itself may have written over it
 * (a read whose file data lands on its own iovec array). Scalars are read once by {@link #i32} and
 * its kind, strings by {@link #string}, iovec arrays by {@link #iovecs} (a {@link GuestIovecs}
 * copy), records by {@link #read(long, int)}; the memory's host address is given only to {@link
 * GuestIovecs}, whose ranges are checked where they become host addresses. A buffer is checked
 * against this view's size when it is used; a Kiln memory never shrinks and never moves
 * (loader.memory.LinearMemory commits pages in place), so the view can only be smaller than the
 * memory while the call runs, never larger.
 */
public record GuestMemory(MemorySegment segment) {
  /** The longest string argument taken: Linux's PATH_MAX (include/uapi/linux/limits.h). */
  public static final int MAX_STRING = 4096;

  private static final ValueLayout.OfByte U8 = ValueLayout.JAVA_BYTE;
  private static final ValueLayout.OfShort U16 =
      ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  static final ValueLayout.OfInt U32 =
      ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong U64 =
      ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /**
   * A pointer argument as the guest passed it (an i32 holding a witx u32 {@code pointer}), as a
   * guest address. Every pointer argument passes through here or {@link #range(int, long)} before it
   * reaches an accessor: an i32 widened by Java's implicit int-to-long conversion is sign-extended,
   * so a pointer at 2 GiB or above would turn negative (which {@link #check(long, long)} refuses).
   */
  public static long pointer(int guestPointer) {
    return Integer.toUnsignedLong(guestPointer);
  }

  /**
   * Checks that the {@code length} bytes at the pointer argument {@code guestPointer} lie in memory
   * and returns their base address. Field addresses are derived from that base in {@code long}: a
   * memory64 memory can be larger than 4 GiB, so a record that starts just below 2^32 can end above
   * it, and i32 arithmetic on the pointer would wrap its later fields round to address 0.
   */
  public long range(int guestPointer, long length) {
    return check(pointer(guestPointer), length);
  }

  /**
   * Checks that {@code [address, address+length)} lies in memory and returns {@code address}. A
   * negative address (an i32 sign-extended by mistake) or length is refused, and the sum is never
   * formed, so no address near 2^63 can wrap past the check.
   */
  public long check(long address, long length) {
    long size = segment.byteSize();
    if (address < 0 || length < 0 || address > size || length > size - address) {
      throw new WasiException(Errno.FAULT, "guest range " + Long.toUnsignedString(address) + "+" + length);
    }
    return address;
  }

  public int u8(long address) {
    return Byte.toUnsignedInt(segment.get(U8, check(address, 1)));
  }

  public int u16(long address) {
    return Short.toUnsignedInt(segment.get(U16, check(address, 2)));
  }

  public int i32(long address) {
    return segment.get(U32, check(address, 4));
  }

  public long i64(long address) {
    return segment.get(U64, check(address, 8));
  }

  public void putU8(long address, int value) {
    segment.set(U8, check(address, 1), (byte) value);
  }

  public void putU16(long address, int value) {
    segment.set(U16, check(address, 2), (short) value);
  }

  public void putI32(long address, int value) {
    segment.set(U32, check(address, 4), value);
  }

  public void putI64(long address, long value) {
    segment.set(U64, check(address, 8), value);
  }

  /** Copies {@code bytes} to {@code address}. */
  public void write(long address, byte[] bytes) {
    write(address, bytes, 0, bytes.length);
  }

  public void write(long address, byte[] bytes, int from, int length) {
    MemorySegment.copy(bytes, from, segment, U8, check(address, length), length);
  }

  /** Copies {@code len} guest bytes (a witx u32 size) at {@code address} out. */
  public byte[] read(long address, int len) {
    long length = Integer.toUnsignedLong(len);
    if (length > Integer.MAX_VALUE - 8) {
      throw new WasiException(Errno.FAULT, "range too long");
    }
    byte[] out = new byte[(int) length];
    MemorySegment.copy(segment, U8, check(address, length), out, 0, out.length);
    return out;
  }

  /**
   * The host address of guest byte 0, for system calls that read or write guest memory directly
   * (readv into the guest's buffers). Guest memories are native; a heap segment handed in by an
   * embedder has no address the kernel could use ({@link Errno#FAULT}). Only {@link GuestIovecs}
   * takes it, after checking each range it adds it to.
   */
  long nativeAddress() {
    if (!segment.isNative()) {
      throw new WasiException(Errno.FAULT, "guest memory is not native memory");
    }
    return segment.address();
  }

  /**
   * The iovec array of {@code iovsLen} entries at {@code iovs}, copied out once and checked
   * ({@link GuestIovecs}).
   */
  public GuestIovecs iovecs(long iovs, int iovsLen) {
    return GuestIovecs.copy(this, iovs, iovsLen);
  }

  /** Copies {@code length} guest bytes at {@code address} into {@code out[from..from+length)}. */
  public void read(long address, byte[] out, int from, int length) {
    MemorySegment.copy(segment, U8, check(address, length), out, from, length);
  }

  /**
   * A path or other string argument: {@code len} bytes of UTF-8 (witx {@code string}). Invalid
   * UTF-8 or an embedded NUL (which no host path can contain) is {@link Errno#ILSEQ} /
   * {@link Errno#INVAL}; more than {@value #MAX_STRING} bytes (Linux's PATH_MAX, past which the
   * kernel refuses a path anyway) is {@link Errno#NAMETOOLONG} before anything is copied, so a guest
   * cannot make the host allocate its whole memory as one string.
   */
  public String string(long address, int len) {
    if (Integer.toUnsignedLong(len) > MAX_STRING) {
      throw new WasiException(Errno.NAMETOOLONG, "string of " + Integer.toUnsignedLong(len) + " bytes");
    }
    byte[] bytes = read(address, len);
    for (byte b : bytes) {
      if (b == 0) {
        throw new WasiException(Errno.INVAL, "NUL in string");
      }
    }
    var decoder = StandardCharsets.UTF_8.newDecoder();
    try {
      return decoder.decode(ByteBuffer.wrap(bytes)).toString();
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new WasiException(Errno.ILSEQ, "string is not UTF-8");
    }
  }
}
