package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.regalloc.RegAllocOutput;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;

/**
 * The register allocator's work on n nested {@code try_table (catch $e)} around one {@code throw}
 * (red team 9, F2 {@code nestcatch}): each landing pad tests the tag and rethrows to the next, a
 * call that clobbers every register, while a few values (the vmctx, the tag, the exception) stay
 * live across every pad, cut into pieces with a range per pad. Before, the scan asked of every
 * inactive piece whether it ever met the piece being placed, walking both to their ends, though
 * only a meeting before that register is blocked anyway can change the choice: pieces x ranges
 * each time a piece needed a register, cubic in n (13 s of CPU for 2,000 levels, 104 s for 4,000).
 * Counted as the ranges the scan steps past plus the liveness walk's visits ({@link
 * RegAllocOutput.Stats}) at n and 4n, on both targets. The bound is quadratic (16x, with a
 * little room), not linear: the scan still asks each of the pads' pieces about each piece placed
 * (the part of F2 still open), and this test keeps the cubic walk from coming back.
 */
class HandlerShapeWorkTest {
  private static final int SIZE = 150;

  /** n nested try_tables each catching $e to its own block, one throw innermost. */
  static String nestedCatchesAroundThrow(int n) {
    StringBuilder s = new StringBuilder("(module (tag $e) (func (export \"_start\")");
    s.append("(block (try_table (catch $e 0)".repeat(n));
    s.append("(throw $e)");
    s.append(")(nop))".repeat(n));
    return s.append("))").toString();
  }

  @Test
  void nestedCatchesAroundAThrowCostNoCubicWork() {
    for (LoweringTarget target : LoweringTarget.values()) {
      long small = work(nestedCatchesAroundThrow(SIZE), target);
      long large = work(nestedCatchesAroundThrow(4 * SIZE), target);
      assertTrue(large <= 17 * small, "nested catches around a throw on " + target + ": " + small
          + " units of work at size " + SIZE + ", " + large + " at " + 4 * SIZE + " ("
          + String.format("%.1f", (double) large / small) + "x)");
    }
  }

  /** The allocator's work on the module's last function, the one the shape is in. */
  private static long work(String wat, LoweringTarget target) {
    ModuleEnvironment env = new ModuleEnvironment(Wasm.load(Wat.toBinaryWithNames(wat, "shape.wat")));
    Function f = FuncTranslator.translate(env, env.definedFunctionCount() - 1);
    RegAllocOutput.Stats stats = target.allocationStats(target.lower(f));
    return stats.intersectionSteps() + stats.livenessVisits();
  }
}
