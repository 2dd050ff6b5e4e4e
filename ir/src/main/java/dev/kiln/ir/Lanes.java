package dev.kiln.ir;

/**
 * How a lane-shaped vector opcode reads the 128 bits of its {@code v128} operands: as sixteen
 * 8-bit, eight 16-bit, four 32-bit or two 64-bit integer lanes, or as four f32 or two f64 lanes
 * (WebAssembly 2.0 section 2.4.3.1 "shape"). A vector value has no shape of its own (it is a
 * {@link Type#V128}); the shape is part of the operation, printed as its suffix ({@code
 * vadd.i32x4}) and stored in the instruction's auxiliary field. Lane 0 is the least significant
 * (wasm's lanes are little-endian, spec 4.3.1 "lanes").
 */
public enum Lanes {
  I8X16("i8x16", 8, Type.I32),
  I16X8("i16x8", 16, Type.I32),
  I32X4("i32x4", 32, Type.I32),
  I64X2("i64x2", 64, Type.I64),
  F32X4("f32x4", 32, Type.F32),
  F64X2("f64x2", 64, Type.F64);

  private static final Lanes[] VALUES = values();

  private final String text;
  private final int laneBits;
  private final Type scalar;

  Lanes(String text, int laneBits, Type scalar) {
    this.text = text;
    this.laneBits = laneBits;
    this.scalar = scalar;
  }

  public String text() {
    return text;
  }

  public int laneBits() {
    return laneBits;
  }

  public int laneCount() {
    return 128 / laneBits;
  }

  /**
   * The scalar type a lane is extracted as and splatted from: i32 for the 8-, 16- and 32-bit
   * integer lanes (wasm has no narrower value type), otherwise the lane's own type.
   */
  public Type scalarType() {
    return scalar;
  }

  public boolean isFloat() {
    return this == F32X4 || this == F64X2;
  }

  /** The integer shape with lanes as wide as this one's (i32x4 for f32x4). */
  public Lanes asInt() {
    return switch (this) {
      case F32X4 -> I32X4;
      case F64X2 -> I64X2;
      default -> this;
    };
  }

  /** The integer shape with lanes half as wide (i8x16 for i16x8); i8x16 has none. */
  public Lanes narrower() {
    return switch (this) {
      case I16X8 -> I8X16;
      case I32X4 -> I16X8;
      case I64X2 -> I32X4;
      default -> throw new IllegalArgumentException(text + " has no narrower integer shape");
    };
  }

  public static Lanes ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }

  /** Whether {@code ordinal} names a shape (the verifier's check of the auxiliary field). */
  public static boolean isOrdinal(int ordinal) {
    return ordinal >= 0 && ordinal < VALUES.length;
  }

  /** The shape spelled {@code text}, or null. */
  public static Lanes byText(String text) {
    for (Lanes l : VALUES) {
      if (l.text.equals(text)) {
        return l;
      }
    }
    return null;
  }

  @Override
  public String toString() {
    return text;
  }
}
