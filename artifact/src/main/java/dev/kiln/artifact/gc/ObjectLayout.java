package dev.kiln.artifact.gc;

import dev.kiln.wasm.types.FieldType;
import dev.kiln.wasm.types.StructType;
import java.util.List;

/**
 * How a struct or array object lies in the store's GC heap (this package's documentation says why),
 * shared by the compiler, which emits the loads and stores, and the loader, which reserves the heap.
 *
 * <pre>
 *   offset  size  struct                              array
 *   0       4     runtime type id (RuntimeTypes)      runtime type id
 *   4       4     {@link #STRUCT_MARK}                      length (elements, below 2^31)
 *   8       ...   fields in declaration order,        elements, each of the element's size
 *                 each at its natural alignment
 *                 (at most 8)
 * </pre>
 *
 * <p>The heap holds a third kind of object, the exception ({@code artifact.vm.ExceptionLayout}),
 * with the same 8-byte header: its tag type's runtime type id, and at word 4 {@link
 * #EXCEPTION_MARK} with its payload count in the low 30 bits.
 *
 * <p>A subtype's fields start with its supertype's (spec 3.0 3.2.x "sub": a struct subtype extends
 * the field list), so declaration order gives every field of a supertype the same offset in each
 * subtype's objects, and {@code struct.get} on a supertype reference is one load at a fixed offset.
 * Packed fields take 1 or 2 bytes; a reference is one 8-byte word; a v128 field 16 bytes at 8-byte
 * alignment (both targets' vector loads accept it). Objects are 8-byte aligned and a multiple of 8
 * bytes long, so an object's address never has bit 0 set and is never an i31 ({@link
 * ReferenceWord}).
 *
 * <p><b>Word 4 is the object's kind</b> ({@link Kind}, {@link #kindOf}), read in one load by {@code
 * ref.test struct} and {@code ref.test array} and checked by every host-side conversion: an
 * array's length is below 2^31 because the heap's reservation ({@link #MAX_HEAP_BYTES}) is smaller
 * than any array that long, so bit 31 clear is an array; a struct's mark is exactly {@link
 * #STRUCT_MARK}; bits 31..30 = 10 an exception. So no kind reads as another: an exception's count,
 * which sits where an array's length does, can never pass for one, and a struct test compares the
 * whole word, not its sign (an exception's word is negative too). A word with bits 31..30 = 11
 * other than the struct mark is no object's: the runtime refuses it as a damaged header.
 */
public final class ObjectLayout {
  /** The object's runtime type id (u32). */
  public static final int TYPE_ID = 0;
  /** An array's length (u32), or a struct's {@link #STRUCT_MARK}. */
  public static final int LENGTH = 4;
  /** What a struct holds at {@link #LENGTH}: every bit set, which no array length or exception word has. */
  public static final int STRUCT_MARK = 0xFFFF_FFFF;
  /**
   * What an exception object holds at {@link #LENGTH}, or-ed with its payload count: bits 31..30 =
   * 10, so neither an array's length (bit 31 clear) nor the struct mark.
   */
  public static final int EXCEPTION_MARK = 0x8000_0000;
  /** The bits of an exception's word 4 that hold its payload count (a tag type has at most 65,535 parameters). */
  public static final int EXCEPTION_COUNT_MASK = 0x3FFF_FFFF;
  /** Where the first field or element starts. */
  public static final int FIELDS = 8;
  /** Every object's alignment and size granule. */
  public static final int ALIGNMENT = 8;
  /**
   * The most address space one store's heap reserves: 1 GiB, below 2^31 so that no array can be
   * long enough to set bit 31 of its length. The store's memory limit caps it further.
   */
  public static final long MAX_HEAP_BYTES = 1L << 30;
  /** The heap accounts its bytes against the store's memory limit in chunks of this many. */
  public static final long CHUNK = 64 * 1024;

  private ObjectLayout() {}

  /** What a heap object is, by its header's word 4 ({@link #kindOf}). */
  public enum Kind {
    /** A struct: word 4 is {@link #STRUCT_MARK}. */
    STRUCT,
    /** An array: word 4 is its length, below 2^31. */
    ARRAY,
    /** An exception object: word 4 is {@link #EXCEPTION_MARK} or-ed with its payload count. */
    EXCEPTION
  }

  /**
   * The kind header word 4 {@code word} names, or null for a word no object has (bits 31..30 = 11
   * and not the struct mark: a damaged or forged header).
   */
  public static Kind kindOf(int word) {
    if (word >= 0) {
      return Kind.ARRAY;
    }
    if (word == STRUCT_MARK) {
      return Kind.STRUCT;
    }
    return (word & ~EXCEPTION_COUNT_MASK) == EXCEPTION_MARK ? Kind.EXCEPTION : null;
  }

  /** Word 4 of an exception object of {@code count} payload values. */
  public static int exceptionWord(int count) {
    if ((count & ~EXCEPTION_COUNT_MASK) != 0) {
      throw new IllegalArgumentException("an exception of " + count + " values");
    }
    return EXCEPTION_MARK | count;
  }

  /** The bytes a field or element of type {@code field} occupies. */
  public static int size(FieldType field) {
    return field.storage().byteSize();
  }

  /** The offset of each field of {@code struct}, in declaration order. */
  public static int[] fieldOffsets(StructType struct) {
    List<FieldType> fields = struct.fields();
    int[] offsets = new int[fields.size()];
    int at = FIELDS;
    for (int i = 0; i < offsets.length; i++) {
      int size = size(fields.get(i));
      int align = Math.min(size, ALIGNMENT);
      at = (at + align - 1) & -align;
      offsets[i] = at;
      at += size;
    }
    return offsets;
  }

  /** The size of a struct object of type {@code struct}, header included, a multiple of {@link #ALIGNMENT}. */
  public static int structSize(StructType struct) {
    int[] offsets = fieldOffsets(struct);
    int end = offsets.length == 0 ? FIELDS : offsets[offsets.length - 1] + size(struct.fields().getLast());
    return (end + ALIGNMENT - 1) & -ALIGNMENT;
  }
}
