package dev.kiln.codegen.aarch64.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.CodeBufferException;
import dev.kiln.codegen.Label;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * The reach of AArch64's short branches in the code buffer: a branch whose label is exactly at its
 * reach is patched in place; one past it, with nobody placing islands, is refused with the offsets;
 * and with an emitter that asks for islands between instructions (as {@code FunctionEmission}
 * does), it reaches its label through a veneer placed before its reach ran out, forward or back.
 */
class BranchReachTest {
  private static final int NOP = Form.NOP.bits();
  /** A B.cond (eq), a TBZ (bit 0 of x0) and a B, their fields 0, in the kind that patches them. */
  private static final int B_COND = Form.B_COND.bits();
  private static final int TBZ = 0x3600_0000;
  private static final int B = Form.B.bits();

  /** The short kinds and the word of an instruction that has such a field. */
  enum Short {
    BRANCH19(A64LabelUse.BRANCH19, B_COND), BRANCH14(A64LabelUse.BRANCH14, TBZ);

    final A64LabelUse use;
    final int word;

    Short(A64LabelUse use, int word) {
      this.use = use;
      this.word = word;
    }
  }

  private static int word(byte[] code, int at) {
    return A64LabelUse.read(code, at);
  }

  /** Where the branch at {@code at} goes: its field (of {@code use}'s bits at bit 5, or 26 at bit 0), in bytes. */
  private static int destination(byte[] code, int at, A64LabelUse use) {
    int w = word(code, at);
    int imm = use == A64LabelUse.BRANCH26 ? w << 6 >> 6 : switch (use) {
      case BRANCH19 -> w << 8 >> 13;
      case BRANCH14 -> w << 13 >> 18;
      default -> throw new IllegalArgumentException(use.toString());
    };
    return at + imm * 4;
  }

  /** Emits no-ops until {@code end}, placing islands where the buffer asks, as an emitter does. */
  private static void fill(CodeBuffer buf, int end, boolean islands) {
    while (buf.offset() < end) {
      if (islands && buf.islandNeeded(8, 0)) {
        Label over = buf.createLabel();
        buf.put32(B);
        buf.useLabel(buf.offset() - 4, over, A64LabelUse.BRANCH26);
        buf.emitDueVeneers(8);
        buf.bind(over);
      }
      buf.put32(NOP);
    }
  }

  @ParameterizedTest
  @EnumSource(Short.class)
  void aBranchExactlyAtItsReachIsPatchedInPlace(Short kind) {
    CodeBuffer buf = new CodeBuffer();
    Label target = buf.createLabel();
    buf.put32(kind.word);
    buf.useLabel(0, target, kind.use);
    fill(buf, (int) kind.use.maxPositiveRange(), false);
    buf.bind(target);
    byte[] code = buf.finish().code();
    assertEquals(kind.use.maxPositiveRange(), destination(code, 0, kind.use));
    assertEquals(kind.use.maxPositiveRange(), code.length, "no veneer after the label");
  }

  @ParameterizedTest
  @EnumSource(Short.class)
  void aBranchOnePastItsReachWithoutIslandsIsRefusedNamingTheOffsets(Short kind) {
    CodeBuffer buf = new CodeBuffer();
    Label target = buf.createLabel();
    buf.put32(kind.word);
    buf.useLabel(0, target, kind.use);
    fill(buf, (int) kind.use.maxPositiveRange() + 4, false);
    buf.bind(target);
    CodeBufferException e = assertThrows(CodeBufferException.class, buf::finish);
    assertTrue(e.getMessage().contains("use at offset 0"), e.getMessage());
  }

  @ParameterizedTest
  @EnumSource(Short.class)
  void aForwardBranchPastItsReachGoesThroughAVeneerPlacedInTime(Short kind) {
    CodeBuffer buf = new CodeBuffer();
    Label target = buf.createLabel();
    buf.put32(kind.word);
    buf.useLabel(0, target, kind.use);
    int end = (int) kind.use.maxPositiveRange() * 3;
    fill(buf, end, true);
    buf.bind(target);
    byte[] code = buf.finish().code();
    int veneer = destination(code, 0, kind.use);
    assertTrue(veneer <= kind.use.maxPositiveRange(), "veneer at " + veneer);
    assertEquals(B, word(code, veneer) & 0xFC00_0000);
    assertEquals(end, destination(code, veneer, A64LabelUse.BRANCH26));
  }

  @ParameterizedTest
  @EnumSource(Short.class)
  void aBackwardBranchPastItsReachGoesThroughAVeneerAfterIt(Short kind) {
    CodeBuffer buf = new CodeBuffer();
    Label top = buf.createLabel();
    buf.bind(top);
    int reach = (int) kind.use.maxNegativeRange();
    fill(buf, reach + 4, true);
    int branch = buf.offset();
    buf.put32(kind.word);
    buf.useLabel(branch, top, kind.use);
    fill(buf, branch + reach, true);
    byte[] code = buf.finish().code();
    int veneer = destination(code, branch, kind.use);
    assertTrue(veneer > branch && veneer - branch <= kind.use.maxPositiveRange(), "veneer at " + veneer);
    assertEquals(0, destination(code, veneer, A64LabelUse.BRANCH26));
  }

  @Test
  void theVeneerOfBAndBlReachesTwoGibibytesThroughX16AndX17() {
    byte[] code = new byte[64];
    var onward = A64LabelUse.BRANCH26.generateVeneer(code, 8);
    // ldrsw x16, #16; adr x17, #12; add x16, x16, x17; br x16 (Arm ARM C6.2), then the distance.
    assertEquals(0x9800_0090, word(code, 8));
    assertEquals(0x1000_0071, word(code, 12));
    assertEquals(0x8B11_0210, word(code, 16));
    assertEquals(0xD61F_0200, word(code, 20));
    assertEquals(24, onward.offset());
    assertEquals(A64LabelUse.PC_REL32, onward.use());
    assertEquals(20, A64LabelUse.BRANCH26.veneerSize());
  }
}
