package dev.kiln.ir;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lane shapes a lane-shaped vector opcode accepts (the {@code .i32x4} suffix in the text
 * format), which are the shapes wasm defines the operator for (spec 4.4.3): {@code i8x16.mul}
 * does not exist, so {@code vimul} does not take {@link Lanes#I8X16}.
 */
public enum LaneSet {
  /** The opcode has no lane shape. */
  NONE(),
  /** Every shape, integer and float. */
  ALL(Lanes.I8X16, Lanes.I16X8, Lanes.I32X4, Lanes.I64X2, Lanes.F32X4, Lanes.F64X2),
  /** Integer lanes of any width. */
  INT(Lanes.I8X16, Lanes.I16X8, Lanes.I32X4, Lanes.I64X2),
  /** 16-, 32- and 64-bit integer lanes ({@code vimul}). */
  I16_TO_I64(Lanes.I16X8, Lanes.I32X4, Lanes.I64X2),
  /** 8-, 16- and 32-bit integer lanes (integer min and max). */
  I8_TO_I32(Lanes.I8X16, Lanes.I16X8, Lanes.I32X4),
  /** 8- and 16-bit integer lanes (saturating arithmetic, rounding average). */
  I8_I16(Lanes.I8X16, Lanes.I16X8),
  /** 16- and 32-bit integer lanes (pairwise widening addition). */
  I16_I32(Lanes.I16X8, Lanes.I32X4),
  /** Only i8x16. */
  I8(Lanes.I8X16),
  /** Only i16x8. */
  I16(Lanes.I16X8),
  /** Only i32x4. */
  I32(Lanes.I32X4),
  /** The float shapes. */
  FLOAT(Lanes.F32X4, Lanes.F64X2);

  private final Set<Lanes> shapes;

  LaneSet(Lanes... shapes) {
    this.shapes = shapes.length == 0 ? Set.of() : Set.copyOf(EnumSet.of(shapes[0], shapes));
  }

  public boolean contains(Lanes l) {
    return shapes.contains(l);
  }
}
