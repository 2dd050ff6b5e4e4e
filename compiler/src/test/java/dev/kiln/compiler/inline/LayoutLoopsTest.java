package dev.kiln.compiler.inline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.ir.text.Printer;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which calls of a translated function {@link LayoutLoops} places inside a loop. */
class LayoutLoopsTest {
  /**
   * Calls of $f, each tagged by its argument, in order: before any loop,
   * in an outer loop, in a loop nested in it, in the outer loop after the inner one, in a forward
   * {@code block} (whose branch goes forward, not back), after every loop.
   */
  private static final String WAT = """
      (module
        (func $f (param i32))
        (func (export "g") (param i32)
          (call $f (i32.const 0))
          (loop $outer
            (call $f (i32.const 1))
            (loop $inner
              (call $f (i32.const 2))
              (br_if $inner (local.get 0)))
            (call $f (i32.const 3))
            (br_if $outer (local.get 0)))
          (block $skip
            (br_if $skip (local.get 0))
            (call $f (i32.const 4)))
          (call $f (i32.const 5))))
      """;

  @Test
  void callsBetweenALoopHeaderAndItsBackEdgeAreInLoops() {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(Wat.toBinaryWithNames(WAT, "loops.wat")), 0, true,
        ExecutionLimits.NONE, MemoryGuard.NONE);
    Function f = FuncTranslator.translateUnoptimised(env, 1, new ReusedGraph());
    int[] blocks = f.layout().blocks();
    boolean[] inLoop = LayoutLoops.blocksInLoops(f.dfg(), f.layout(), blocks);
    List<Boolean> byCall = new ArrayList<>();
    for (int i = 0; i < blocks.length; i++) {
      for (int inst : f.layout().blockInsts(blocks[i])) {
        if (f.dfg().opcode(inst) == Opcode.CALL) {
          byCall.add(inLoop[i]);
        }
      }
    }
    assertEquals(List.of(false, true, true, true, false, false), byCall, Printer.print(f));
  }
}
