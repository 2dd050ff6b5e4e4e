package dev.kiln.codegen.x64.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.CodeBufferException;
import dev.kiln.codegen.FinishedCode;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.testsupport.AllocationFreeSteps;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.BitForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.MulDivForm;
import dev.kiln.codegen.x64.asm.forms.ShiftForm;
import dev.kiln.codegen.x64.asm.forms.SseForm;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Addressing-mode choices, fix-ups and relocations, and operands the forms must reject. */
class EncoderBehaviourTest {

  private static String hex(X64Inst inst) {
    CodeBuffer buf = new CodeBuffer();
    X64Encoder.encode(inst, buf);
    return HexFormat.of().formatHex(buf.finish().code());
  }

  private static String movl(Amode src) {
    return hex(X64Inst.of(MovForm.MOVL_RM, Gpr.RAX, src));
  }

  @Test
  void choosesDisplacementWidthAndSib() {
    // SDM Vol. 2A tables 2-2 and 2-3.
    assertEquals("8b00", movl(Amode.base(Gpr.RAX)));                       // mod 00
    assertEquals("8b4001", movl(Amode.baseDisp(Gpr.RAX, 1)));              // disp8
    assertEquals("8b4080", movl(Amode.baseDisp(Gpr.RAX, -128)));           // disp8 lower edge
    assertEquals("8b807fffffff", movl(Amode.baseDisp(Gpr.RAX, -129)));    // disp32
    assertEquals("8b8080000000", movl(Amode.baseDisp(Gpr.RAX, 128)));      // disp32
    assertEquals("8b4500", movl(Amode.base(Gpr.RBP)));                     // rbp: disp8 0
    assertEquals("418b4500", movl(Amode.base(Gpr.R13)));                   // r13 likewise
    assertEquals("8b0424", movl(Amode.base(Gpr.RSP)));                     // rsp: SIB
    assertEquals("418b0424", movl(Amode.base(Gpr.R12)));                   // r12 likewise
    assertEquals("428b0420", movl(Amode.baseIndex(Gpr.RAX, Gpr.R12, 1, 0))); // r12 as index: REX.X
    assertEquals("438b442500", movl(Amode.baseIndex(Gpr.R13, Gpr.R12, 1, 0))); // r13 base: disp8 0
    assertEquals("8b04c8", movl(Amode.baseIndex(Gpr.RAX, Gpr.RCX, 8, 0)));
  }

  @Test
  void byteRegistersFourToSevenForceRex() {
    assertEquals("88c1", hex(X64Inst.of(MovForm.MOVB_MR, Gpr.RCX, Gpr.RAX)));     // movb %al, %cl
    assertEquals("4088c4", hex(X64Inst.of(MovForm.MOVB_MR, Gpr.RSP, Gpr.RAX)));   // %spl, not %ah
    assertEquals("400fb6c7", hex(X64Inst.of(MovForm.MOVZBL_RM, Gpr.RAX, Gpr.RDI))); // movzbl %dil
    assertEquals("0fb6c0", hex(X64Inst.of(MovForm.MOVZBL_RM, Gpr.RAX, Gpr.RAX)));
    // A 32-bit operand in register 4-7 needs no REX.
    assertEquals("89e0", hex(X64Inst.of(MovForm.MOVL_MR, Gpr.RAX, Gpr.RSP)));
  }

  @Test
  void ripRelativeWithImmediateCountsFromTheEndOfTheInstruction() {
    CodeBuffer buf = new CodeBuffer();
    Label data = buf.createLabel();
    // cmpl $0x12345678, data(%rip): 81 3d disp32 imm32; RIP is after the imm32.
    int length = X64Encoder.encode(
        X64Inst.of(AluForm.CMPL_MI, Amode.rip(data), Imm.of(0x12345678)), buf);
    assertEquals(10, length);
    buf.bind(data);
    buf.put32(0);
    String code = HexFormat.of().formatHex(buf.finish().code());
    assertEquals("813d00000000" + "78563412" + "00000000", code);
  }

  @Test
  void callToAnotherFunctionLeavesARelocation() {
    CodeBuffer buf = new CodeBuffer();
    X64Encoder.encode(X64Inst.of(ControlForm.RETQ), buf);
    X64Encoder.encode(X64Inst.of(ControlForm.CALLQ_REL32, new FunctionTarget(0x2000_0000_0000_0005L)),
        buf);
    FinishedCode code = buf.finish();
    assertEquals("c3e800000000", HexFormat.of().formatHex(code.code()));
    assertEquals(List.of(new Reloc(2, RelocKind.X86_CALL_PC_REL4, 0x2000_0000_0000_0005L, -4)),
        code.relocs());
  }

  @Test
  void shortJumpOutOfReachFailsAtFinish() {
    CodeBuffer buf = new CodeBuffer();
    Label far = buf.createLabel();
    X64Encoder.encode(X64Inst.of(ControlForm.JMP_REL8, new LabelTarget(far)), buf);
    for (int i = 0; i < 128; i++) {
      X64Encoder.encode(X64Inst.of(ControlForm.INT3), buf);
    }
    buf.bind(far);                                       // rel = 130 - 2 = 128: one too far
    CodeBufferException e = assertThrows(CodeBufferException.class, buf::finish);
    assertTrue(e.getMessage().contains("REL8"), e.getMessage());
  }

  @Test
  void shortJumpAtTheEdgeOfReach() {
    CodeBuffer buf = new CodeBuffer();
    Label far = buf.createLabel();
    X64Encoder.encode(X64Inst.of(ControlForm.JCC_REL8, Cond.NE, new LabelTarget(far)), buf);
    for (int i = 0; i < 127; i++) {
      X64Encoder.encode(X64Inst.of(ControlForm.INT3), buf);
    }
    buf.bind(far);                                       // rel = 127
    assertEquals("757f", HexFormat.of().formatHex(buf.finish().code()).substring(0, 4));
  }

  @Test
  void conditionInversionFlipsTheLowBit() {
    for (Cond c : Cond.values()) {
      assertEquals(c.code() ^ 1, c.invert().code());
      assertEquals(c, c.invert().invert());
    }
    assertEquals(Cond.NE, Cond.E.invert());
    assertEquals(Cond.GE, Cond.L.invert());
  }

  /**
   * Inverting allocates nothing: {@code values()} copied the enum's array at every call, once per
   * conditional branch or trap the lowering inverts (1.5% of a {@code struct.new} chain's bytes).
   */
  @Test
  void conditionInversionAllocatesNothing() {
    AllocationFreeSteps.assertAllocatesNothing(Cond.E, Cond::invert, "inversions");
  }

  @Test
  void rejectsImmediatesOutOfRange() {
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(AluForm.ADDL_MI8, Gpr.RAX, Imm.of(128)));
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(AluForm.ADDL_MI8, Gpr.RAX, Imm.of(-129)));
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(AluForm.ADDQ_MI, Gpr.RAX, Imm.of(0x8000_0000L)));
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(AluForm.ADDL_MI, Gpr.RAX, Imm.of(0x1_0000_0000L)));
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(AluForm.ADDW_MI, Gpr.RAX, Imm.of(65536)));
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(ShiftForm.SHLL_MI, Gpr.RAX, Imm.of(256)));
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(ControlForm.NOP_N, Imm.of(10)));
    assertThrows(IllegalArgumentException.class, () -> X64Inst.of(ControlForm.NOP_N, Imm.of(0)));
    // The edges are accepted.
    X64Inst.of(AluForm.ADDL_MI8, Gpr.RAX, Imm.of(-128));
    X64Inst.of(AluForm.ADDL_MI, Gpr.RAX, Imm.of(0xFFFF_FFFFL));
    X64Inst.of(AluForm.ADDQ_MI, Gpr.RAX, Imm.of(Integer.MIN_VALUE));
  }

  @Test
  void rejectsOperandsOfTheWrongKind() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(MovForm.LEAQ_RM, Gpr.RAX, Gpr.RCX));     // lea needs memory
    assertTrue(e.getMessage().contains("LEAQ_RM operand 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(AluForm.ADDL_RM, Amode.base(Gpr.RAX), Gpr.RCX)); // reg field must be a register
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(ShiftForm.SHLL_CL, Gpr.RAX, Gpr.RDX));   // count must be %cl
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(SseForm.ADDSS_RM, Gpr.RAX, Xmm.XMM1));   // xmm destination
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(BitForm.POPCNTQ_RM, Xmm.XMM0, Gpr.RAX));
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(ControlForm.JMP_REL8, new FunctionTarget(1)));  // rel8 cannot leave the function
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(ControlForm.JCC_REL32, new LabelTarget(new Label(0))));  // condition missing
    assertThrows(IllegalArgumentException.class,
        () -> X64Inst.of(MulDivForm.IMULL_RMI8, Gpr.RAX, Gpr.RCX));  // immediate missing
  }

  @Test
  void rejectsImpossibleAddressingModes() {
    assertThrows(IllegalArgumentException.class, () -> Amode.baseIndex(Gpr.RAX, Gpr.RSP, 1, 0));
    assertThrows(IllegalArgumentException.class, () -> Amode.baseIndex(Gpr.RAX, Gpr.RCX, 3, 0));
  }

  @Test
  void printsLabelsByNameWithoutContext() {
    Label l = new Label(4);
    assertEquals("jmp label4", X64Printer.print(X64Inst.of(ControlForm.JMP_REL32, new LabelTarget(l))));
    assertEquals("leaq label4(%rip), %rax",
        X64Printer.print(X64Inst.of(MovForm.LEAQ_RM, Gpr.RAX, Amode.rip(l))));
    assertEquals("callq funckey:0x5",
        X64Printer.print(X64Inst.of(ControlForm.CALLQ_REL32, new FunctionTarget(5))));
  }
}
