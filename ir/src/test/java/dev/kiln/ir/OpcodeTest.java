package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Consistency of the opcode table: the printer, parser and verifier rely on these facts. */
class OpcodeTest {
  @Test
  void namesAreUniqueAndParse() {
    for (Opcode op : Opcode.values()) {
      assertSame(op, Opcode.byText(op.text()));
    }
  }

  @Test
  void fixedFormatsHaveOneRulePerOperand() {
    for (Opcode op : Opcode.values()) {
      int fixed = op.format().fixedArgs();
      if (fixed >= 0) {
        assertEquals(fixed, op.operandRules().size(), op.text());
      } else {
        int prefix = op.format() == InstFormat.CALL_INDIRECT ? 1 : 0;
        assertEquals(prefix, op.operandRules().size(), op.text());
      }
    }
  }

  @Test
  void controlTypeAndResultRulesAgree() {
    for (Opcode op : Opcode.values()) {
      boolean usesCtrl = op.resultRule() == ResultRule.CTRL
          || op.operandRules().contains(OperandRule.SAME)
          || op.operandRules().contains(OperandRule.NARROWER_INT)
          || op.operandRules().contains(OperandRule.WIDER_INT)
          || op.operandRules().contains(OperandRule.BITCAST_PARTNER);
      assertEquals(usesCtrl, op.hasCtrlType(), op.text());
      // A v128 is moved whole, never computed with by a scalar opcode; the zero-extending loads
      // of 4 and 8 bytes fill its low lanes (wasm v128.load32_zero, load64_zero).
      assertEquals(op == Opcode.LOAD || op == Opcode.SELECT || op == Opcode.ULOAD32
          || op == Opcode.ULOAD64, op.ctrlTypes().contains(Type.V128), op.text());
    }
  }

  @Test
  void effectsAreConsistent() {
    for (Opcode op : Opcode.values()) {
      if (op.isBranch() || op.isReturn()) {
        assertTrue(op.isTerminator(), op.text());
      }
      if (op.isTerminator() || op.canTrap() || op.writesMemory() || op.isCall()) {
        assertTrue(op.hasSideEffects(), op.text());
      }
      boolean memory = op.format() == InstFormat.LOAD || op.format() == InstFormat.STORE;
      assertEquals(op.format() == InstFormat.LOAD, op.readsMemory() && !op.isCall(), op.text());
      assertEquals(op.format() == InstFormat.STORE, op.writesMemory() && !op.isCall(), op.text());
      if (!memory) {
        assertEquals(0, op.memWidthBytes(), op.text());
      }
    }
    assertTrue(Opcode.SDIV.canTrap());
    assertFalse(Opcode.FCVT_TO_SINT_SAT.canTrap());
    assertFalse(Opcode.IADD.hasSideEffects());
    assertTrue(Opcode.IADD.isPure());
    assertTrue(Opcode.FCVT_TO_UINT_SAT.isPure());
    assertFalse(Opcode.LOAD.isPure(), "a load depends on memory");
    assertFalse(Opcode.UDIV.isPure(), "may trap");
    assertFalse(Opcode.CALL.isPure());
    assertFalse(Opcode.LOAD.hasSideEffects(), "plain loads may be removed when unused");
    assertEquals(2, Opcode.SLOAD16.memWidthBytes());
    assertTrue(Opcode.SLOAD16.signExtends());
  }

  @Test
  void memFlagsRoundTripThroughBits() {
    for (MemRegion region : MemRegion.values()) {
      for (int bits = 0; bits < 4; bits++) {
        MemFlags f = new MemFlags(region, (bits & 1) != 0, (bits & 2) != 0);
        assertEquals(f, MemFlags.ofBits(f.bits()));
      }
    }
  }

  @Test
  void intConditionsUseWasmSemantics() {
    assertTrue(IntCC.ULT.evaluate(Type.I32, 5, -3), "-3 is 0xfffffffd unsigned");
    assertFalse(IntCC.SLT.evaluate(Type.I32, 5, -3));
    assertTrue(IntCC.SLT.evaluate(Type.I32, 0xFFFF_FFFFL, 0), "i32 compares the low 32 bits");
    assertTrue(FloatCC.NE.evaluate(Double.NaN, 1.0));
    assertFalse(FloatCC.EQ.evaluate(Double.NaN, Double.NaN));
    assertTrue(FloatCC.UNO.evaluate(Double.NaN, 0));
  }
}
