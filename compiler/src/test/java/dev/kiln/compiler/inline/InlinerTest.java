package dev.kiln.compiler.inline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.ir.text.Printer;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Which calls the inliner takes: small defined callees within the caller's budget, never imports. */
class InlinerTest {
  /** A callee of {@code n} additions, which translates to about {@code n + 4} IR instructions. */
  private static String adder(String name, int n) {
    return "(func " + name + " (param i32) (result i32) (local.get 0)"
        + " (i32.add (i32.const 1))".repeat(n) + ")";
  }

  private static final String MODULE = """
      (module
        (import "env" "host" (func $host (param i32) (result i32)))
        %s
        %s
        (func $tail (param i32) (result i32) (return_call $small (local.get 0)))
        (func (export "caller") (param i32) (result i32)
          (call $small (local.get 0))
          (call $large)
          (call $host)
          (call $tail)))
      """.formatted(adder("$small", 3), adder("$large", 200));

  @Test
  void smallDefinedCalleesAreInlinedAndNothingElse() {
    Function caller = callerOf(MODULE, ExecutionLimits.NONE);
    assertEquals(1, new Inliner(environment(MODULE, ExecutionLimits.NONE)).inlineCalls(caller));
    Verifier.check(caller);
    String text = Printer.print(caller);
    // $small (defined function 0) is inlined; $large, the import and the tail-calling $tail stay calls.
    assertEquals(1, caller.dfg().inlineSiteCount(), text);
    assertEquals("u0:0", caller.dfg().inlineSite(0).callee().text(), text);
    assertEquals(3, calls(caller), text);
  }

  @Test
  void epochInterruptionTurnsInliningOff() {
    ExecutionLimits epochs = new ExecutionLimits(true, false);
    Function caller = callerOf(MODULE, epochs);
    assertEquals(0, new Inliner(environment(MODULE, epochs)).inlineCalls(caller));
    assertEquals(0, caller.dfg().inlineSiteCount());
  }

  @Test
  void aCallerStopsInliningAtItsBudget() {
    int calls = Inliner.CALLER_BUDGET / 3; // $small is five instructions: more than the budget takes
    String wat = "(module " + adder("$small", 3) + " (func (export \"caller\") (param i32) (result i32) (local.get 0)"
        + IntStream.range(0, calls).mapToObj(i -> " (call $small)").collect(Collectors.joining()) + "))";
    Function caller = callerOf(wat, ExecutionLimits.NONE);
    int inlined = new Inliner(environment(wat, ExecutionLimits.NONE)).inlineCalls(caller);
    assertTrue(inlined > 0 && inlined < calls, inlined + " of " + calls);
    Verifier.check(caller);
  }

  /**
   * A callee above {@link Inliner#MAX_STRAIGHT_LINE_CALLEE_INSTRUCTIONS} is copied only where the
   * call repeats: inside a loop (here before, inside and after one) or calling its own function.
   */
  @Test
  void aMidSizeCalleeIsInlinedOnlyInsideALoopOrIntoItself() {
    String wat = "(module " + adder("$mid", 20)
        + " (func $countdown (param i32) (result i32)"
        + "   (if (result i32) (i32.eqz (local.get 0)) (then (i32.const 0))"
        + "     (else (call $countdown (i32.sub (local.get 0) (i32.const 1)))" + " (i32.add (i32.const 1))".repeat(10) + ")))"
        + " (func (export \"caller\") (param i32) (result i32)"
        + "   (local.set 0 (call $mid (local.get 0)))"
        + "   (loop $again (local.set 0 (call $mid (local.get 0))) (br_if $again (local.get 0)))"
        + "   (call $mid (local.get 0))))";
    ModuleEnvironment env = environment(wat, ExecutionLimits.NONE);
    int mid = Inliner.cost(FuncTranslator.translate(env, 0));
    assertTrue(mid > Inliner.MAX_STRAIGHT_LINE_CALLEE_INSTRUCTIONS && mid <= Inliner.MAX_CALLEE_INSTRUCTIONS, "cost " + mid);

    Function caller = callerOf(wat, ExecutionLimits.NONE);
    assertEquals(1, new Inliner(env).inlineCalls(caller));
    Verifier.check(caller);
    assertEquals(2, calls(caller), Printer.print(caller)); // the calls before and after the loop remain

    Function countdown = FuncTranslator.translate(env, 1);
    assertTrue(Inliner.cost(countdown) > Inliner.MAX_STRAIGHT_LINE_CALLEE_INSTRUCTIONS, "cost " + Inliner.cost(countdown));
    assertEquals(1, new Inliner(env).inlineCalls(countdown));
    assertEquals("u0:1", countdown.dfg().inlineSite(0).callee().text(), Printer.print(countdown));
  }

  /**
   * Red team 29 F5: a callee of few instructions whose calls each move many values (here two calls
   * of an import of 200 results, passed on to one of 200 parameters: about 1,600 IR units in four
   * instructions) costs its IR, not its count, so it is not inlined; counted by instructions, it was,
   * fifty times over in a 100-byte caller.
   */
  @Test
  void aCalleeWhoseCallsMoveManyValuesCostsItsIrAndIsNotInlined() {
    String wide = " (result" + " i64".repeat(200) + ")";
    String wat = "(module (import \"m\" \"give\" (func $give" + wide + "))"
        + " (import \"m\" \"take\" (func $take (param" + " i64".repeat(200) + ")))"
        + " (func $pass (call $give) (call $take) (call $give) (call $take))"
        + " (func (export \"caller\") (call $pass) (call $pass)))";
    ModuleEnvironment env = environment(wat, ExecutionLimits.NONE);
    Function pass = FuncTranslator.translate(env, 0);
    assertTrue(calls(pass) == 4 && Inliner.cost(pass) > Inliner.MAX_CALLEE_INSTRUCTIONS,
        "cost " + Inliner.cost(pass) + " of " + pass.dfg().size() + " IR units");
    Function caller = callerOf(wat, ExecutionLimits.NONE);
    assertEquals(0, new Inliner(env).inlineCalls(caller));
  }

  private static int calls(Function f) {
    int n = 0;
    for (int b : f.layout().blocks()) {
      for (int inst : f.layout().blockInsts(b)) {
        n += f.dfg().opcode(inst).isCall() ? 1 : 0;
      }
    }
    return n;
  }

  private static ModuleEnvironment environment(String wat, ExecutionLimits limits) {
    Module module = Wasm.load(Wat.toBinaryWithNames(wat, "test.wat"));
    return new ModuleEnvironment(module, 0, true, limits, MemoryGuard.NONE);
  }

  /** The translated export "caller", the module's last defined function. */
  private static Function callerOf(String wat, ExecutionLimits limits) {
    ModuleEnvironment env = environment(wat, limits);
    return FuncTranslator.translate(env, env.definedFunctionCount() - 1);
  }
}
