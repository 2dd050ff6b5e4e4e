package dev.kiln.loader.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.info.ConstExpr;
import dev.kiln.artifact.info.ConstInstr;
import dev.kiln.artifact.info.ValType;
import org.junit.jupiter.api.Test;

class ConstExprEvaluatorTest {
  private final ConstExprEvaluator evaluator = new ConstExprEvaluator(g -> 1000L + g, g -> 2000L + g,
      f -> 0x7000L + 32L * f, ConstExprEvaluator.NO_OBJECTS);

  private long eval(ConstInstr... instructions) {
    return evaluator.evaluate(ConstExpr.of(instructions));
  }

  @Test
  void i32ResultsWrapAndAreZeroExtended() {
    assertEquals(0x8000_0000L, eval(new ConstInstr.I32Const(Integer.MAX_VALUE), new ConstInstr.I32Const(1),
        new ConstInstr.Binary(ConstInstr.Op.I32_ADD)));
    assertEquals(0xFFFF_FFFFL, eval(new ConstInstr.I32Const(0), new ConstInstr.I32Const(1),
        new ConstInstr.Binary(ConstInstr.Op.I32_SUB)));
    assertEquals(0, eval(new ConstInstr.I32Const(0x10000), new ConstInstr.I32Const(0x10000),
        new ConstInstr.Binary(ConstInstr.Op.I32_MUL)));
  }

  @Test
  void i64OperatorsUseOperandOrder() {
    assertEquals(-7, eval(new ConstInstr.I64Const(3), new ConstInstr.I64Const(10),
        new ConstInstr.Binary(ConstInstr.Op.I64_SUB)));
    assertEquals(Long.MIN_VALUE, eval(new ConstInstr.I64Const(1L << 62), new ConstInstr.I64Const(2),
        new ConstInstr.Binary(ConstInstr.Op.I64_MUL)));
    assertEquals(1003 + 5, eval(new ConstInstr.GlobalGet(3), new ConstInstr.I64Const(5),
        new ConstInstr.Binary(ConstInstr.Op.I64_ADD)));
  }

  @Test
  void floatsKeepTheirBitsAndReferencesAreAddresses() {
    assertEquals(0x7FC0_0001L, eval(new ConstInstr.F32Const(0x7FC0_0001)));
    assertEquals(0xFFF8_0000_0000_0001L, eval(new ConstInstr.F64Const(0xFFF8_0000_0000_0001L)));
    assertEquals(0, eval(new ConstInstr.RefNull(ValType.FUNCREF)));
    assertEquals(0x7000L + 64, eval(new ConstInstr.RefFunc(2)));
  }

  @Test
  void v128HalvesComeFromTheConstantOrTheGlobal() {
    ConstExpr constant = ConstExpr.of(new ConstInstr.V128Const(0x0706050403020100L, 0x0F0E0D0C0B0A0908L));
    assertEquals(0x0706050403020100L, evaluator.evaluate(constant));
    assertEquals(0x0F0E0D0C0B0A0908L, evaluator.high(constant));
    ConstExpr global = ConstExpr.of(new ConstInstr.GlobalGet(4));
    assertEquals(1004, evaluator.evaluate(global));
    assertEquals(2004, evaluator.high(global));
    assertEquals(0, evaluator.high(ConstExpr.of(new ConstInstr.I64Const(-1))));
  }
}
