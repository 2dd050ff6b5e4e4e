package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_DOUBLE_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_INT_UNALIGNED;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;

/**
 * The array calling convention's value slots (docs/ARCHITECTURE.md section 4): 16 bytes per value,
 * little-endian whatever the host, an i32 or f32 in the low 4 bytes, an i64, f64 or reference in
 * the low 8, a v128 in all 16. Arrays are 16-byte aligned because trampolines move v128 slots with
 * aligned SSE loads.
 */
public final class ValRaw {
  private ValRaw() {}

  /** Bytes per value. */
  public static final int SIZE = 16;
  /** Alignment of an array of values. */
  public static final int ALIGNMENT = 16;

  private static final ValueLayout.OfInt I32 = JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfLong I64 = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfFloat F32 = JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
  private static final ValueLayout.OfDouble F64 =
      JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  /** A zeroed, aligned array of {@code count} values. */
  public static MemorySegment allocate(Arena arena, int count) {
    if (count < 0) {
      throw new IllegalArgumentException("negative value count " + count);
    }
    return arena.allocate((long) Math.max(1, count) * SIZE, ALIGNMENT);
  }

  public static int getI32(MemorySegment values, int index) {
    return values.get(I32, offset(index));
  }

  public static void setI32(MemorySegment values, int index, int value) {
    values.set(I32, offset(index), value);
  }

  public static long getI64(MemorySegment values, int index) {
    return values.get(I64, offset(index));
  }

  public static void setI64(MemorySegment values, int index, long value) {
    values.set(I64, offset(index), value);
  }

  public static float getF32(MemorySegment values, int index) {
    return values.get(F32, offset(index));
  }

  public static void setF32(MemorySegment values, int index, float value) {
    values.set(F32, offset(index), value);
  }

  public static double getF64(MemorySegment values, int index) {
    return values.get(F64, offset(index));
  }

  public static void setF64(MemorySegment values, int index, double value) {
    values.set(F64, offset(index), value);
  }

  private static long offset(int index) {
    if (index < 0) {
      throw new IndexOutOfBoundsException("negative value index " + index);
    }
    return (long) index * SIZE;
  }
}
