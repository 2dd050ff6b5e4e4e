package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code call_indirect} through a fixed table inside a {@code try_table} keeps its compares and
 * direct calls ({@link TableOperators#callIndirect}), and every call it emits, each guarded direct
 * call and the checked fallback, ends its block with its own {@code unwind_edge}: a call without one
 * would let an exception it throws pass this frame's handler (difffuzz-gc seeds 1002 and 1028).
 */
class GuardedCallsUnderHandlersTest {
  private static final String WAT = """
      (module
        (type $ii (func (param i32) (result i32)))
        (tag $e (param i32))
        (func $inc (type $ii) (i32.add (local.get 0) (i32.const 1)))
        (func $throws (type $ii) (throw $e (local.get 0)))
        (table $fixed 3 funcref)
        (elem (table $fixed) (i32.const 0) func $inc $throws)
        (func (param $slot i32) (param $x i32) (result i32)
          (block $caught (result i32)
            (try_table (result i32) (catch $e $caught)
              (call_indirect $fixed (type $ii) (local.get $x) (local.get $slot)))
            (return))))
      """;

  @Test
  void eachCallOfAGuardedCallIndirectHasItsOwnExceptionalEdge() {
    Function f = FuncTranslator.translateUnoptimised(
        new ModuleEnvironment(Wasm.load(Wat.toBinary(WAT, "guarded.wat"))), 2, new ReusedGraph());
    List<Integer> calls = new ArrayList<>();
    for (int block : f.layout().blocks()) {
      for (int inst = f.layout().firstInst(block); inst >= 0; inst = f.layout().nextInst(inst)) {
        if (mayThrow(f, inst)) {
          calls.add(inst);
          int next = f.layout().nextInst(inst);
          assertTrue(next >= 0 && f.dfg().opcode(next) == Opcode.UNWIND_EDGE,
              "the call " + inst + " has no exceptional edge:\n" + f);
        }
      }
    }
    long direct = calls.stream().filter(i -> f.dfg().opcode(i) == Opcode.CALL).count();
    assertEquals(2, direct, "one direct call per slot function ($inc, $throws):\n" + f);
    assertEquals(3, calls.size(), "and the checked call:\n" + f);
  }

  /**
   * A call of a wasm function, direct or through the table; the lazy table's initialising builtin
   * is called too but cannot throw, so it has no edge.
   */
  private static boolean mayThrow(Function f, int inst) {
    return switch (f.dfg().opcode(inst)) {
      case CALL_INDIRECT -> true;
      case CALL -> f.dfg().extFunc(f.dfg().aux(inst)).name() instanceof ExternalName.User user
          && user.namespace() == 0;
      default -> false;
    };
  }
}
