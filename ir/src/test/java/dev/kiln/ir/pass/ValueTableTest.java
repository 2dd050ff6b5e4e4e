package dev.kiln.ir.pass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.text.Parser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Value numbering's table against a map as the model: random adds and removals, in any order and
 * many times over the table's growth (so probe runs wrap around the end and entries shift back
 * over removed ones), always find exactly the computations the model holds.
 */
class ValueTableTest {
  private static final int PARAMS = 6;
  private static final int ADDS = 400;

  @Test
  void findsWhatTheModelHoldsThroughAddsAndRemovalsInAnyOrder() {
    Function f = adds(new SplittableRandom(7));
    DataFlowGraph dfg = f.dfg();
    List<Integer> insts = new ArrayList<>();
    for (int inst = f.layout().firstInst(0); inst >= 0; inst = f.layout().nextInst(inst)) {
      if (dfg.argCount(inst) == 2) {
        insts.add(inst);
      }
    }
    SplittableRandom random = new SplittableRandom(20261123);
    for (int round = 0; round < 20; round++) {
      ValueTable table = new ValueTable(dfg);
      Map<List<Integer>, int[]> model = new HashMap<>(); // computation -> {inst, value, hash}
      for (int step = 0; step < 3000; step++) {
        if (model.isEmpty() || random.nextInt(100) < 55) {
          int inst = insts.get(random.nextInt(insts.size()));
          List<Integer> computation = computation(dfg, inst);
          int[] held = model.get(computation);
          int hash = table.hash(inst);
          assertEquals(held == null ? -1 : held[1], table.find(inst, hash));
          if (held == null) {
            int value = dfg.result(inst, 0);
            table.add(inst, value, hash);
            model.put(computation, new int[] {inst, value, hash});
          }
        } else {
          List<List<Integer>> keys = new ArrayList<>(model.keySet());
          int[] gone = model.remove(keys.get(random.nextInt(keys.size())));
          table.remove(gone[0], gone[2]);
        }
        if (step % 97 == 0) {
          for (int inst : insts) {
            int[] held = model.get(computation(dfg, inst));
            assertEquals(held == null ? -1 : held[1], table.find(inst, table.hash(inst)),
                "inst" + inst + " at step " + step);
          }
          assertEquals(model.isEmpty(), table.isEmpty());
        }
      }
      ValueTable copy = table.copy();
      table.clear();
      assertTrue(table.isEmpty());
      for (int inst : insts) {
        int[] held = model.get(computation(dfg, inst));
        assertEquals(held == null ? -1 : held[1], copy.find(inst, copy.hash(inst)));
        assertEquals(-1, table.find(inst, table.hash(inst)));
      }
    }
  }

  @Test
  void aTableWithoutEntriesAndItsCopyFindNothingAndTakeEntries() {
    Function f = adds(new SplittableRandom(11));
    DataFlowGraph dfg = f.dfg();
    int first = f.layout().firstInst(0);
    int second = f.layout().nextInst(first);
    ValueTable empty = new ValueTable(dfg);
    assertEquals(-1, empty.find(first, empty.hash(first)));
    ValueTable copy = empty.copy();
    assertTrue(copy.isEmpty());
    copy.add(first, dfg.result(first, 0), copy.hash(first));
    assertEquals(dfg.result(first, 0), copy.find(first, copy.hash(first)));
    assertTrue(empty.isEmpty(), "the copy's entries are its own");
    empty.clear();
    assertThrows(IllegalStateException.class, () -> empty.remove(second, empty.hash(second)));
  }

  /** Opcode, type and immediate are the same for every add here: the arguments tell them apart. */
  private static List<Integer> computation(DataFlowGraph dfg, int inst) {
    return List.of(dfg.resolveAliases(dfg.arg(inst, 0)), dfg.resolveAliases(dfg.arg(inst, 1)));
  }

  /** {@value #ADDS} adds of random parameter pairs: many repeat a computation, in either order of use. */
  private static Function adds(SplittableRandom random) {
    StringBuilder text = new StringBuilder("function u0:0(");
    StringBuilder params = new StringBuilder();
    for (int p = 0; p < PARAMS; p++) {
      text.append(p == 0 ? "" : ", ").append("i32");
      params.append(p == 0 ? "" : ", ").append("v").append(p).append(": i32");
    }
    text.append(") -> i32 {\nblock0(").append(params).append("):\n");
    for (int k = 0; k < ADDS; k++) {
      text.append("    v").append(PARAMS + k).append(" = iadd.i32 v").append(random.nextInt(PARAMS))
          .append(", v").append(random.nextInt(PARAMS)).append('\n');
    }
    text.append("    return v").append(PARAMS + ADDS - 1).append("\n}\n");
    return Parser.parseFunction(text.toString());
  }
}
