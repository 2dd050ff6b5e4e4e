package dev.kiln.codegen.aarch64.asm;

import java.util.Arrays;

/**
 * One golden row: the instruction, its bytes in memory order as hex (from LLVM's assembler,
 * {@code llvm-mc -triple=aarch64 -show-encoding}, an oracle independent of Kiln and of Capstone),
 * and its text as Capstone 4 prints it. PC-relative rows sit at address 0, so their text shows the
 * displacement.
 */
record EncodingRow(String hex, String text, Inst inst) {
  static EncodingRow row(String hex, String text, Form form, Operand... operands) {
    return new EncodingRow(hex, text, new Inst(form, Arrays.asList(operands)));
  }

  static AddSubImm addImm(long v) {
    return AddSubImm.require(v);
  }

  static LogicalImm logW(long v) {
    return LogicalImm.require(v, false);
  }

  static LogicalImm logX(long v) {
    return LogicalImm.require(v, true);
  }

  static MoveWideImm mw(int imm16, int shift) {
    return MoveWideImm.of(imm16, shift);
  }

  static UImm u(int v) {
    return UImm.of(v);
  }

  static ScaledOffset off(int bytes, int size) {
    return new ScaledOffset(bytes, size);
  }

  static PairOffset pair(int bytes) {
    return new PairOffset(bytes);
  }

  static Target.PcOffset pc(int bytes) {
    return new Target.PcOffset(bytes);
  }

  @Override
  public String toString() {
    return inst.form().name() + " " + text;
  }
}
