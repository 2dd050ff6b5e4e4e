package dev.kiln.codegen.x64.asm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.Label;
import dev.kiln.codegen.x64.asm.forms.FormTables;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.VecFloatForm;
import dev.kiln.codegen.x64.asm.forms.VexForm;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a form's row works out once for the encoder (where each operand goes, the bytes after ModRM)
 * and the operand kinds' quick answers, which the encoder trusts per instruction instead of deciding
 * again.
 */
class FormSpecTest {

  /**
   * Every operand of every form has exactly one place: the condition first, ModRM.reg, r/m, VEX.vvvv,
   * /is4, the opcode's register, the immediate or the branch target; or none, implied by the opcode
   * (%cl of the shifts) or its length (a multi-byte NOP's).
   */
  @Test
  void everyOperandHasOnePlace() {
    for (Form form : FormTables.all()) {
      FormSpec spec = form.spec();
      int[] places = new int[spec.operandCount()];
      if (spec.conditionFirst) {
        places[0]++;
      }
      for (int index : new int[] {spec.regIndex, spec.rmIndex, spec.vvvvIndex, spec.is4Index,
          spec.opcodeRegIndex, spec.immIndex, spec.targetIndex}) {
        if (index != FormSpec.NONE) {
          places[index]++;
        }
      }
      for (int i = 0; i < places.length; i++) {
        OperandKind kind = spec.kind(i);
        boolean implied = kind == OperandKind.CL || kind == OperandKind.NOP_LENGTH;
        assertEquals(implied ? 0 : 1, places[i], form.name() + " operand " + i + " (" + kind + ")");
      }
      assertEquals(spec.immIndex == FormSpec.NONE ? 0 : spec.kind(spec.immIndex).immediateBytes(),
          spec.immBytes, form.name());
    }
  }

  /** A RIP-relative displacement counts past the immediate and the fixed immediate or /is4 byte. */
  @Test
  void bytesAfterModRmAreTheImmediatesFields() {
    assertEquals(0, MovForm.MOVQ_RM.spec().bytesAfterModRm);
    assertEquals(4, MovForm.MOVL_MI.spec().bytesAfterModRm);
    assertEquals(1, MovForm.MOVB_MI.spec().bytesAfterModRm);
    assertEquals(1, VecFloatForm.CMPLTPS_RM.spec().bytesAfterModRm);
    assertEquals(1, VexForm.VPBLENDVB.spec().bytesAfterModRm);
  }

  /** Only forms with a byte-register operand look for spl, bpl, sil and dil, which need a REX prefix. */
  @Test
  void byteRegisterOperandsAreTheByteForms() {
    for (Form form : FormTables.all()) {
      FormSpec spec = form.spec();
      boolean any = spec.operands().stream().anyMatch(OperandKind::isByteRegister);
      assertEquals(any, spec.byteRegisterOperands, form.name());
    }
    assertTrue(MovForm.MOVZBL_RM.spec().byteRegisterOperands);
  }

  /** Each kind's quick answers ({@link OperandKind#accepts}) agree with its full check, at every edge. */
  @Test
  void acceptsAgreesWithMismatch() {
    List<Operand> operands = new ArrayList<>(List.of(Gpr.values()));
    operands.addAll(List.of(Xmm.values()));
    operands.addAll(List.of(Cond.values()));
    operands.addAll(List.of(Amode.base(Gpr.RAX), Amode.baseIndex(Gpr.R13, Gpr.R12, 4, 8),
        Amode.rip(new Label(0)), new LabelTarget(new Label(1)), new FunctionTarget(7)));
    for (long edge : new long[] {Long.MIN_VALUE, Integer.MIN_VALUE - 1L, Integer.MIN_VALUE, -32769, -32768,
        -129, -128, -1, 0, 1, 9, 10, 127, 128, 255, 256, 65535, 65536, Integer.MAX_VALUE,
        Integer.MAX_VALUE + 1L, 0xFFFF_FFFFL, 0x1_0000_0000L, Long.MAX_VALUE}) {
      operands.add(Imm.of(edge));
    }
    for (OperandKind kind : OperandKind.values()) {
      for (Operand operand : operands) {
        assertEquals(kind.mismatch(operand) == null, kind.accepts(operand), kind + " " + operand);
      }
    }
  }
}
