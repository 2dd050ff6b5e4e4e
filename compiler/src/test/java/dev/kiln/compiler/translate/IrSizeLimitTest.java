package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.testsupport.WideCalls;
import dev.kiln.ir.Function;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.Wasm;
import org.junit.jupiter.api.Test;

/**
 * Red team 27, finding F2: a two-byte call of a function of 1,000 results makes about 3,000 units
 * of IR, so a few kilobytes of calls made gigabytes of compile memory. The translator refuses a
 * function whose IR grows past its limit ({@link IrSizeLimit#limitFor}: 2^21, or 32 a byte of a
 * longer body), at the operator that took it there, in one line naming the function and the offset;
 * a function just under the limit translates, and so does one past 2^21 whose body is long enough.
 */
class IrSizeLimitTest {
  private static final int ARITY = ImplementationLimitException.MAX_FUNCTION_RESULTS;

  @Test
  void aFunctionJustUnderTheLimitTranslatesAndOneCallMoreIsRefusedAtThatCall() {
    long base = size(0);
    long perCall = size(1) - base;
    int calls = (int) ((IrSizeLimit.MIN_LIMIT - base) / perCall);
    // the most calls that fit: within one call's IR of the limit
    long atTheLimit = size(calls);
    assertTrue(atTheLimit <= IrSizeLimit.MIN_LIMIT && atTheLimit > IrSizeLimit.MIN_LIMIT - perCall,
        atTheLimit + " for " + calls + " calls");

    ModuleEnvironment over = environment(calls + 1);
    ImplementationLimitException e = assertThrows(ImplementationLimitException.class,
        () -> FuncTranslator.translate(over, 1));
    // the function's own code: ARITY local.gets of two bytes each, then the calls, two bytes each
    int lastCall = over.module().code().get(1).codeStart() + 2 * ARITY + 2 * calls;
    // the count is where that call took it: past the limit by less than a call's IR
    assertTrue(e.getMessage().matches("at 0x" + Integer.toHexString(lastCall) + " \\(function 1\\): 2\\d{6}"
        + " IR values, instructions and operands in one function, more than Kiln's implementation limit of "
        + IrSizeLimit.MIN_LIMIT), e.getMessage());
  }

  @Test
  void aLongerBodyMayMakeMoreIrButNoMoreThan32ABytesWorth() {
    long base = size(0);
    long perCall = size(1) - base;
    int calls = (int) (IrSizeLimit.MIN_LIMIT / perCall) + 100; // past 2^21 by about 100 calls' IR
    long ir = base + perCall * calls; // linear in the calls (the other test's evidence); nops make none
    // a body long enough that 32 a byte covers the IR: translated
    int enough = (int) (ir / IrSizeLimit.PER_BODY_BYTE);
    FuncTranslator.translate(new ModuleEnvironment(Wasm.load(WideCalls.module(ARITY, calls, enough))), 1);
    // 1,000 bytes short of it: refused
    ModuleEnvironment shorter = new ModuleEnvironment(Wasm.load(WideCalls.module(ARITY, calls, enough - 2 * ARITY
        - 2 * calls - 1_000)));
    assertThrows(ImplementationLimitException.class, () -> FuncTranslator.translate(shorter, 1));
    assertEquals(IrSizeLimit.MIN_LIMIT, IrSizeLimit.limitFor(1));
    assertEquals(32L << 20, IrSizeLimit.limitFor(1 << 20));
  }

  /**
   * Red team 31, finding F1: the floor of 2^21 is per function, so 20 small functions of wide calls
   * each made nearly 2^21 (a 149 KB module, a 165 MB artifact and 6.2 GB). The module's functions
   * share one budget: with three functions of 40% of 2^21 each, the third translated is refused
   * (naming itself and the module's total), and so is any translation after it, at its start; two
   * such functions translate.
   */
  @Test
  void theModulesFunctionsShareOneLimit() {
    int calls = (int) (IrSizeLimit.MIN_LIMIT * 2 / 5 / (size(1) - size(0)));
    ModuleEnvironment two = new ModuleEnvironment(Wasm.load(WideCalls.module(ARITY, calls, 0, 2)));
    FuncTranslator.translate(two, 1);
    FuncTranslator.translate(two, 2);

    ModuleEnvironment three = new ModuleEnvironment(Wasm.load(WideCalls.module(ARITY, calls, 0, 3)));
    FuncTranslator.translate(three, 1);
    FuncTranslator.translate(three, 2);
    ImplementationLimitException third = assertThrows(ImplementationLimitException.class,
        () -> FuncTranslator.translate(three, 3));
    int thirdBody = three.module().code().get(3).bodyStart();
    assertTrue(third.getMessage().matches("at 0x" + Integer.toHexString(thirdBody) + " \\(function 3\\): \\d+ IR"
        + " values, instructions and operands in the module's functions, more than Kiln's implementation"
        + " limit of " + IrSizeLimit.MIN_LIMIT), third.getMessage());
    // spent: refused before translating, whichever function
    assertThrows(ImplementationLimitException.class, () -> FuncTranslator.translate(three, 0));
  }

  /** The IR size of the calling function of {@code calls} calls, unoptimised (what the limit counts). */
  private static long size(int calls) {
    Function f = FuncTranslator.translateUnoptimised(environment(calls), 1, new ReusedGraph());
    return f.dfg().size();
  }

  private static ModuleEnvironment environment(int calls) {
    return new ModuleEnvironment(Wasm.load(WideCalls.module(ARITY, calls)));
  }
}
