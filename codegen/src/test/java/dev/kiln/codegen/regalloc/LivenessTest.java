package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The run-based liveness (path exploration with region jumps) gives exactly the sets of the
 * liveness equations, solved here the plain way: every block, every vreg, rounds until nothing
 * changes. Random functions (loops, joins, block parameters) and the hostile shapes, whose diamonds
 * and chains are what the region jumps skip.
 */
class LivenessTest {
  private static final MachineEnv ENV = TestEnvs.x64Like();

  @Test
  void randomFunctionsMatchTheEquations() {
    for (long seed = 0; seed < 400; seed++) {
      assertMatches(RandomFunctions.generate(seed, ENV), "seed " + seed);
    }
  }

  @Test
  void hostileShapesMatchTheEquations() {
    for (int n : new int[] {1, 2, 3, 7, 40}) {
      assertMatches(HostileShapeWorkTest.valuesAcrossDiamonds(n), "diamonds " + n);
      assertMatches(HostileShapeWorkTest.brIfChain(n), "br_if chain " + n);
      if (n > 1) { // a br_table of one label is a jump with an operand, which the validator rejects
        assertMatches(HostileShapeWorkTest.brTable(n), "br_table " + n);
      }
      assertMatches(HostileShapeWorkTest.nestedLoops(n), "nested loops " + n);
    }
  }

  private static void assertMatches(RegAllocFunction f, String what) {
    boolean[][][] expected = solve(f);
    BlockEdges edges = BlockEdges.of(f);
    Liveness live = Liveness.compute(f, edges, FunctionValidator.validate(f, ENV, InstOperands.listed(f), edges));
    for (int b = 0; b < f.numBlocks(); b++) {
      for (int v = 0; v < f.numVRegs(); v++) {
        assertEquals(expected[0][b][v], live.isLiveIn(v, b), what + ": v" + v + " live into block " + b);
        assertEquals(expected[1][b][v], live.isLiveOut(v, b), what + ": v" + v + " live out of block " + b);
      }
    }
  }

  /** {live-in, live-out}[block][vreg] by round-robin iteration of the equations to the fixed point. */
  private static boolean[][][] solve(RegAllocFunction f) {
    int n = f.numBlocks();
    int nv = f.numVRegs();
    boolean[][] in = new boolean[n][nv];
    boolean[][] out = new boolean[n][nv];
    boolean changed = true;
    while (changed) {
      changed = false;
      for (int b = n - 1; b >= 0; b--) {
        boolean[] o = new boolean[nv];
        List<Integer> succs = f.blockSuccs(b);
        for (int k = 0; k < succs.size(); k++) {
          for (int v = 0; v < nv; v++) {
            o[v] |= in[succs.get(k)][v];
          }
          for (VReg a : f.branchArgs(b, k)) {
            o[a.index()] = true;
          }
        }
        boolean[] i = o.clone();
        InstRange r = f.blockInsts(b);
        for (int inst = r.last(); inst >= r.first(); inst--) {
          for (Operand op : f.instOperands(inst)) {
            if (op.kind() == OperandKind.DEF) {
              i[op.vreg().index()] = false;
            }
          }
          for (Operand op : f.instOperands(inst)) {
            if (op.kind() == OperandKind.USE) {
              i[op.vreg().index()] = true;
            }
          }
        }
        for (VReg p : f.blockParams(b)) {
          i[p.index()] = false;
        }
        for (int v = 0; v < nv; v++) {
          changed |= i[v] != in[b][v] || o[v] != out[b][v];
        }
        in[b] = i;
        out[b] = o;
      }
    }
    return new boolean[][][] {in, out};
  }
}
