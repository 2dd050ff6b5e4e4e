package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import java.util.EnumSet;

/**
 * Integer division and remainder by a constant as multiplications and shifts, which cost a few
 * cycles where a divide instruction costs tens (and sits on the critical path of, for example, a
 * linear congruential generator's {@code x = (x * a + c) % m}). Decided once here, for every ISA:
 * the backends only see {@code imul}, {@code umulhi}, shifts, extensions and adds.
 *
 * <p>What is rewritten, for {@code i32} operands (wasm's {@code i32.div_u/rem_u/div_s/rem_s}, spec
 * 4.3.2 "idiv_u", "irem_u", "idiv_s", "irem_s"):
 *
 * <ul>
 *   <li>unsigned by 1 (the dividend, or 0), by a power of two (a shift, or a mask) and by any other
 *       divisor below 2^31: the quotient is {@code (x * m) >> s} computed in 64 bits, with the
 *       "magic" multiplier {@code m = ceil(2^s / d)} of Granlund and Montgomery, "Division by
 *       Invariant Integers using Multiplication" (PLDI 1994), Theorem 4.2: if {@code 2^s <= m * d
 *       <= 2^s + 2^(s - 32)} then {@code floor(x / d) = floor(x * m / 2^s)} for every 32-bit
 *       {@code x}. The smallest such {@code s} whose {@code m} fits 32 bits is taken; when none does,
 *       {@code m} has 33 bits and the product is split as {@code x + ((x * (m - 2^32)) >> 32)},
 *       which 64-bit arithmetic holds without overflow;
 *   <li>signed by 1, by plus or minus a power of two (a shift that rounds toward zero by adding
 *       {@code 2^k - 1} to a negative dividend first) and by any other divisor except -1 and
 *       {@code INT_MIN}: {@code ((sext(x) * m) >> s) + (x < 0 ? 1 : 0)} with {@code m = floor(2^s /
 *       |d|) + 1}, {@code s = 31 + ceil(log2 |d|)} (the same paper, section 5; the product of a
 *       31-bit magnitude and a 32-bit multiplier fits a signed 64-bit value), negated for a negative
 *       divisor;
 *   <li>a remainder as {@code x - q * d} from that quotient.
 * </ul>
 *
 * <p>For {@code i64} operands the unsigned operators are rewritten the same way, the high half of
 * the 128-bit product taken by {@code umulhi} (x86-64 {@code mul}, AArch64 {@code umulh}), and the
 * 65-bit-multiplier case as {@code (t + ((x - t) >> 1)) >> (shift - 1)}, which does not overflow;
 * signed {@code i64} divisions stay divisions.
 *
 * <p>Left alone: a divisor of 0 (the division traps, spec 4.3.2 "idiv_u": undefined), a signed
 * divisor of -1 (the quotient of {@code INT_MIN} traps, and its remainder is 0 by a rule of its
 * own), an unsigned divisor with its top bit set (the quotient is 0 or 1: not worth a multiply) and
 * a signed divisor of {@code INT_MIN}. None of the rewrites can trap, and none of the divisions they
 * replace could.
 */
public final class DivisionByConstant extends InstructionRewrite {
  /** The pass has no configuration. */
  public DivisionByConstant() {
    super(EnumSet.of(Opcode.UDIV, Opcode.UREM, Opcode.SDIV, Opcode.SREM));
  }

  @Override
  public String name() {
    return "divconst";
  }

  /** Rewrites {@code inst} if it divides by a constant it handles. */
  @Override
  void rewrite(DataFlowGraph dfg, Layout layout, int inst) {
    Opcode op = dfg.opcode(inst);
    int divisorDef = ConstantFolding.constDef(dfg, dfg.arg(inst, 1));
    if (divisorDef < 0) {
      return;
    }
    Type type = dfg.valueType(dfg.firstResult(inst));
    InsertionPoint e = new InsertionPoint(dfg, layout, inst);
    int x = dfg.arg(inst, 0);
    long d = dfg.imm(divisorDef);
    boolean rem = op == Opcode.UREM || op == Opcode.SREM;
    int result;
    if (type == Type.I64) {
      result = op == Opcode.UDIV || op == Opcode.UREM ? unsigned64(e, x, d, rem) : -1;
    } else if (op == Opcode.UDIV || op == Opcode.UREM) {
      result = unsigned32(e, x, d & 0xFFFF_FFFFL, rem);
    } else {
      result = signed32(e, x, (int) d, rem);
    }
    if (result < 0) {
      return;
    }
    replace(dfg, layout, inst, result);
  }

  private static int unsigned64(InsertionPoint e, int x, long d, boolean rem) {
    if (d == 0 || d < 0) {
      return -1; // 0 traps; 2^63 and above: the quotient is 0 or 1
    }
    if (Long.bitCount(d) == 1) {
      return rem ? e.op(Opcode.BAND, Type.I64, x, e.iconst(Type.I64, d - 1))
          : d == 1 ? x : e.op(Opcode.USHR, Type.I64, x, e.iconst(Type.I64, log2(d)));
    }
    Magic magic = unsignedMagic(d, 64);
    int q;
    if (magic.addDividend()) {
      // x + t may not fit 64 bits: (t + ((x - t) >> 1)) >> (shift - 1) is the same quotient.
      int t = e.op(Opcode.UMULHI, Type.I64, x, e.iconst(Type.I64, magic.multiplier()));
      int difference = e.op(Opcode.ISUB, Type.I64, x, t);
      int half = e.op(Opcode.USHR, Type.I64, difference, e.iconst(Type.I64, 1));
      int sum = e.op(Opcode.IADD, Type.I64, t, half);
      q = e.op(Opcode.USHR, Type.I64, sum, e.iconst(Type.I64, magic.shift() - 1));
    } else {
      q = e.op(Opcode.UMULHI, Type.I64, x, e.iconst(Type.I64, magic.multiplier()));
      if (magic.shift() > 0) {
        q = e.op(Opcode.USHR, Type.I64, q, e.iconst(Type.I64, magic.shift()));
      }
    }
    return rem ? remainder(e, Type.I64, x, q, d) : q;
  }

  private static int unsigned32(InsertionPoint e, int x, long d, boolean rem) {
    if (d == 0 || d >= 1L << 31) {
      return -1;
    }
    if (Long.bitCount(d) == 1) {
      return rem ? e.op(Opcode.BAND, Type.I32, x, e.iconst(Type.I32, d - 1))
          : d == 1 ? x : e.op(Opcode.USHR, Type.I32, x, e.iconst(Type.I32, log2(d)));
    }
    Magic magic = unsignedMagic(d, 32);
    int wide = e.op(Opcode.UEXTEND, Type.I64, x);
    int product = e.op(Opcode.IMUL, Type.I64, wide, e.iconst(Type.I64, magic.multiplier()));
    int q64;
    if (magic.addDividend()) {
      int high = e.op(Opcode.USHR, Type.I64, product, e.iconst(Type.I64, 32));
      int sum = e.op(Opcode.IADD, Type.I64, wide, high);
      q64 = e.op(Opcode.USHR, Type.I64, sum, e.iconst(Type.I64, magic.shift()));
    } else {
      q64 = e.op(Opcode.USHR, Type.I64, product, e.iconst(Type.I64, 32 + magic.shift()));
    }
    int q = e.op(Opcode.IREDUCE, Type.I32, q64);
    return rem ? remainder(e, Type.I32, x, q, d) : q;
  }

  private static int signed32(InsertionPoint e, int x, int d, boolean rem) {
    if (d == 0 || d == -1 || d == Integer.MIN_VALUE) {
      return -1;
    }
    long a = Math.abs((long) d);
    int q;
    if (a == 1) {
      q = x;
    } else if (Long.bitCount(a) == 1) {
      int k = log2(a);
      // A negative dividend rounds toward zero: add 2^k - 1 (its sign bits, shifted down) first;
      // for k = 1 that is the sign bit alone, one shift instead of two.
      int bias = k == 1 ? e.op(Opcode.USHR, Type.I32, x, e.iconst(Type.I32, 31))
          : e.op(Opcode.USHR, Type.I32, e.op(Opcode.SSHR, Type.I32, x, e.iconst(Type.I32, 31)),
              e.iconst(Type.I32, 32 - k));
      int biased = e.op(Opcode.IADD, Type.I32, x, bias);
      q = e.op(Opcode.SSHR, Type.I32, biased, e.iconst(Type.I32, k));
    } else {
      int l = 64 - Long.numberOfLeadingZeros(a - 1);
      long m = (1L << (31 + l)) / a + 1; // 31 + l <= 62: a is at most 2^31 - 1
      int wide = e.op(Opcode.SEXTEND, Type.I64, x);
      int product = e.op(Opcode.IMUL, Type.I64, wide, e.iconst(Type.I64, m));
      int floor = e.op(Opcode.SSHR, Type.I64, product, e.iconst(Type.I64, 31 + l));
      int narrow = e.op(Opcode.IREDUCE, Type.I32, floor);
      // floor(x * m / 2^s) is one below the truncated quotient for a negative x: subtract x >> 31.
      int sign = e.op(Opcode.SSHR, Type.I32, x, e.iconst(Type.I32, 31));
      q = e.op(Opcode.ISUB, Type.I32, narrow, sign);
    }
    if (d < 0) {
      q = e.op(Opcode.ISUB, Type.I32, e.iconst(Type.I32, 0), q);
    }
    return rem ? remainder(e, Type.I32, x, q, d) : q;
  }

  /** The exponent of the power of two {@code d}. */
  private static int log2(long d) {
    return Long.numberOfTrailingZeros(d);
  }

  /** {@code x - q * d}: the remainder of a quotient {@code q} truncated toward zero. */
  private static int remainder(InsertionPoint e, Type type, int x, int q, long d) {
    int product = e.op(Opcode.IMUL, type, q, e.iconst(type, d));
    return e.op(Opcode.ISUB, type, x, product);
  }

  /**
   * The multiplier and shift for an unsigned {@code bits}-bit division by {@code d} (not 0, not a
   * power of two, below 2^(bits - 1)): {@code floor(x / d) = floor(x * multiplier / 2^(bits +
   * shift))}, or with {@code addDividend}, {@code floor((x + floor(x * multiplier / 2^bits)) /
   * 2^shift)} (a multiplier of bits + 1 bits, less 2^bits).
   */
  record Magic(long multiplier, int shift, boolean addDividend) {}

  static Magic unsignedMagic(long d, int bits) {
    // 2^k = q * d + r for k = 0, 1, 2...: each step doubles both and carries d out of r into q (long
    // division by d, one bit a step). So for k = bits + s, m = ceil(2^k / d) = q + 1 (r is never 0: d
    // is no power of two) and m * d - 2^k = d - r: exact in longs, where BigInteger made objects at
    // every step and was JIT-compiled in every large compile for it. q is held as 128 bits (high,
    // low): k is at most 64 + 63 and d at least 3. r < d < 2^63, so 2r fits an unsigned long.
    int l = 64 - Long.numberOfLeadingZeros(d - 1); // ceil(log2 d)
    long high = 0;
    long low = 0;
    long r = 1;
    for (int k = 1; k <= bits + l; k++) {
      high = high << 1 | low >>> 63;
      low <<= 1;
      r <<= 1;
      if (Long.compareUnsigned(r, d) >= 0) {
        r -= d;
        low |= 1;
      }
      int s = k - bits;
      if (s < 0) {
        continue;
      }
      // Theorem 4.2's condition (m * d - 2^(bits+s) <= 2^s); at s = l it holds for every d, since
      // d - r < d <= 2^l. m = q + 1 fits bits bits when q is below 2^bits - 1.
      boolean exact = s >= 63 || d - r <= 1L << s;
      boolean fits = high == 0 && (bits == 64 ? low != -1L : low < (1L << bits) - 1);
      if (exact && fits) {
        return new Magic(low + 1, s, false);
      }
    }
    // m = q + 1 has bits + 1 bits: its low bits (m - 2^bits), and the dividend is added back.
    return new Magic(low + 1 - (bits == 64 ? 0 : 1L << bits), l, true);
  }
}
