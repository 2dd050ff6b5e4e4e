package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a compile worker's graph and layout keep between functions: their arrays, never their
 * contents or a huge function's.
 */
class ReusedGraphTest {
  private static final ExternalName NAME = new ExternalName.Named("f");
  private static final Signature SIGNATURE = new Signature(List.of(), List.of());

  @Test
  void aGraphGivenBackIsTakenAgainEmptyWithItsArrays() {
    ReusedGraph graphs = new ReusedGraph();
    Function function = graphs.take(NAME, SIGNATURE);
    DataFlowGraph graph = function.dfg();
    graph.reserve(1_000, 1_000, 100, 100, 3_000);
    int block = graph.makeBlock();
    int param = graph.appendBlockParam(block, Type.I32);
    graph.makeInst(Opcode.IADD, Type.I32, 0, 0, new int[] {param, param}, null);
    assertTrue(graph.mayHaveOpcode(Opcode.IADD));
    long bytes = graph.arrayBytes();
    graphs.giveBack(function);

    DataFlowGraph again = graphs.take(NAME, SIGNATURE).dfg();
    assertSame(graph, again);
    assertEquals(bytes, again.arrayBytes());
    assertEquals(0, again.valueCount());
    assertEquals(0, again.instCount());
    assertEquals(0, again.blockCount());
    assertEquals(0, again.size());
    assertFalse(again.mayHaveOpcode(Opcode.IADD), "the opcodes of the last function are forgotten");
    // taken, it is no longer kept: a second take makes a new graph
    assertNotSame(again, graphs.take(NAME, SIGNATURE).dfg());
  }

  @Test
  void aLayoutGivenBackIsTakenAgainEmptyWithItsArrays() {
    ReusedGraph graphs = new ReusedGraph();
    Function function = graphs.take(NAME, SIGNATURE);
    DataFlowGraph graph = function.dfg();
    Layout layout = function.layout();
    layout.reserve(100, 1_000);
    int first = graph.makeBlock();
    int second = graph.makeBlock();
    layout.appendBlock(first);
    layout.appendBlock(second);
    int inst = graph.makeInst(Opcode.ICONST, Type.I32, 7, 0, new int[0], null);
    layout.appendInst(inst, second);
    long bytes = layout.arrayBytes();
    graphs.giveBack(function);

    Function next = graphs.take(NAME, SIGNATURE);
    assertSame(layout, next.layout());
    assertEquals(bytes, layout.arrayBytes(), "its arrays are kept, not made again");
    assertEquals(-1, layout.entryBlock());
    assertEquals(0, layout.instPlacements());
    assertFalse(layout.isBlockInserted(first));
    assertFalse(layout.isBlockInserted(second));
    assertFalse(layout.isInstInserted(inst));
    // the same ids, placed afresh in the next function, start with no instructions
    int block = next.dfg().makeBlock();
    layout.appendBlock(block);
    assertEquals(-1, layout.firstInst(block));
    assertEquals(-1, layout.lastInst(block));
  }

  @Test
  void aGraphPastTheCapIsNotKept() {
    ReusedGraph graphs = new ReusedGraph();
    Function huge = graphs.take(NAME, SIGNATURE);
    int insts = (int) (ReusedGraph.MAX_KEPT_BYTES / 8); // the 8-byte immediates alone pass the cap
    huge.dfg().reserve(insts, 16, 4, 4, 64);
    assertTrue(huge.dfg().arrayBytes() > ReusedGraph.MAX_KEPT_BYTES);
    graphs.giveBack(huge);
    assertNotSame(huge.dfg(), graphs.take(NAME, SIGNATURE).dfg());
  }

  @Test
  void aLayoutPastTheCapIsNotKept() {
    ReusedGraph graphs = new ReusedGraph();
    Function huge = graphs.take(NAME, SIGNATURE);
    int insts = (int) (ReusedGraph.MAX_KEPT_BYTES / 8); // three int arrays an instruction pass the cap
    huge.layout().reserve(4, insts);
    graphs.giveBack(huge);
    assertNotSame(huge.layout(), graphs.take(NAME, SIGNATURE).layout());
  }

  @Test
  void aFunctionIsMadeOnlyOnAnEmptyGraphAndLayout() {
    DataFlowGraph used = new DataFlowGraph();
    used.makeBlock();
    assertThrows(IllegalArgumentException.class, () -> new Function(NAME, SIGNATURE, used, new Layout()));
    Layout placed = new Layout();
    placed.appendBlock(0);
    assertThrows(IllegalArgumentException.class,
        () -> new Function(NAME, SIGNATURE, new DataFlowGraph(), placed));
  }
}
