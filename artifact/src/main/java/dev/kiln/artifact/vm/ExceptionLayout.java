package dev.kiln.artifact.vm;

/**
 * An exception object (exception handling, WebAssembly 3.0 section 4.2: an exception instance, a
 * tag and its payload values), as compiled code and the runtime share it. An {@code exnref} is its
 * address (0 is null). It is an object of the store's GC heap ({@code artifact.gc.ObjectLayout}),
 * allocated as {@code struct.new} allocates (compiled code bumps the heap's top; the runtime for a
 * host's throw), moved by collections and reclaimed once nothing reaches it. Its header is a heap
 * object's: the runtime type id of the tag's function type, which no struct or array has, tells the
 * collector the payload's types and so which values are references it must trace; word 4, where an
 * array keeps its length, is {@code ObjectLayout.EXCEPTION_MARK} or-ed with the count, so that no
 * check that reads the kind there ({@code ObjectLayout.kindOf}, {@code ref.test array}) takes an
 * exception for an array.
 *
 * <pre>
 *   offset  field     size
 *   0       type id   4     the tag type's runtime type id (its canonical function type)
 *   4       count     4     EXCEPTION_MARK | payload values (the tag type's parameters)
 *   8       tag       8     the tag's identity ({@link VmLayout#TAG_SIZE}): matched by catch clauses
 *   16      payload   16 x count, value i at 16 + 16 i, little-endian, each slot wide enough for v128
 * </pre>
 */
public final class ExceptionLayout {
  private ExceptionLayout() {}

  /** The tag type's runtime type id (u32): the object header's type id word. */
  public static final int TYPE_ID = 0;
  /**
   * How many payload values follow, or-ed with {@code ObjectLayout.EXCEPTION_MARK} (u32): the object
   * header's kind word ({@code ObjectLayout.exceptionWord}).
   */
  public static final int COUNT = 4;
  /** The tag's identity (u64). */
  public static final int TAG = 8;
  /** The first payload value. */
  public static final int PAYLOAD = 16;
  /** Bytes per payload value. */
  public static final int VALUE_SIZE = 16;

  /** Offset of payload value {@code index}. */
  public static int value(int index) {
    return PAYLOAD + VALUE_SIZE * index;
  }

  /** Bytes of an object with {@code count} payload values: a multiple of the heap's 8-byte granule. */
  public static long size(int count) {
    return PAYLOAD + (long) VALUE_SIZE * count;
  }
}
