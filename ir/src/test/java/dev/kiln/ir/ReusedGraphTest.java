package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a compile worker's graph keeps between functions: its arrays, never its contents or a huge graph. */
class ReusedGraphTest {
  @Test
  void aGraphGivenBackIsTakenAgainEmptyWithItsArrays() {
    ReusedGraph graphs = new ReusedGraph();
    DataFlowGraph graph = graphs.take();
    graph.reserve(1_000, 1_000, 100, 100, 3_000);
    int block = graph.makeBlock();
    int param = graph.appendBlockParam(block, Type.I32);
    graph.makeInst(Opcode.IADD, Type.I32, 0, 0, new int[] {param, param}, null);
    assertTrue(graph.mayHaveOpcode(Opcode.IADD));
    long bytes = graph.arrayBytes();
    graphs.giveBack(graph);

    DataFlowGraph again = graphs.take();
    assertSame(graph, again);
    assertEquals(bytes, again.arrayBytes());
    assertEquals(0, again.valueCount());
    assertEquals(0, again.instCount());
    assertEquals(0, again.blockCount());
    assertEquals(0, again.size());
    assertFalse(again.mayHaveOpcode(Opcode.IADD), "the opcodes of the last function are forgotten");
    // taken, it is no longer kept: a second take makes a new graph
    assertNotSame(again, graphs.take());
  }

  @Test
  void aGraphPastTheCapIsNotKept() {
    ReusedGraph graphs = new ReusedGraph();
    DataFlowGraph huge = graphs.take();
    int insts = (int) (ReusedGraph.MAX_KEPT_BYTES / 8); // the 8-byte immediates alone pass the cap
    huge.reserve(insts, 16, 4, 4, 64);
    assertTrue(huge.arrayBytes() > ReusedGraph.MAX_KEPT_BYTES);
    graphs.giveBack(huge);
    assertNotSame(huge, graphs.take());
  }

  @Test
  void aFunctionIsMadeOnlyOnAnEmptyGraph() {
    ReusedGraph graphs = new ReusedGraph();
    DataFlowGraph used = graphs.take();
    used.makeBlock();
    assertThrows(IllegalArgumentException.class,
        () -> new Function(new ExternalName.Named("f"), new Signature(List.of(), List.of()), used));
  }
}
