package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.List;

/**
 * An immutable set of physical registers, one bit per register and class: clobber sets, the
 * callee-saved set, the registers used. Cheap enough to hand out per instruction.
 *
 * @param intBits bit {@code n} set when INT register {@code n} is a member
 * @param floatBits bit {@code n} set when FLOAT register {@code n} is a member
 */
public record PRegSet(long intBits, long floatBits) {
  public static final PRegSet EMPTY = new PRegSet(0, 0);

  public static PRegSet of(PReg... regs) {
    PRegSet s = EMPTY;
    for (PReg r : regs) {
      s = s.with(r);
    }
    return s;
  }

  public static PRegSet of(Iterable<PReg> regs) {
    PRegSet s = EMPTY;
    for (PReg r : regs) {
      s = s.with(r);
    }
    return s;
  }

  public boolean contains(PReg r) {
    return (bits(r.regClass()) & (1L << r.hwEnc())) != 0;
  }

  public PRegSet with(PReg r) {
    long bit = 1L << r.hwEnc();
    return r.regClass() == RegClass.INT
        ? new PRegSet(intBits | bit, floatBits)
        : new PRegSet(intBits, floatBits | bit);
  }

  /** The members of this set that are not in {@code o}. */
  public PRegSet minus(PRegSet o) {
    return new PRegSet(intBits & ~o.intBits, floatBits & ~o.floatBits);
  }

  public PRegSet union(PRegSet o) {
    return new PRegSet(intBits | o.intBits, floatBits | o.floatBits);
  }

  public boolean isEmpty() {
    return intBits == 0 && floatBits == 0;
  }

  public long bits(RegClass c) {
    return c == RegClass.INT ? intBits : floatBits;
  }

  /** Members in class order (INT first), then by encoding. */
  public List<PReg> toList() {
    List<PReg> out = new ArrayList<>();
    for (int ci = 0; ci < RegClass.ALL.size(); ci++) { // no iterator: the launcher's C1 allocates each
      RegClass c = RegClass.ALL.get(ci);
      long b = bits(c);
      while (b != 0) {
        int enc = Long.numberOfTrailingZeros(b);
        out.add(PReg.of(c, enc));
        b &= b - 1;
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return toList().toString();
  }
}
