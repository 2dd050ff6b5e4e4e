package dev.kiln.codegen.x64.asm;

import dev.kiln.codegen.Label;
import java.util.Arrays;

/**
 * One golden row: the instruction, its bytes in memory order as hex (so {@code call rel32} reads
 * {@code e8 00000000}, not a word value), and its AT&amp;T text as Capstone prints it.
 *
 * <p>Convention for PC-relative operands: the row's instruction sits at offset 0 of a fresh buffer whose
 * first label {@link #L} is bound at offset 0, so a branch to {@code L} jumps to itself ({@code jmp 0},
 * rel = minus the length) and {@code rip(L)} reads {@code -len(%rip)}. A call to another function leaves
 * a zero rel32 and prints as the next instruction's address.
 */
record EncodingRow(String hex, String text, X64Inst inst) {
  /** The label every row may refer to: the first label of the buffer, bound at offset 0. */
  static final Label L = new Label(0);

  static EncodingRow row(String hex, String text, Form form, Operand... operands) {
    return new EncodingRow(hex, text, new X64Inst(form, Arrays.asList(operands)));
  }

  static Imm imm(long value) {
    return Imm.of(value);
  }

  static Amode mem(Gpr base) {
    return Amode.base(base);
  }

  static Amode mem(Gpr base, int disp) {
    return Amode.baseDisp(base, disp);
  }

  static Amode mem(Gpr base, Gpr index, int scale, int disp) {
    return Amode.baseIndex(base, index, scale, disp);
  }

  static Amode rip(Label label) {
    return Amode.rip(label);
  }

  static LabelTarget to(Label label) {
    return new LabelTarget(label);
  }

  static FunctionTarget fn(long funcKey) {
    return new FunctionTarget(funcKey);
  }

  @Override
  public String toString() {
    return inst.form().name() + " " + text;
  }
}
