package dev.kiln.artifact.vm;

/**
 * An exception object (exception handling, WebAssembly 3.0 section 4.2: an exception instance, a
 * tag and its payload values), as compiled code and the runtime share it. An {@code exnref} is its
 * address (0 is null). The runtime allocates it in memory its store owns ({@link
 * Builtin#EXCEPTION_NEW}) and frees it with the store; compiled code writes the payload after the
 * allocation and reads it in a landing pad.
 *
 * <pre>
 *   offset  field     size
 *   0       tag       8     the tag's identity ({@link VmLayout#TAG_SIZE}): matched by catch clauses
 *   8       count     4     payload values (the tag type's parameters)
 *   12      (reserved)
 *   16      payload   16 x count, value i at 16 + 16 i, little-endian, each slot wide enough for v128
 * </pre>
 */
public final class ExceptionLayout {
  private ExceptionLayout() {}

  /** The tag's identity (u64). */
  public static final int TAG = 0;
  /** How many payload values follow (u32). */
  public static final int COUNT = 8;
  /** The first payload value. */
  public static final int PAYLOAD = 16;
  /** Bytes per payload value. */
  public static final int VALUE_SIZE = 16;

  /** Offset of payload value {@code index}. */
  public static int value(int index) {
    return PAYLOAD + VALUE_SIZE * index;
  }

  /** Bytes of an object with {@code count} payload values. */
  public static long size(int count) {
    return PAYLOAD + (long) VALUE_SIZE * count;
  }
}
