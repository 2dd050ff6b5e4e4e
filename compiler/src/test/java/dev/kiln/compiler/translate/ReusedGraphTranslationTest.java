package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.kiln.ir.Function;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.ir.text.Printer;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;

/**
 * A compile worker's graph and layout, reused for its next function ({@link ReusedGraph}), give that
 * function the IR new ones give it: nothing of the function before (its values, instructions,
 * blocks, their places, call signatures, callees, inline sites, vector constants) shows through.
 */
class ReusedGraphTranslationTest {
  private static final String WAT = """
      (module
        (type $binary (func (param i32 i32) (result i32)))
        (import "env" "host" (func $host (param i32) (result i32)))
        (table 1 funcref)
        (func $before (param i32) (result i32) (local v128)
          (local.set 1 (v128.const i64x2 7 9))
          (drop (call $host (local.get 0)))
          (drop (call_indirect (type $binary) (local.get 0) (local.get 0) (i32.const 0)))
          (if (result i32) (local.get 0)
            (then (i32.add (local.get 0) (i32x4.extract_lane 1 (local.get 1))))
            (else (call $after (local.get 0)))))
        (func $after (param i32) (result i32)
          (i32.mul (call $host (local.get 0)) (i32.const 3))))
      """;

  @Test
  void theNextFunctionTranslatesOnAReusedGraphAsOnANewOne() {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(Wat.toBinary(WAT, "reused.wat")));
    ReusedGraph graphs = new ReusedGraph();
    Function before = FuncTranslator.translateForCompile(env, 0, graphs);
    graphs.giveBack(before);

    Function after = FuncTranslator.translateForCompile(env, 1, graphs);
    assertSame(before.dfg(), after.dfg());
    assertSame(before.layout(), after.layout());
    assertEquals(Printer.print(FuncTranslator.translateForCompile(env, 1, new ReusedGraph())),
        Printer.print(after));
  }
}
