package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import dev.kiln.compiler.testsupport.HostileShapes;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.wasm.Wasm;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A {@code br_table}'s entries cost the compiler the same whatever the values their labels take
 * (issue 35: 300,000 entries to loops of 1,000 parameters were 300 million IR arguments and the JVM
 * ran out of heap). Written as the attacker's modules are: the three {@link HostileShapes} with
 * {@link HostileShapes#LABEL_VALUES} values per label (loop parameters, block results, locals the
 * SSA form merges at a loop and a block), compiled at {@code n} and {@code 4n} entries for each
 * target. The work counted is everything that walks the table's edges: the IR (each destination and
 * each argument it passes, after the SSA construction), the VCode (blocks, edges, and the values
 * passed along them, after critical-edge splitting) and the register allocator's liveness walk (one
 * step per value live across an edge). The {@code 3n} entries added may add two units each (an IR
 * destination without arguments is one); with one copy of the values per entry each added a few
 * hundred. Counted, not timed, so the test is deterministic on a loaded machine.
 */
class BrTableValuesWorkTest {
  private static final int ENTRIES = 300;
  private static final List<HostileShapes> SHAPES = List.of(HostileShapes.BR_TABLE_LOOP_VALUES,
      HostileShapes.BR_TABLE_BLOCK_VALUES, HostileShapes.BR_TABLE_LOCALS);

  @Test
  void entriesCostTheSameWhateverTheValuesOnX64() {
    assertEntriesCostNoValues(LoweringTarget.X86_64);
  }

  @Test
  void entriesCostTheSameWhateverTheValuesOnAArch64() {
    assertEntriesCostNoValues(LoweringTarget.AARCH64);
  }

  private static void assertEntriesCostNoValues(LoweringTarget target) {
    for (HostileShapes shape : SHAPES) {
      long small = work(shape, ENTRIES, target);
      long large = work(shape, 4 * ENTRIES, target);
      long added = 3L * ENTRIES;
      assertTrue(large - small <= 2 * added, shape + " on " + target + ": " + small + " units of work at "
          + ENTRIES + " entries, " + large + " at " + 4 * ENTRIES + ": " + (large - small) / added
          + " per added entry");
    }
  }

  /** The work along the table's edges in the IR, the VCode and the allocator's liveness. */
  private static long work(HostileShapes shape, int entries, LoweringTarget target) {
    Function f = FuncTranslator.translate(new ModuleEnvironment(Wasm.load(shape.module(entries))), 0);
    DataFlowGraph dfg = f.dfg();
    long work = 0;
    for (int b : f.layout().blocks()) {
      int term = f.layout().lastInst(b);
      for (int d = 0; d < dfg.destCount(term); d++) {
        work += 1 + dfg.blockCallArgCount(dfg.dest(term, d));
      }
    }
    VCode<?> vc = target.lower(f);
    work += vc.numBlocks();
    for (int b = 0; b < vc.numBlocks(); b++) {
      for (int k = 0; k < vc.blockSuccs(b).size(); k++) {
        work += 1 + vc.branchArgs(b, k).size();
      }
    }
    return work + target.allocationStats(vc).livenessVisits();
  }
}
