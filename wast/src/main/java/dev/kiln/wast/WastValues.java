package dev.kiln.wast;

import dev.kiln.loader.runtime.NativeStore;
import java.util.function.LongFunction;
import dev.kiln.artifact.gc.ReferenceWord;
import dev.kiln.artifact.info.ValType;
import dev.kiln.wast.ScriptCommand.WastValue;
import dev.kiln.loader.runtime.WasmValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The script's values as raw bits, and the result check. The model holds every number as the
 * unsigned decimal of its bit pattern (an f32 as its 32 bits, spec 4.3.3 representation), so a
 * result compares bit for bit; only the NaN patterns {@code nan:canonical} and {@code nan:arithmetic}
 * (spec 4.3.3, "NaN Propagation") stand for a class of bit patterns.
 *
 * <p>A {@code v128} is written as its lanes, in the shape the script chose ({@code "lane_type":
 * "i8"} ... {@code "f64"}, lane 0 first), each the unsigned decimal of its bits; an expected float
 * lane may be a NaN pattern, which then holds for that lane alone (the spec's {@code
 * assert_return} with {@code v128.const f32x4 nan:canonical ...}). A v128 compares lane by lane in
 * the script's shape, which for bit patterns is the same as all 128 bits.
 *
 * <p>References travel as Kiln's raw reference bits (0 = null): the script's {@code (ref.extern
 * n)} and {@code (ref.host n)} are the host word {@code (n + 1) * 2}, so {@code (ref.extern 0)} is
 * not null; a result written without an identity ({@code (ref.func)}, {@code (ref.extern)}, {@code
 * (ref.any)}, {@code (ref.eq)}, {@code (ref.i31)}) matches any non-null reference of that type.
 */
final class WastValues {
  private static final long F32_CANONICAL_NAN = 0x7FC0_0000L;
  private static final long F32_ABS = 0x7FFF_FFFFL;
  private static final long F64_CANONICAL_NAN = 0x7FF8_0000_0000_0000L;
  private static final long F64_ABS = 0x7FFF_FFFF_FFFF_FFFFL;

  /**
   * The type of the result {@code (ref.null)}, a null reference of any type (WebAssembly 3.0's
   * script format): it matches whatever null reference a function returns.
   */
  static final String ANY_NULL = "(ref.null)";

  private WastValues() {}

  /** The value types this runner passes and compares; another is skipped, with its name. */
  static boolean isKnown(String type) {
    return switch (type) {
      case "i32", "i64", "f32", "f64", "v128", "funcref", "externref", ANY_NULL, EXTERN_ANY, HOST, ANY, EQ, I31, STRUCT,
           ARRAY, EXN -> true;
      default -> false;
    };
  }

  /** {@code (ref.extern)}: any non-null external reference. */
  static final String EXTERN_ANY = "(ref.extern)";
  /** {@code (ref.host n)}: host reference n as an any-hierarchy value (spec 3.0 script format). */
  static final String HOST = "hostref";
  /** {@code (ref.any)}, {@code (ref.eq)}, {@code (ref.i31)}: any non-null reference of that type. */
  static final String ANY = "anyref";
  static final String EQ = "eqref";
  static final String I31 = "i31ref";
  /** {@code (ref.struct)}, {@code (ref.array)}: any struct or array object of the script's store. */
  static final String STRUCT = "structref";
  static final String ARRAY = "arrayref";
  /**
   * {@code (ref.null exn)}, {@code (ref.null noexn)}: the exn hierarchy's null (spec 3.0 2.3.4), the
   * only exnref a script can write; a non-null one comes only from wasm.
   */
  static final String EXN = "exnref";

  /** Whether {@code type} is 32 bits wide (its bits live in the low half of a slot). */
  static boolean isNarrow(String type) {
    return type.equals("i32") || type.equals("f32");
  }

  static boolean isReference(String type) {
    return switch (type) {
      case "funcref", "externref", ANY_NULL, EXTERN_ANY, HOST, ANY, EQ, I31, STRUCT, ARRAY, EXN -> true;
      default -> false;
    };
  }

  /** An argument as the typed value a parameter of {@code type} takes. */
  static WasmValue argument(WastValue value, ValType type) {
    if (value.type().equals("v128")) {
      long[] halves = v128Bits(value);
      return new WasmValue.V128(halves[0], halves[1]);
    }
    return WasmValue.ofBits(type, scalarBits(value), 0);
  }

  /** A scalar's bits: the decimal of its bit pattern, masked to its width; a reference's handle. */
  private static long scalarBits(WastValue value) {
    if (isReference(value.type())) {
      return referenceBits(value);
    }
    long bits = Long.parseUnsignedLong(value.value().getFirst());
    return isNarrow(value.type()) ? bits & 0xFFFF_FFFFL : bits;
  }

  /** A v128 written as lanes: its low and high 64 bits. */
  private static long[] v128Bits(WastValue value) {
    int laneBits = laneBits(value);
    long[] halves = new long[2];
    List<String> lanes = value.value();
    for (int i = 0; i < lanes.size(); i++) {
      long lane = Long.parseUnsignedLong(lanes.get(i)) & mask(laneBits);
      int bit = i * laneBits;
      halves[bit / 64] |= lane << (bit % 64);
    }
    return halves;
  }

  private static int laneBits(WastValue value) {
    String lane = value.laneType().orElseThrow(() -> new IllegalArgumentException("a v128 without a lane type"));
    return Integer.parseInt(lane.substring(1));
  }

  private static long mask(int bits) {
    return bits == 64 ? -1L : (1L << bits) - 1;
  }

  /**
   * A reference argument: null is 0, {@code (ref.extern n)} and {@code (ref.host n)} the host word
   * {@code (n + 1) * 2}: never 0, and even, because an odd word is an i31 to the guest once
   * internalised ({@code dev.kiln.artifact.gc}).
   */
  private static long referenceBits(WastValue value) {
    String text = value.value().getFirst();
    if (text.equals("null")) {
      return 0;
    }
    if (value.type().equals("externref") || value.type().equals(HOST)) {
      return (Long.parseUnsignedLong(text) + 1) << 1;
    }
    throw new IllegalArgumentException("a non-null " + value.type() + " argument cannot be written in a script: " + text);
  }

  /**
   * Whether a non-null result of no particular identity matches: {@code (ref.func)}, {@code
   * (ref.extern)}, {@code (ref.any)} are any non-null word; {@code (ref.i31)} an i31 word, {@code
   * (ref.struct)} and {@code (ref.array)} an object of that kind in the store's heap ({@code
   * objects} tells), {@code (ref.eq)} either.
   */
  private static boolean matchesAnyOf(String type, long bits, LongFunction<NativeStore.ObjectKind> objects) {
    return switch (type) {
      case I31 -> ReferenceWord.isI31(bits);
      // an exception object is no eqref (spec 3.0 2.3.4: exnref is a hierarchy of its own)
      case EQ -> ReferenceWord.isI31(bits) || objects.apply(bits) == NativeStore.ObjectKind.STRUCT
          || objects.apply(bits) == NativeStore.ObjectKind.ARRAY;
      case STRUCT -> objects.apply(bits) == NativeStore.ObjectKind.STRUCT;
      case ARRAY -> objects.apply(bits) == NativeStore.ObjectKind.ARRAY;
      default -> bits != 0;
    };
  }

  /**
   * Checks one result.
   *
   * @return empty when it matches, else what was expected, in words
   */
  static Optional<String> mismatch(WastValue expected, WasmValue actual) {
    return mismatch(expected, actual, word -> NativeStore.ObjectKind.NONE);
  }

  /**
   * Checks one result, asking {@code objects} what a reference word is in the script's store.
   *
   * @return empty when it matches, else what was expected, in words
   */
  static Optional<String> mismatch(WastValue expected, WasmValue actual, LongFunction<NativeStore.ObjectKind> objects) {
    if (!expected.alternatives().isEmpty()) {
      // (either ...): any one alternative is a match
      boolean any = expected.alternatives().stream().anyMatch(a -> mismatch(a, actual, objects).isEmpty());
      return any ? Optional.empty() : Optional.of(describe(expected));
    }
    if (expected.type().equals("v128")) {
      if (!(actual instanceof WasmValue.V128 v)) {
        return Optional.of(describe(expected));
      }
      int laneBits = laneBits(expected);
      List<String> lanes = expected.value();
      for (int i = 0; i < lanes.size(); i++) {
        if (!matches(lanes.get(i), laneBits, lane(v, laneBits, i))) {
          return Optional.of(describe(expected));
        }
      }
      return Optional.empty();
    }
    String text = expected.value().getFirst();
    if (isReference(expected.type())) {
      boolean anyOf = text.equals("func") || text.equals("any");
      boolean ok = anyOf ? matchesAnyOf(expected.type(), actual.bits(), objects)
          : referenceBits(expected) == actual.bits();
      return ok ? Optional.empty() : Optional.of(describe(expected));
    }
    int width = isNarrow(expected.type()) ? 32 : 64;
    return matches(text, width, actual.bits() & mask(width)) ? Optional.empty()
        : Optional.of(describe(expected));
  }

  /**
   * Whether {@code bits}, a value or lane {@code width} bits wide, match {@code text}: the decimal
   * of a bit pattern, or a NaN pattern of the float type of that width.
   */
  private static boolean matches(String text, int width, long bits) {
    return switch (text) {
      case "nan:canonical" -> width == 32
          ? (bits & F32_ABS) == F32_CANONICAL_NAN
          : (bits & F64_ABS) == F64_CANONICAL_NAN;
      // An arithmetic NaN has the quiet bit set, any payload and any sign.
      case "nan:arithmetic" -> width == 32
          ? (bits & F32_CANONICAL_NAN) == F32_CANONICAL_NAN
          : (bits & F64_CANONICAL_NAN) == F64_CANONICAL_NAN;
      default -> (Long.parseUnsignedLong(text) & mask(width)) == bits;
    };
  }

  /** Lane {@code i} of {@code v} read as {@code laneBits}-bit lanes. */
  private static long lane(WasmValue.V128 v, int laneBits, int i) {
    int bit = i * laneBits;
    long half = bit < 64 ? v.low() : v.high();
    return (half >>> (bit % 64)) & mask(laneBits);
  }

  /** An expected value in the form reports show: {@code i32:4294967295 (0xffffffff)}. */
  static String describe(WastValue value) {
    if (!value.alternatives().isEmpty()) {
      return "either " + value.alternatives().stream().map(WastValues::describe).toList();
    }
    if (value.type().equals("v128")) {
      return "v128:" + value.laneType().get() + " " + value.value().stream()
          .map(t -> t.startsWith("nan:") ? t : "0x" + Long.toHexString(Long.parseUnsignedLong(t))).toList();
    }
    String text = value.value().getFirst();
    if (text.startsWith("nan:") || isReference(value.type())) {
      return value.type() + ":" + text;
    }
    return describeBits(value.type(), Long.parseUnsignedLong(text));
  }

  /**
   * A result in the form reports show; a v128 as lanes of {@code laneType} ({@code i32} if the
   * script gave none), like the expected value it is shown beside.
   */
  static String describe(WasmValue value, String type, String laneType) {
    if (value instanceof WasmValue.V128 v) {
      int laneBits = Integer.parseInt(laneType.substring(1));
      List<String> lanes = new ArrayList<>();
      for (int i = 0; i < 128 / laneBits; i++) {
        lanes.add("0x" + Long.toHexString(lane(v, laneBits, i)));
      }
      return "v128:" + laneType + " " + lanes;
    }
    return describeBits(type, isNarrow(type) ? value.bits() & 0xFFFF_FFFFL : value.bits());
  }

  static String describeBits(String type, long bits) {
    return type + ":" + Long.toUnsignedString(bits) + " (0x" + Long.toHexString(bits) + ")";
  }
}
