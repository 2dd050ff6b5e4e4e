package dev.kiln.wat.script;

import java.util.List;
import java.util.OptionalLong;

/**
 * A constant an action passes, or a result an assertion expects (reference interpreter {@code
 * interpreter/README.md}, "Scripts": {@code const} and {@code result}). Numbers are bit patterns.
 */
public sealed interface Value {
  /**
   * {@code (i32.const n)} ... {@code (f64.const z)}, or a lane of a vector.
   *
   * @param type {@code i32}, {@code i64}, {@code f32}, {@code f64}; for a lane also {@code i8},
   *     {@code i16}
   * @param bits the two's-complement or IEEE 754 bit pattern (an f32's in the low 32 bits)
   */
  record Num(String type, long bits) implements Value {}

  /**
   * A NaN pattern a float result (or lane) must match: {@code nan:canonical} or {@code
   * nan:arithmetic} (spec 4.3.3, "NaN Propagation").
   *
   * @param type {@code f32} or {@code f64}
   */
  record NanPattern(String type, boolean canonical) implements Value {}

  /**
   * {@code (v128.const shape lane*)}, lane 0 first.
   *
   * @param shape {@code i8x16} ... {@code f64x2}
   * @param lanes each a {@link Num} or, in a result, a {@link NanPattern}
   */
  record Vector(String shape, List<Value> lanes) implements Value {
    public Vector {
      lanes = List.copyOf(lanes);
    }

    /** The lanes' type: {@code i8} ... {@code f64}. */
    public String laneType() {
      return shape.substring(0, 3).replace("x", "");
    }
  }

  /**
   * {@code (ref.null heaptype)}.
   *
   * @param heapType as written: {@code func}, {@code extern}, {@code any}, an index ...
   */
  record RefNull(String heapType) implements Value {}

  /**
   * A non-null reference: {@code (ref.extern n)} and {@code (ref.host n)} name a host value;
   * {@code (ref.func)}, {@code (ref.struct)}, {@code (ref.array)}, {@code (ref.i31)}, {@code
   * (ref.eq)}, {@code (ref.any)} ... are results matching any reference of that kind.
   *
   * @param kind the word after {@code ref.}
   * @param index the host value's number, or a function's index if one is given
   */
  record Ref(String kind, OptionalLong index) implements Value {}

  /** {@code (either result+)}: the result may be any of these. */
  record Either(List<Value> alternatives) implements Value {
    public Either {
      if (alternatives.isEmpty()) {
        throw new IllegalArgumentException("an either has at least one alternative");
      }
      alternatives = List.copyOf(alternatives);
    }
  }
}
