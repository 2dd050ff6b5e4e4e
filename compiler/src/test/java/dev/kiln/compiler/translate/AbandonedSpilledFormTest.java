package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.compiler.testsupport.ThreadAllocation;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;

/**
 * A function whose spilled GC references cost more IR than its bytes pay for is translated again
 * frame-resident; the spilled form it abandons stops at the IR its spill budget allows ({@link
 * SpillBudget#irAllowance}), not at the function's own limit of 2^21 units. The
 * shape (a review's): 2,000 references on the stack from two calls of a function of 1,000
 * results, then empty loops, whose parameters per reference the spill budget does not count, then
 * the calls that use them. At the function's limit, each such 2 KB function cost the compile about
 * 2^21 units of thrown-away IR and a second of CPU. Counted as the bytes the translation allocates
 * (the translations of both forms), not timed.
 */
class AbandonedSpilledFormTest {
  private static final int RESULTS = 1_000;

  private static String module(int loops) {
    String refs = " (ref null $s)".repeat(RESULTS);
    return "(module (type $s (struct (field i32)))"
        + " (func $make (param (ref null $s)) (result" + refs + ")" + " local.get 0".repeat(RESULTS) + ")"
        + " (func $sink (param" + refs + "))"
        + " (func (export \"run\") (param (ref null $s))"
        + " local.get 0 call $make".repeat(2) + " (loop)".repeat(loops) + " call $sink".repeat(2) + "))";
  }

  @Test
  void theAbandonedSpilledFormStopsAtWhatItsSpillBudgetAllows() {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(Wat.toBinary(module(720), "abandoned.wat")));
    int run = env.definedFunctionCount() - 1;
    FuncTranslator.translate(env, run); // loads the classes
    ThreadAllocation allocation = ThreadAllocation.start();
    FuncTranslator.translate(env, run);
    long bytes = allocation.bytes();
    // 75 MB when the spilled form ran to the function's limit, 33 MB now, most of it the
    // frame-resident form's own
    assertTrue(bytes < 50L << 20, bytes + " bytes allocated translating the function");
  }
}
