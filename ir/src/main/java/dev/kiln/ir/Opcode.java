package dev.kiln.ir;

import static dev.kiln.ir.InstFormat.*;
import static dev.kiln.ir.OperandRule.ADDR;
import static dev.kiln.ir.OperandRule.AS_FIRST;
import static dev.kiln.ir.OperandRule.BITCAST_PARTNER;
import static dev.kiln.ir.OperandRule.NARROWER_INT;
import static dev.kiln.ir.OperandRule.SAME;
import static dev.kiln.ir.OperandRule.WIDER_INT;

import java.util.List;

/**
 * The instruction set, one constant per opcode with its metadata: text name, operand format, result
 * rule, accepted controlling types, operand type rules, side effects and (for memory access) width.
 * Passes read the metadata instead of listing opcodes: a pass that must not move or delete an
 * instruction checks {@link #hasSideEffects()}.
 *
 * <p>Integer opcodes have wasm semantics (WebAssembly spec 4.3.2): arithmetic wraps modulo 2^N,
 * shift and rotate counts are taken modulo N, {@code sdiv}/{@code udiv}/{@code srem}/{@code urem}
 * trap on a zero divisor and {@code sdiv} also on {@code INT_MIN / -1} (whose {@code srem} is 0).
 * Float opcodes follow spec 4.3.3: {@code fmin}/{@code fmax} are wasm's, which propagate NaN and
 * order -0 below +0 (unlike x86 {@code minss}); {@code nearest} rounds half to even. Conversions
 * follow spec 4.3.4: {@code fcvt_to_sint}/{@code fcvt_to_uint} trap ({@code bad_toint} for NaN,
 * {@code int_ovf} out of range), the {@code _sat} forms saturate and map NaN to 0.
 *
 * <p>A {@code v128} is one type, whatever its lanes: plain {@code load}, {@code store} and {@code
 * select} move it whole, {@code vconst} makes one. Vector opcodes ({@code v...}) that read lanes
 * carry a lane shape ({@link Lanes}, printed as the suffix {@code viadd.i32x4}) instead of a
 * controlling type; the shapes each accepts are its {@link #laneSet()}.
 */
public enum Opcode {
  // ---- constants
  ICONST("iconst", CONST, ResultRule.CTRL, TypeSet.INT, 0),
  F32CONST("f32const", CONST, ResultRule.F32, TypeSet.NONE, 0),
  F64CONST("f64const", CONST, ResultRule.F64, TypeSet.NONE, 0),
  /** A 128-bit constant (wasm {@code v128.const}). */
  VCONST("vconst", InstFormat.VCONST, ResultRule.V128, TypeSet.NONE, 0),
  /**
   * The address (i64) of the function's 8-byte stack slot number {@code imm}, a word of its frame
   * that lives as long as the frame. The translator spills GC references there across safepoints
   * and names the slots in the call's stack map ({@link DataFlowGraph#stackMap}): the collector
   * reads and rewrites exactly those words while the call is under way.
   */
  STACK_ADDR("stack_addr", CONST, ResultRule.CTRL, TypeSet.INT, 0),

  // ---- integer arithmetic and logic (wrapping)
  IADD("iadd", BINARY, ResultRule.CTRL, TypeSet.INT, 0, SAME, SAME),
  ISUB("isub", BINARY, ResultRule.CTRL, TypeSet.INT, 0, SAME, SAME),
  IMUL("imul", BINARY, ResultRule.CTRL, TypeSet.INT, 0, SAME, SAME),
  /**
   * The high 64 bits of the unsigned 128-bit product (no wasm operator: the division-by-constant
   * rewrite's multiply, ir.pass.DivisionByConstant).
   */
  UMULHI("umulhi", BINARY, ResultRule.CTRL, TypeSet.I64, 0, SAME, SAME),
  SDIV("sdiv", BINARY, ResultRule.CTRL, TypeSet.INT, Flag.TRAPS, SAME, SAME),
  UDIV("udiv", BINARY, ResultRule.CTRL, TypeSet.INT, Flag.TRAPS, SAME, SAME),
  SREM("srem", BINARY, ResultRule.CTRL, TypeSet.INT, Flag.TRAPS, SAME, SAME),
  UREM("urem", BINARY, ResultRule.CTRL, TypeSet.INT, Flag.TRAPS, SAME, SAME),
  BAND("band", BINARY, ResultRule.CTRL, TypeSet.INT, 0, SAME, SAME),
  BOR("bor", BINARY, ResultRule.CTRL, TypeSet.INT, 0, SAME, SAME),
  BXOR("bxor", BINARY, ResultRule.CTRL, TypeSet.INT, 0, SAME, SAME),
  ISHL("ishl", BINARY, ResultRule.CTRL, TypeSet.INT, 0, SAME, SAME),
  SSHR("sshr", BINARY, ResultRule.CTRL, TypeSet.INT, 0, SAME, SAME),
  USHR("ushr", BINARY, ResultRule.CTRL, TypeSet.INT, 0, SAME, SAME),
  ROTL("rotl", BINARY, ResultRule.CTRL, TypeSet.INT, 0, SAME, SAME),
  ROTR("rotr", BINARY, ResultRule.CTRL, TypeSet.INT, 0, SAME, SAME),
  CLZ("clz", UNARY, ResultRule.CTRL, TypeSet.INT, 0, SAME),
  CTZ("ctz", UNARY, ResultRule.CTRL, TypeSet.INT, 0, SAME),
  POPCNT("popcnt", UNARY, ResultRule.CTRL, TypeSet.INT, 0, SAME),
  /** 1 when the operand is zero, else 0 (wasm {@code i32.eqz}/{@code i64.eqz}). */
  EQZ("eqz", UNARY, ResultRule.I32, TypeSet.NONE, 0, OperandRule.INT),
  /** 1 when the condition holds, else 0. */
  ICMP("icmp", INT_COMPARE, ResultRule.I32, TypeSet.NONE, 0, OperandRule.INT, AS_FIRST),

  // ---- integer width changes
  /** i32 to i64, sign-extending (wasm {@code i64.extend_i32_s}). */
  SEXTEND("sextend", UNARY, ResultRule.CTRL, TypeSet.I64, 0, NARROWER_INT),
  /** i32 to i64, zero-extending (wasm {@code i64.extend_i32_u}). */
  UEXTEND("uextend", UNARY, ResultRule.CTRL, TypeSet.I64, 0, NARROWER_INT),
  /** i64 to i32, keeping the low bits (wasm {@code i32.wrap_i64}). */
  IREDUCE("ireduce", UNARY, ResultRule.CTRL, TypeSet.I32, 0, WIDER_INT),
  /** Sign-extends the low 8 bits in place (wasm {@code i32.extend8_s}, {@code i64.extend8_s}). */
  EXTEND8_S("extend8_s", UNARY, ResultRule.CTRL, TypeSet.INT, 0, SAME),
  EXTEND16_S("extend16_s", UNARY, ResultRule.CTRL, TypeSet.INT, 0, SAME),
  EXTEND32_S("extend32_s", UNARY, ResultRule.CTRL, TypeSet.I64, 0, SAME),

  // ---- float arithmetic
  FADD("fadd", BINARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME, SAME),
  FSUB("fsub", BINARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME, SAME),
  FMUL("fmul", BINARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME, SAME),
  FDIV("fdiv", BINARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME, SAME),
  /** Wasm {@code fmin}: NaN if either operand is NaN, and -0 is less than +0. */
  FMIN("fmin", BINARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME, SAME),
  /** Wasm {@code fmax}: NaN if either operand is NaN, and +0 is greater than -0. */
  FMAX("fmax", BINARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME, SAME),
  FCOPYSIGN("fcopysign", BINARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME, SAME),
  SQRT("sqrt", UNARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME),
  CEIL("ceil", UNARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME),
  FLOOR("floor", UNARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME),
  TRUNC("trunc", UNARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME),
  /** Round to nearest, ties to even (wasm {@code nearest}). */
  NEAREST("nearest", UNARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME),
  FABS("fabs", UNARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME),
  FNEG("fneg", UNARY, ResultRule.CTRL, TypeSet.FLOAT, 0, SAME),
  /** 1 when the condition holds, else 0. */
  FCMP("fcmp", FLOAT_COMPARE, ResultRule.I32, TypeSet.NONE, 0, OperandRule.FLOAT, AS_FIRST),

  // ---- conversions
  /** Float to signed int; traps {@code bad_toint} on NaN and {@code int_ovf} out of range. */
  FCVT_TO_SINT("fcvt_to_sint", UNARY, ResultRule.CTRL, TypeSet.INT, Flag.TRAPS, OperandRule.FLOAT),
  FCVT_TO_UINT("fcvt_to_uint", UNARY, ResultRule.CTRL, TypeSet.INT, Flag.TRAPS, OperandRule.FLOAT),
  /** Float to signed int, saturating; NaN gives 0 (wasm {@code trunc_sat}). */
  FCVT_TO_SINT_SAT("fcvt_to_sint_sat", UNARY, ResultRule.CTRL, TypeSet.INT, 0, OperandRule.FLOAT),
  FCVT_TO_UINT_SAT("fcvt_to_uint_sat", UNARY, ResultRule.CTRL, TypeSet.INT, 0, OperandRule.FLOAT),
  FCVT_FROM_SINT("fcvt_from_sint", UNARY, ResultRule.CTRL, TypeSet.FLOAT, 0, OperandRule.INT),
  FCVT_FROM_UINT("fcvt_from_uint", UNARY, ResultRule.CTRL, TypeSet.FLOAT, 0, OperandRule.INT),
  FPROMOTE("fpromote", UNARY, ResultRule.CTRL, TypeSet.F64, 0, OperandRule.F32),
  FDEMOTE("fdemote", UNARY, ResultRule.CTRL, TypeSet.F32, 0, OperandRule.F64),
  /** Reinterprets the bits (wasm {@code reinterpret}). */
  BITCAST("bitcast", UNARY, ResultRule.CTRL, TypeSet.NUMBER, 0, BITCAST_PARTNER),

  // ---- v128 bitwise operations (spec 4.4.3 "vvunop", "vvbinop", "vvternop", "vvtestop"): no lanes
  VAND("vand", BINARY, ResultRule.V128, TypeSet.NONE, 0, OperandRule.V128, OperandRule.V128),
  VOR("vor", BINARY, ResultRule.V128, TypeSet.NONE, 0, OperandRule.V128, OperandRule.V128),
  VXOR("vxor", BINARY, ResultRule.V128, TypeSet.NONE, 0, OperandRule.V128, OperandRule.V128),
  /** {@code x & ~y} (wasm {@code v128.andnot}). */
  VAND_NOT("vand_not", BINARY, ResultRule.V128, TypeSet.NONE, 0, OperandRule.V128,
      OperandRule.V128),
  VNOT("vnot", UNARY, ResultRule.V128, TypeSet.NONE, 0, OperandRule.V128),
  /** {@code (x & mask) | (y & ~mask)}, operands x, y, mask (wasm {@code v128.bitselect}). */
  VBITSELECT("vbitselect", TERNARY, ResultRule.V128, TypeSet.NONE, 0, OperandRule.V128,
      OperandRule.V128, OperandRule.V128),
  /** 1 when any bit is set, else 0 (wasm {@code v128.any_true}). */
  VANY_TRUE("vany_true", UNARY, ResultRule.I32, TypeSet.NONE, 0, OperandRule.V128),

  // ---- lane tests (spec 4.4.3 "all_true", "bitmask"), results i32
  /** 1 when every lane is nonzero, else 0. */
  VALL_TRUE("vall_true", UNARY, ResultRule.I32, LaneSet.INT, OperandRule.V128),
  /** Bit i set when lane i is negative (its top bit). */
  VBITMASK("vbitmask", UNARY, ResultRule.I32, LaneSet.INT, OperandRule.V128),

  // ---- byte permutations (spec 4.4.3 "i8x16.shuffle", "i8x16.swizzle")
  /**
   * Byte i of the result is byte {@code m[i]} of the 32 bytes of x then y, m the 16 indexes in the
   * immediate.
   */
  VSHUFFLE("vshuffle", SHUFFLE, ResultRule.V128, TypeSet.NONE, 0, OperandRule.V128,
      OperandRule.V128),
  /** Byte i of the result is byte {@code y[i]} of x, or 0 when that index is 16 or more. */
  VSWIZZLE("vswizzle", BINARY, ResultRule.V128, TypeSet.NONE, 0, OperandRule.V128,
      OperandRule.V128),

  // ---- lane-wise integer arithmetic (spec 4.4.3 "vibinop", "viunop", "vimulop", "viminmaxop",
  // "visatbinop", "vavgr"): each lane as its own integer, as the scalar operators do
  /** Wrapping addition per lane. */
  VIADD("viadd", BINARY, ResultRule.V128, LaneSet.INT, OperandRule.V128, OperandRule.V128),
  VISUB("visub", BINARY, ResultRule.V128, LaneSet.INT, OperandRule.V128, OperandRule.V128),
  VIMUL("vimul", BINARY, ResultRule.V128, LaneSet.I16_TO_I64, OperandRule.V128, OperandRule.V128),
  VINEG("vineg", UNARY, ResultRule.V128, LaneSet.INT, OperandRule.V128),
  /** Absolute value, wrapping: the most negative lane value stays as it is. */
  VIABS("viabs", UNARY, ResultRule.V128, LaneSet.INT, OperandRule.V128),
  VSMIN("vsmin", BINARY, ResultRule.V128, LaneSet.I8_TO_I32, OperandRule.V128, OperandRule.V128),
  VUMIN("vumin", BINARY, ResultRule.V128, LaneSet.I8_TO_I32, OperandRule.V128, OperandRule.V128),
  VSMAX("vsmax", BINARY, ResultRule.V128, LaneSet.I8_TO_I32, OperandRule.V128, OperandRule.V128),
  VUMAX("vumax", BINARY, ResultRule.V128, LaneSet.I8_TO_I32, OperandRule.V128, OperandRule.V128),
  /** {@code (x + y + 1) / 2} unsigned, without overflow (wasm {@code avgr_u}). */
  VAVGR_U("vavgr_u", BINARY, ResultRule.V128, LaneSet.I8_I16, OperandRule.V128, OperandRule.V128),
  /** Addition saturating at the signed lane bounds. */
  VSADD_SAT("vsadd_sat", BINARY, ResultRule.V128, LaneSet.I8_I16, OperandRule.V128,
      OperandRule.V128),
  VUADD_SAT("vuadd_sat", BINARY, ResultRule.V128, LaneSet.I8_I16, OperandRule.V128,
      OperandRule.V128),
  VSSUB_SAT("vssub_sat", BINARY, ResultRule.V128, LaneSet.I8_I16, OperandRule.V128,
      OperandRule.V128),
  VUSUB_SAT("vusub_sat", BINARY, ResultRule.V128, LaneSet.I8_I16, OperandRule.V128,
      OperandRule.V128),

  // ---- lane-wise shifts by a scalar count (spec 4.4.3 "vishiftop"): the count is taken modulo
  // the lane width, as for the scalar shifts
  VISHL("vishl", BINARY, ResultRule.V128, LaneSet.INT, OperandRule.V128, OperandRule.I32),
  VSSHR("vsshr", BINARY, ResultRule.V128, LaneSet.INT, OperandRule.V128, OperandRule.I32),
  VUSHR("vushr", BINARY, ResultRule.V128, LaneSet.INT, OperandRule.V128, OperandRule.I32),

  // ---- lane-wise widening (spec 4.4.3 "vextend"): the low or high half of the lanes, each
  // extended to twice its width; the lane shape is the result's
  VSWIDEN_LOW("vswiden_low", UNARY, ResultRule.V128, LaneSet.I16_TO_I64, OperandRule.V128),
  VSWIDEN_HIGH("vswiden_high", UNARY, ResultRule.V128, LaneSet.I16_TO_I64, OperandRule.V128),
  VUWIDEN_LOW("vuwiden_low", UNARY, ResultRule.V128, LaneSet.I16_TO_I64, OperandRule.V128),
  VUWIDEN_HIGH("vuwiden_high", UNARY, ResultRule.V128, LaneSet.I16_TO_I64, OperandRule.V128),
  /** The products of the low or high halves' lanes of x and y, each twice as wide as they are. */
  VSEXTMUL_LOW("vsextmul_low", BINARY, ResultRule.V128, LaneSet.I16_TO_I64, OperandRule.V128,
      OperandRule.V128),
  VSEXTMUL_HIGH("vsextmul_high", BINARY, ResultRule.V128, LaneSet.I16_TO_I64, OperandRule.V128,
      OperandRule.V128),
  VUEXTMUL_LOW("vuextmul_low", BINARY, ResultRule.V128, LaneSet.I16_TO_I64, OperandRule.V128,
      OperandRule.V128),
  VUEXTMUL_HIGH("vuextmul_high", BINARY, ResultRule.V128, LaneSet.I16_TO_I64, OperandRule.V128,
      OperandRule.V128),
  /** Lane i is the sum of lanes 2i and 2i+1 of x, each extended to the result's lane width. */
  VSEXTADD_PAIRWISE("vsextadd_pairwise", UNARY, ResultRule.V128, LaneSet.I16_I32,
      OperandRule.V128),
  VUEXTADD_PAIRWISE("vuextadd_pairwise", UNARY, ResultRule.V128, LaneSet.I16_I32,
      OperandRule.V128),
  /** Lane i is {@code x[2i]*y[2i] + x[2i+1]*y[2i+1]} of signed i16 lanes (wasm {@code dot}). */
  VSDOT("vsdot", BINARY, ResultRule.V128, LaneSet.I32, OperandRule.V128, OperandRule.V128),
  /** {@code sat((x*y + 0x4000) >> 15)} per signed i16 lane (wasm {@code q15mulr_sat_s}). */
  VQ15MULR_SAT("vq15mulr_sat", BINARY, ResultRule.V128, LaneSet.I16, OperandRule.V128,
      OperandRule.V128),
  /** Bits set per byte. */
  VPOPCNT("vpopcnt", UNARY, ResultRule.V128, LaneSet.I8, OperandRule.V128),

  // ---- lane-wise float arithmetic (spec 4.4.3 "vfbinop", "vfunop"): each lane as the scalar
  // operator computes it, NaN results included (spec 4.3.3 "NaN propagation")
  VFADD("vfadd", BINARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128, OperandRule.V128),
  VFSUB("vfsub", BINARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128, OperandRule.V128),
  VFMUL("vfmul", BINARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128, OperandRule.V128),
  VFDIV("vfdiv", BINARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128, OperandRule.V128),
  /** Wasm {@code fmin} per lane: NaN if either lane is NaN, and -0 is less than +0. */
  VFMIN("vfmin", BINARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128, OperandRule.V128),
  /** Wasm {@code fmax} per lane: NaN if either lane is NaN, and +0 is greater than -0. */
  VFMAX("vfmax", BINARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128, OperandRule.V128),
  /** {@code y < x ? y : x} per lane (wasm {@code pmin}): x when either is NaN or both are zeros. */
  VFPMIN("vfpmin", BINARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128, OperandRule.V128),
  /** {@code x < y ? y : x} per lane (wasm {@code pmax}). */
  VFPMAX("vfpmax", BINARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128, OperandRule.V128),
  VFSQRT("vfsqrt", UNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128),
  VFCEIL("vfceil", UNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128),
  VFFLOOR("vffloor", UNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128),
  VFTRUNC("vftrunc", UNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128),
  /** Round to nearest, ties to even. */
  VFNEAREST("vfnearest", UNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128),
  /** The sign bit cleared, NaN lanes included. */
  VFABS("vfabs", UNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128),
  /** The sign bit flipped, NaN lanes included. */
  VFNEG("vfneg", UNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128),

  // ---- lane-wise conversions (spec 4.4.3 "vcvtop"); the lane shape is the float side's
  /** Each i32 lane to f32x4, or the low two i32 lanes to f64x2 (exact), rounding to nearest. */
  VFCVT_FROM_SINT("vfcvt_from_sint", UNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128),
  VFCVT_FROM_UINT("vfcvt_from_uint", UNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128),
  /**
   * Each f32x4 lane, or each f64x2 lane into the low two i32 lanes with the high two zero, to a
   * signed i32 truncating and saturating; NaN gives 0 (wasm {@code trunc_sat}).
   */
  VFCVT_TO_SINT_SAT("vfcvt_to_sint_sat", UNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128),
  VFCVT_TO_UINT_SAT("vfcvt_to_uint_sat", UNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128),
  /** The two f64 lanes rounded to f32 in the low lanes, the high two zero. */
  VFDEMOTE("vfdemote", UNARY, ResultRule.V128, TypeSet.NONE, 0, OperandRule.V128),
  /** The low two f32 lanes to f64 (exact). */
  VFPROMOTE("vfpromote", UNARY, ResultRule.V128, TypeSet.NONE, 0, OperandRule.V128),

  // ---- relaxed SIMD (WebAssembly 3.0, spec 4.3 numerics "irelaxed_*"/"frelaxed_*"): the spec
  // allows a set of results for some inputs. Each opcode's meaning is that set, decided here once;
  // each ISA's lowering picks one member by its choice of instructions (and names it in a
  // comment), the same for every input and every run, so an artifact is deterministic.
  /**
   * Byte i of the result is byte {@code y[i]} of x when that index is below 16, 0 when it is 128
   * or more (negative as a signed byte), else either 0 or byte {@code y[i] mod 16}.
   */
  VRELAXED_SWIZZLE("vrelaxed_swizzle", BINARY, ResultRule.V128, TypeSet.NONE, 0, OperandRule.V128,
      OperandRule.V128),
  /**
   * As {@link #VFCVT_TO_SINT_SAT} where the lane converts, but a NaN or out-of-range lane gives
   * either the saturated value (0 for NaN) or INT32_MIN.
   */
  VRELAXED_FCVT_TO_SINT("vrelaxed_fcvt_to_sint", UNARY, ResultRule.V128, LaneSet.FLOAT,
      OperandRule.V128),
  /**
   * As {@link #VFCVT_TO_UINT_SAT} where the lane converts, but a NaN or out-of-range lane gives
   * either the saturated value (0 for NaN) or UINT32_MAX.
   */
  VRELAXED_FCVT_TO_UINT("vrelaxed_fcvt_to_uint", UNARY, ResultRule.V128, LaneSet.FLOAT,
      OperandRule.V128),
  /** {@code x*y + z} per lane, either fused (one rounding) or as a multiply then an add. */
  VRELAXED_FMA("vrelaxed_fma", TERNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128,
      OperandRule.V128, OperandRule.V128),
  /** {@code -(x*y) + z} per lane, either fused or as a multiply then a subtraction from z. */
  VRELAXED_FNMA("vrelaxed_fnma", TERNARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128,
      OperandRule.V128, OperandRule.V128),
  /**
   * Per lane: x where the mask lane m is all ones, y where it is zero; otherwise either the bits
   * of x where m's bits are set and of y elsewhere ({@link #VBITSELECT}), or the whole lane of x
   * when m's top bit is set and of y when it is clear. Operands x, y, m.
   */
  VRELAXED_LANESELECT("vrelaxed_laneselect", TERNARY, ResultRule.V128, LaneSet.INT,
      OperandRule.V128, OperandRule.V128, OperandRule.V128),
  /**
   * Wasm {@code fmin} per lane, except that a NaN operand gives either a NaN, x or y, and two
   * zeros of opposite signs give either x or y.
   */
  VRELAXED_FMIN("vrelaxed_fmin", BINARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128,
      OperandRule.V128),
  /** Wasm {@code fmax} per lane, with the freedom of {@link #VRELAXED_FMIN}. */
  VRELAXED_FMAX("vrelaxed_fmax", BINARY, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128,
      OperandRule.V128),
  /**
   * {@link #VQ15MULR_SAT}, except that two lanes of -32768 give either 32767 (saturated) or
   * -32768 (wrapped).
   */
  VRELAXED_Q15MULR("vrelaxed_q15mulr", BINARY, ResultRule.V128, LaneSet.I16, OperandRule.V128,
      OperandRule.V128),
  /**
   * i16x8 lane i is {@code x[2i]*y[2i] + x[2i+1]*y[2i+1]} of the bytes, x signed; a y byte below
   * 128 is that number, one of 128 or more may be read signed or unsigned, and then the sum may
   * also saturate to the i16 range or wrap.
   */
  VRELAXED_DOT_I8("vrelaxed_dot_i8", BINARY, ResultRule.V128, LaneSet.I16, OperandRule.V128,
      OperandRule.V128),
  /**
   * i32x4 lane i is the sum of the four products of bytes 4i..4i+3 of x and y, plus lane i of z:
   * the two pair sums of {@link #VRELAXED_DOT_I8} (with its freedom) extended to 32 bits.
   */
  VRELAXED_DOT_I8_ADD("vrelaxed_dot_i8_add", TERNARY, ResultRule.V128, LaneSet.I32,
      OperandRule.V128, OperandRule.V128, OperandRule.V128),

  // ---- narrowing (spec 4.4.3 "vnarrow"): the lanes of x then of y, each read as a signed integer
  // twice the result's lane width and saturated to the signed or unsigned range of that width
  VSNARROW("vsnarrow", BINARY, ResultRule.V128, LaneSet.I8_I16, OperandRule.V128,
      OperandRule.V128),
  VUNARROW("vunarrow", BINARY, ResultRule.V128, LaneSet.I8_I16, OperandRule.V128,
      OperandRule.V128),

  // ---- lanes and scalars (spec 4.4.3 "shape.splat", "extract_lane", "replace_lane")
  /** Every lane set to the scalar operand (an i8 or i16 lane takes its low bits). */
  VSPLAT("vsplat", UNARY, ResultRule.V128, LaneSet.ALL, OperandRule.LANE),
  /** Lane {@code imm}, zero-extended when narrower than the scalar type (wasm {@code _u}). */
  VEXTRACTLANE("vextractlane", EXTRACT_LANE, ResultRule.LANE, LaneSet.ALL, OperandRule.V128),
  /** Lane {@code imm} of an i8x16 or i16x8, sign-extended to i32 (wasm {@code _s}). */
  VSEXTRACTLANE("vsextractlane", EXTRACT_LANE, ResultRule.LANE, LaneSet.I8_I16,
      OperandRule.V128),
  /** The first operand with lane {@code imm} replaced by the scalar (low bits for i8 and i16). */
  VINSERTLANE("vinsertlane", INSERT_LANE, ResultRule.V128, LaneSet.ALL, OperandRule.V128,
      OperandRule.LANE),

  // ---- lane-wise comparisons (spec 4.4.3 "virelop", "vfrelop"): all ones where it holds, else 0
  VICMP("vicmp", VINT_COMPARE, ResultRule.V128, LaneSet.INT, OperandRule.V128, OperandRule.V128),
  /** Ordered except {@code ne}, as the scalar {@code fcmp}: a NaN lane compares false. */
  VFCMP("vfcmp", VFLOAT_COMPARE, ResultRule.V128, LaneSet.FLOAT, OperandRule.V128,
      OperandRule.V128),

  /** {@code c != 0 ? x : y} (wasm {@code select}). */
  SELECT("select", TERNARY, ResultRule.CTRL, TypeSet.VALUE, 0, OperandRule.I32, SAME, SAME),

  // ---- memory: plain access; bounds are checked by an explicit BOUNDS_CHECK before it
  LOAD("load", InstFormat.LOAD, ResultRule.CTRL, TypeSet.VALUE, Flag.READS, ADDR),
  ULOAD8("uload8", InstFormat.LOAD, ResultRule.CTRL, TypeSet.INT, Flag.READS, 1, false, ADDR),
  SLOAD8("sload8", InstFormat.LOAD, ResultRule.CTRL, TypeSet.INT, Flag.READS, 1, true, ADDR),
  ULOAD16("uload16", InstFormat.LOAD, ResultRule.CTRL, TypeSet.INT, Flag.READS, 2, false, ADDR),
  SLOAD16("sload16", InstFormat.LOAD, ResultRule.CTRL, TypeSet.INT, Flag.READS, 2, true, ADDR),
  /** 4 bytes, zero-extended to an i64, or to a v128 (wasm {@code v128.load32_zero}). */
  ULOAD32("uload32", InstFormat.LOAD, ResultRule.CTRL, TypeSet.I64_V128, Flag.READS, 4, false,
      ADDR),
  /** 8 bytes into the low half of a v128, the high half zero (wasm {@code v128.load64_zero}). */
  ULOAD64("uload64", InstFormat.LOAD, ResultRule.CTRL, TypeSet.V128, Flag.READS, 8, false, ADDR),
  SLOAD32("sload32", InstFormat.LOAD, ResultRule.CTRL, TypeSet.I64, Flag.READS, 4, true, ADDR),
  STORE("store", InstFormat.STORE, ResultRule.NONE, TypeSet.NONE, Flag.WRITES,
      OperandRule.VALUE, ADDR),
  ISTORE8("istore8", InstFormat.STORE, ResultRule.NONE, TypeSet.NONE, Flag.WRITES, 1, false,
      OperandRule.INT, ADDR),
  ISTORE16("istore16", InstFormat.STORE, ResultRule.NONE, TypeSet.NONE, Flag.WRITES, 2, false,
      OperandRule.INT, ADDR),
  ISTORE32("istore32", InstFormat.STORE, ResultRule.NONE, TypeSet.NONE, Flag.WRITES, 4, false,
      OperandRule.I64, ADDR),
  /**
   * Traps with its trap code unless {@code index + end <= bound} (unsigned, computed without
   * overflow): the explicit linear-memory or table bounds check, visible to the optimiser.
   */
  BOUNDS_CHECK("bounds_check", InstFormat.BOUNDS_CHECK, ResultRule.NONE, TypeSet.NONE, Flag.TRAPS,
      OperandRule.I64, OperandRule.I64),

  // ---- traps
  /** Always traps; ends its block (wasm {@code unreachable} is {@code trap unreachable}). */
  TRAP("trap", InstFormat.TRAP, ResultRule.NONE, TypeSet.NONE, Flag.TRAPS | Flag.TERMINATOR),
  /** Traps when the operand is zero. */
  TRAPZ("trapz", COND_TRAP, ResultRule.NONE, TypeSet.NONE, Flag.TRAPS, OperandRule.INT),
  /** Traps when the operand is not zero. */
  TRAPNZ("trapnz", COND_TRAP, ResultRule.NONE, TypeSet.NONE, Flag.TRAPS, OperandRule.INT),

  // ---- control flow
  JUMP("jump", InstFormat.JUMP, ResultRule.NONE, TypeSet.NONE, Flag.TERMINATOR | Flag.BRANCH),
  /** To the first destination when the condition is not zero, else to the second. */
  BRIF("brif", InstFormat.BRIF, ResultRule.NONE, TypeSet.NONE, Flag.TERMINATOR | Flag.BRANCH,
      OperandRule.INT),
  /** To table entry {@code index} (unsigned) when in range, else to the default destination. */
  BR_TABLE("br_table", InstFormat.BR_TABLE, ResultRule.NONE, TypeSet.NONE,
      Flag.TERMINATOR | Flag.BRANCH, OperandRule.I32),
  RETURN("return", MULTIARY, ResultRule.NONE, TypeSet.NONE, Flag.TERMINATOR | Flag.RETURN),
  /**
   * The exceptional edge of the call right before it (exception handling, WebAssembly 3.0 section
   * 4.4.8): control goes on to the first destination when the call returns, and reaches the second
   * only when something under the call throws and the unwinder resumes this frame at that edge's
   * landing pad. It emits no code on the path that returns (the normal destination is laid out
   * next); the unwinder restores no register, so what the landing pad reads is in spill slots
   * across the call before it (codegen.regalloc.RegAllocFunction#landingBlock).
   */
  UNWIND_EDGE("unwind_edge", InstFormat.UNWIND_EDGE, ResultRule.NONE, TypeSet.NONE,
      Flag.TERMINATOR | Flag.BRANCH),

  // ---- calls: memory and traps are the callee's business, so calls count as both
  CALL("call", InstFormat.CALL, ResultRule.SIGNATURE, TypeSet.NONE,
      Flag.CALL | Flag.READS | Flag.WRITES | Flag.TRAPS),
  /** Calls the code at an address (the callee's {@code wasm_call}) with a declared signature. */
  CALL_INDIRECT("call_indirect", InstFormat.CALL_INDIRECT, ResultRule.SIGNATURE, TypeSet.NONE,
      Flag.CALL | Flag.READS | Flag.WRITES | Flag.TRAPS, ADDR),
  /** Tail call: the callee's results are this function's results. */
  RETURN_CALL("return_call", InstFormat.CALL, ResultRule.NONE, TypeSet.NONE,
      Flag.CALL | Flag.READS | Flag.WRITES | Flag.TRAPS | Flag.TERMINATOR | Flag.RETURN),
  RETURN_CALL_INDIRECT("return_call_indirect", InstFormat.CALL_INDIRECT, ResultRule.NONE,
      TypeSet.NONE,
      Flag.CALL | Flag.READS | Flag.WRITES | Flag.TRAPS | Flag.TERMINATOR | Flag.RETURN, ADDR);

  /** Side-effect bits of {@link Opcode}. */
  private static final class Flag {
    static final int TRAPS = 1;
    static final int READS = 1 << 1;
    static final int WRITES = 1 << 2;
    static final int TERMINATOR = 1 << 3;
    static final int BRANCH = 1 << 4;
    static final int CALL = 1 << 5;
    static final int RETURN = 1 << 6;
  }

  private static final Opcode[] VALUES = values();

  private final String text;
  private final InstFormat format;
  private final ResultRule result;
  private final TypeSet ctrlTypes;
  private final int flags;
  private final int memWidthBytes;
  private final boolean signExtends;
  private final List<OperandRule> operands;
  private final LaneSet lanes;

  Opcode(String text, InstFormat format, ResultRule result, TypeSet ctrl, int flags,
      OperandRule... operands) {
    this(text, format, result, ctrl, flags, 0, false, operands);
  }

  Opcode(String text, InstFormat format, ResultRule result, TypeSet ctrl, int flags,
      int memWidthBytes, boolean signExtends, OperandRule... operands) {
    this(text, format, result, ctrl, LaneSet.NONE, flags, memWidthBytes, signExtends, operands);
  }

  /** A lane-shaped vector opcode: pure, no controlling type, the shape in the auxiliary field. */
  Opcode(String text, InstFormat format, ResultRule result, LaneSet lanes,
      OperandRule... operands) {
    this(text, format, result, TypeSet.NONE, lanes, 0, 0, false, operands);
  }

  private Opcode(String text, InstFormat format, ResultRule result, TypeSet ctrl, LaneSet lanes,
      int flags, int memWidthBytes, boolean signExtends, OperandRule... operands) {
    this.text = text;
    this.format = format;
    this.result = result;
    this.ctrlTypes = ctrl;
    this.lanes = lanes;
    this.flags = flags;
    this.memWidthBytes = memWidthBytes;
    this.signExtends = signExtends;
    this.operands = List.of(operands);
  }

  public String text() {
    return text;
  }

  public InstFormat format() {
    return format;
  }

  public ResultRule resultRule() {
    return result;
  }

  /** The controlling types accepted; {@link TypeSet#NONE} when the opcode has no type suffix. */
  public TypeSet ctrlTypes() {
    return ctrlTypes;
  }

  /** The lane shapes a vector opcode accepts; {@link LaneSet#NONE} for the others. */
  public LaneSet laneSet() {
    return lanes;
  }

  /** Whether the opcode reads lanes: its auxiliary field holds a {@link Lanes}. */
  public boolean hasLanes() {
    return lanes != LaneSet.NONE;
  }

  /** Whether the text form carries a type suffix ({@code iadd.i32}). */
  public boolean hasCtrlType() {
    return ctrlTypes != TypeSet.NONE;
  }

  /** Type rules of the fixed value operands, in order (variadic operands are checked apart). */
  public List<OperandRule> operandRules() {
    return operands;
  }

  public boolean canTrap() {
    return (flags & Flag.TRAPS) != 0;
  }

  public boolean readsMemory() {
    return (flags & Flag.READS) != 0;
  }

  public boolean writesMemory() {
    return (flags & Flag.WRITES) != 0;
  }

  /** Ends a block: branches, returns, tail calls and {@code trap}. */
  public boolean isTerminator() {
    return (flags & Flag.TERMINATOR) != 0;
  }

  /** Transfers control to blocks of this function. */
  public boolean isBranch() {
    return (flags & Flag.BRANCH) != 0;
  }

  public boolean isCall() {
    return (flags & Flag.CALL) != 0;
  }

  /** Leaves the function: {@code return} and the tail calls. */
  public boolean isReturn() {
    return (flags & Flag.RETURN) != 0;
  }

  /**
   * Whether the instruction must stay even when its results are unused, and must not be moved
   * across another such instruction: it traps, writes memory, calls or ends a block.
   */
  public boolean hasSideEffects() {
    return (flags & (Flag.TRAPS | Flag.WRITES | Flag.CALL | Flag.TERMINATOR)) != 0;
  }

  /**
   * Whether the result depends only on the operands and immediates: no side effects and no memory
   * read. Two pure instructions with equal opcode, type, immediates and operands compute the same
   * value (what GVN merges), and a pure instruction may move anywhere its operands dominate (what
   * LICM hoists). Loads are not pure; a {@link MemFlags#readonly()} load may still be treated so.
   */
  public boolean isPure() {
    return !hasSideEffects() && !readsMemory();
  }

  /**
   * Bytes a load or store accesses, or 0 when the access is as wide as the value type (plain
   * {@code load}/{@code store}) or the opcode is no memory access.
   */
  public int memWidthBytes() {
    return memWidthBytes;
  }

  /** Whether a narrow load sign-extends ({@code sload8}) rather than zero-extends. */
  public boolean signExtends() {
    return signExtends;
  }

  public static Opcode ofOrdinal(int ordinal) {
    return VALUES[ordinal];
  }

  /** The opcode spelled {@code text}, or null. */
  public static Opcode byText(String text) {
    return ByText.MAP.get(text);
  }

  private static final class ByText {
    static final java.util.Map<String, Opcode> MAP;

    static {
      java.util.Map<String, Opcode> m = new java.util.HashMap<>();
      for (Opcode o : VALUES) {
        m.put(o.text, o);
      }
      MAP = java.util.Map.copyOf(m);
    }
  }

  @Override
  public String toString() {
    return text;
  }
}
