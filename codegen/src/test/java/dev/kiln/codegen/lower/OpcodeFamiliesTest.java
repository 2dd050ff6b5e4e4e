package dev.kiln.codegen.lower;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.Opcode;
import org.junit.jupiter.api.Test;

class OpcodeFamiliesTest {
  @Test
  void noOpcodeIsInTwoFamilies() {
    for (Opcode op : Opcode.values()) {
      int families = (OpcodeFamilies.scalarFloat(op) ? 1 : 0) + (OpcodeFamilies.vector(op) ? 1 : 0)
          + (OpcodeFamilies.vectorFloat(op) ? 1 : 0);
      assertTrue(families <= 1, op + " is in " + families + " families");
    }
  }

  @Test
  void comparesSelectsAndIntegerOperatorsAreRoutedByEachIsa() {
    for (Opcode op : new Opcode[] {Opcode.FCMP, Opcode.ICMP, Opcode.SELECT, Opcode.IADD, Opcode.CALL}) {
      assertFalse(OpcodeFamilies.scalarFloat(op) || OpcodeFamilies.vector(op) || OpcodeFamilies.vectorFloat(op),
          op + " belongs to no family");
    }
    assertTrue(OpcodeFamilies.scalarFloat(Opcode.FADD));
    assertTrue(OpcodeFamilies.vector(Opcode.VIADD));
    assertTrue(OpcodeFamilies.vectorFloat(Opcode.VFADD));
  }
}
