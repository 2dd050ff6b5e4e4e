package dev.kiln.codegen.aarch64.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.CodeBufferException;
import dev.kiln.codegen.FinishedCode;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.testsupport.AllocationFreeSteps;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The immediates' factories, operand checks, label uses, veneers and relocations. */
class EncoderBehaviourTest {
  /**
   * Inverting allocates nothing: {@code values()} copied the enum's array at every call, once per
   * conditional branch or trap the lowering inverts (1.5% of a {@code struct.new} chain's bytes).
   */
  @Test
  void conditionInversionAllocatesNothing() {
    AllocationFreeSteps.assertAllocatesNothing(Cond.EQ, Cond::invert, "inversions");
  }

  /**
   * Each shape names its one PC-relative target operand, which the encoder reads where the shape
   * says instead of looking at every operand of every instruction for one.
   */
  @Test
  void eachShapeKnowsItsTargetOperand() {
    for (Shape shape : Shape.values()) {
      int targets = 0;
      for (int i = 0; i < shape.operandCount(); i++) {
        if (shape.kind(i) == Shape.Kind.TARGET) {
          targets++;
          assertEquals(i, shape.targetIndex(), shape.name());
        }
      }
      assertTrue(targets <= 1, shape.name());
      if (targets == 0) {
        assertEquals(-1, shape.targetIndex(), shape.name());
      }
    }
    assertEquals(1, Shape.BCOND.targetIndex());
  }

  @Test
  void addSubImmediatesAreImm12OptionallyShifted() {
    assertEquals(Optional.of(new AddSubImm(4095, false)), AddSubImm.of(4095));
    assertEquals(Optional.of(new AddSubImm(1, true)), AddSubImm.of(4096));
    assertEquals(Optional.empty(), AddSubImm.of(4097));
    assertEquals(Optional.empty(), AddSubImm.of(-1));
    assertEquals(Optional.empty(), AddSubImm.of(0x1000_000L));
  }

  @Test
  void bitmaskImmediatesAreRotatedRunsReplicated() {
    assertTrue(LogicalImm.of(0x5555_5555_5555_5555L, true).isPresent());
    assertTrue(LogicalImm.of(0xFF, false).isPresent());
    assertTrue(LogicalImm.of(0x8000_0001L, false).isPresent()); // a run wrapping around
    assertEquals(Optional.empty(), LogicalImm.of(0, true));
    assertEquals(Optional.empty(), LogicalImm.of(-1, true));
    assertEquals(Optional.empty(), LogicalImm.of(0xFFFF_FFFFL, false)); // all ones in 32 bits
    assertEquals(Optional.empty(), LogicalImm.of(0x1234, true));
    LogicalImm w = LogicalImm.require(0xFF, false);
    assertEquals(0, w.n());
    assertEquals(7, w.imms());
    LogicalImm x = LogicalImm.require(0xFFFF_FFFFL, true);
    assertEquals(1, x.n());
    assertEquals(31, x.imms());
  }

  @Test
  void scaledOffsetsAreMultiplesOfTheAccessSize() {
    assertEquals(Optional.empty(), ScaledOffset.of(3, 4));
    assertEquals(Optional.empty(), ScaledOffset.of(4096 * 8, 8));
    assertEquals(4095, ScaledOffset.of(4095 * 8, 8).orElseThrow().imm12());
    assertThrows(IllegalArgumentException.class, () -> new PairOffset(4));
    assertThrows(IllegalArgumentException.class, () -> new PairOffset(512));
  }

  @Test
  void operandsAreCheckedAgainstTheFormsViews() {
    assertThrows(IllegalArgumentException.class, () -> Inst.of(Form.ADD_X, Gpr.SP, Gpr.X1, Gpr.X2));
    assertThrows(IllegalArgumentException.class, () -> Inst.of(Form.ADD_X_IMM, Gpr.ZR, Gpr.X1,
        AddSubImm.require(1)));
    assertThrows(IllegalArgumentException.class, () -> Inst.of(Form.ADD_X, Gpr.X0, Gpr.X1));
    assertThrows(IllegalArgumentException.class, () -> A64Encoder.word(Inst.of(Form.LDR_X_IMM,
        Gpr.X0, Gpr.X1, new ScaledOffset(4, 4))));
    assertThrows(IllegalArgumentException.class, () -> A64Encoder.word(Inst.of(Form.ADD_X_IMM,
        Gpr.X29, Gpr.SP, AddSubImm.require(0))));
    assertThrows(IllegalArgumentException.class, () -> A64Encoder.word(Inst.of(Form.LSL_W_IMM,
        Gpr.X0, Gpr.X1, UImm.of(32))));
    assertThrows(IllegalArgumentException.class, () -> A64Encoder.word(Inst.of(Form.MOVZ_W,
        Gpr.X0, MoveWideImm.of(1, 32))));
  }

  @Test
  void labelUsesArePatchedForwardAndBackward() {
    CodeBuffer buf = new CodeBuffer();
    Label top = buf.createLabel();
    Label end = buf.createLabel();
    buf.bind(top);
    A64Encoder.encode(Inst.of(Form.B_COND, Cond.NE, Target.label(end)), buf);
    A64Encoder.encode(Inst.of(Form.CBZ_W, Gpr.X3, Target.label(top)), buf);
    A64Encoder.encode(Inst.of(Form.ADR, Gpr.X16, Target.label(end)), buf);
    A64Encoder.encode(Inst.of(Form.B, Target.label(top)), buf);
    buf.bind(end);
    byte[] code = buf.finish().code();
    assertEquals(A64Encoder.word(Inst.of(Form.B_COND, Cond.NE, new Target.PcOffset(16))),
        A64LabelUse.read(code, 0));
    assertEquals(A64Encoder.word(Inst.of(Form.CBZ_W, Gpr.X3, new Target.PcOffset(-4))),
        A64LabelUse.read(code, 4));
    assertEquals(A64Encoder.word(Inst.of(Form.ADR, Gpr.X16, new Target.PcOffset(8))),
        A64LabelUse.read(code, 8));
    assertEquals(A64Encoder.word(Inst.of(Form.B, new Target.PcOffset(-12))),
        A64LabelUse.read(code, 12));
  }

  @Test
  void aConditionalBranchOutOfReachGoesThroughAVeneer() {
    CodeBuffer buf = new CodeBuffer();
    Label top = buf.createLabel();
    buf.bind(top);
    int filler = (1 << 20) + 64; // past b.cond's 1 MiB backward reach
    for (int i = 0; i < filler / 4; i++) {
      A64Encoder.encode(Inst.of(Form.BRK, UImm.of(0)), buf);
    }
    int branch = buf.offset();
    A64Encoder.encode(Inst.of(Form.B_COND, Cond.EQ, Target.label(top)), buf);
    FinishedCode done = buf.finish();
    byte[] code = done.code();
    int veneer = branch + 4;
    assertEquals(veneer + 4, code.length);
    assertEquals(A64Encoder.word(Inst.of(Form.B_COND, Cond.EQ, new Target.PcOffset(4))),
        A64LabelUse.read(code, branch));
    assertEquals(A64Encoder.word(Inst.of(Form.B, new Target.PcOffset(-veneer))),
        A64LabelUse.read(code, veneer));
  }

  @Test
  void anUnconditionalBranchOutOfReachIsAnError() {
    CodeBuffer buf = new CodeBuffer();
    Label far = buf.createLabel();
    A64Encoder.encode(Inst.of(Form.ADR, Gpr.X0, Target.label(far)), buf);
    for (int i = 0; i < (1 << 20) / 4 + 4; i++) {
      buf.put32(0);
    }
    buf.bind(far);
    assertThrows(CodeBufferException.class, buf::finish);
  }

  @Test
  void callsToOtherFunctionsAreCall26Relocations() {
    CodeBuffer buf = new CodeBuffer();
    A64Encoder.encode(Inst.of(Form.BL, Target.function(0x1_0000_0002L)), buf);
    FinishedCode done = buf.finish();
    assertEquals(1, done.relocs().size());
    assertEquals(RelocKind.AARCH64_CALL26, done.relocs().get(0).kind());
    assertEquals(0x1_0000_0002L, done.relocs().get(0).targetKey());
    assertEquals(Form.BL.bits(), A64LabelUse.read(done.code(), 0));
  }
}
