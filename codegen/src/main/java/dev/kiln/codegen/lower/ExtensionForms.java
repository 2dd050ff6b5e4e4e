package dev.kiln.codegen.lower;

import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import java.util.Optional;

/**
 * An ISA's register-to-register instructions for the IR's width changes, one per change: which
 * change each opcode means is decided here once, and an ISA names only its instruction for each.
 * {@code uextend} (an i32 to an i64) and {@code ireduce} (an i64's low half) are both a 32-bit move,
 * since a write to a 32-bit register clears the upper half on both ISAs (Intel SDM Vol. 1 section
 * 3.4.1.1; Arm ARM C1.2.5, the W registers); {@code sextend} and {@code extend32_s} are both the
 * sign extension of the low 32 bits.
 *
 * @param move32 the 32-bit move
 * @param sext8 the sign extension of the low 8 bits to 32
 * @param sext8To64 the sign extension of the low 8 bits to 64
 * @param sext16 the sign extension of the low 16 bits to 32
 * @param sext16To64 the sign extension of the low 16 bits to 64
 * @param sext32To64 the sign extension of the low 32 bits to 64
 * @param <F> the ISA's instruction form
 */
public record ExtensionForms<F>(F move32, F sext8, F sext8To64, F sext16, F sext16To64, F sext32To64) {
  /**
   * The instruction of {@code op} whose result has type {@code t} if {@code op} is a width change,
   * else none: which opcodes are width changes is decided here, not in each ISA's integer family.
   */
  public Optional<F> find(Opcode op, Type t) {
    boolean wide = t == Type.I64;
    return Optional.ofNullable(switch (op) {
      case UEXTEND, IREDUCE -> move32;
      case SEXTEND, EXTEND32_S -> sext32To64;
      case EXTEND8_S -> wide ? sext8To64 : sext8;
      case EXTEND16_S -> wide ? sext16To64 : sext16;
      default -> null;
    });
  }
}
