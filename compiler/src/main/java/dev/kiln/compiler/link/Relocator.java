package dev.kiln.compiler.link;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.Target;
import dev.kiln.codegen.Reloc;
import java.util.Map;

/**
 * The relocations of one link, resolved against where the linker placed every function, each
 * checked as it is applied to its function's code when {@link LinkedText} writes it ({@link
 * #apply}: a call that cannot reach its target, a relocation past its function's end, of another
 * instruction set or to a function the link did not keep fails the write). Formulas as in {@link
 * dev.kiln.codegen.RelocKind}.
 */
final class Relocator {
  private final Target target;
  private final Map<FuncKey, Integer> starts;

  Relocator(Target target, Map<FuncKey, Integer> starts) {
    this.target = target;
    this.starts = starts;
  }

  /**
   * Whether every call of a compiled function reaches its target in a text of {@code textSize}
   * bytes: always on x86-64, whose rel32 reaches 2 GiB either way and the text is smaller; on
   * AArch64 when the text is within {@code BL}'s 128 MiB (Arm ARM C6.2.35), else the linker checks
   * each call ahead ({@link #check}), since a module can make so large a text.
   */
  boolean everyCallReaches(long textSize) {
    return target == Target.X86_64 || textSize <= BL_REACH;
  }

  /** How far {@code BL} reaches either way (Arm ARM C6.2.35: imm26 words). */
  private static final long BL_REACH = 1L << 27;

  /**
   * Checks that {@code r} of the function placed at {@code p} fits its function and its target, as
   * {@link #apply} will.
   *
   * @throws LinkException if it does not
   */
  void check(PlacedFunction p, Reloc r) {
    resolve(p, r);
  }

  /**
   * Applies {@code r} to {@code code}, a copy of the function placed at {@code p} (offsets in it are
   * the function's own).
   *
   * @throws LinkException if {@code r} does not fit its function or its target
   */
  void apply(PlacedFunction p, Reloc r, byte[] code) {
    long value = resolve(p, r);
    int at = r.offset();
    switch (r.kind()) {
      case X86_CALL_PC_REL4 -> putLe32(code, at, (int) value);
      // BL imm26 (Arm ARM C6.2.35): word offset in bits 25:0.
      case AARCH64_CALL26 -> putLe32(code, at, (getLe32(code, at) & 0xFC00_0000) | (int) ((value >> 2) & 0x03FF_FFFF));
      case ABS8 -> throw new IllegalStateException("refused by resolve: " + r.kind());
    }
  }

  /** The value {@code r} puts into its place, checked to fit. */
  private long resolve(PlacedFunction p, Reloc r) {
    FuncKey callee = Linker.targetOf(p.key(), r);
    if ((long) r.offset() + r.kind().patchSize() > p.size()) {
      throw new LinkException(p.key() + ": relocation to " + callee + " at +0x" + Integer.toHexString(r.offset())
          + " runs past the end of the function (" + p.size() + " bytes)");
    }
    Integer s = starts.get(callee);
    if (s == null) {
      // The walk that kept the functions follows each one's callee keys: one its relocations name
      // and its keys do not would be a compiler bug, refused here, not patched with a wrong target.
      throw new LinkException(p.key() + ": relocation to " + callee + ", a function the link did not keep");
    }
    long place = (long) p.start() + r.offset();
    long value = s + r.addend() - place;
    switch (r.kind()) {
      case X86_CALL_PC_REL4 -> {
        requireTarget(Target.X86_64, p, r, callee);
        if (value != (int) value) {
          throw new LinkException(p.key() + " -> " + callee + ": rel32 displacement " + value + " out of range");
        }
      }
      case AARCH64_CALL26 -> {
        requireTarget(Target.AARCH64, p, r, callee);
        // Reach +-128 MiB. Veneers for longer calls are future work; a single artifact's text is
        // far smaller today.
        if ((value & 3) != 0 || value < -BL_REACH || value >= BL_REACH) {
          throw new LinkException(p.key() + " -> " + callee + ": BL displacement " + value
              + " is out of range or misaligned (veneers are not implemented yet)");
        }
      }
      case ABS8 -> throw new LinkException(p.key() + ": absolute relocation to " + callee
          + " in .text; .text must stay position-independent (docs/ARCHITECTURE.md section 3)");
    }
    return value;
  }

  private void requireTarget(Target expected, PlacedFunction p, Reloc r, FuncKey callee) {
    if (target != expected) {
      throw new LinkException(p.key() + ": " + r.kind() + " relocation to " + callee + " in a " + target + " artifact");
    }
  }

  private static void putLe32(byte[] b, int at, int v) {
    b[at] = (byte) v;
    b[at + 1] = (byte) (v >>> 8);
    b[at + 2] = (byte) (v >>> 16);
    b[at + 3] = (byte) (v >>> 24);
  }

  private static int getLe32(byte[] b, int at) {
    return (b[at] & 0xFF) | (b[at + 1] & 0xFF) << 8 | (b[at + 2] & 0xFF) << 16 | (b[at + 3] & 0xFF) << 24;
  }
}
