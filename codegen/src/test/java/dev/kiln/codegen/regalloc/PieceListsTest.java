package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * A vreg's list of pieces ({@link AllocState#pieces}) is made only for a vreg split or spilled, the
 * only ones whose lists the scan's splits and resolution read; the others' single piece is answered
 * from {@link IntervalBuilder#intervals}. Counted ({@link AllocState#pieceListsMade}) over a scan and
 * resolution of {@link ScanWorkTest#heldAcrossAChain}, whose 200 held values outnumber the registers:
 * a list was made per vreg as its first piece was registered.
 */
class PieceListsTest {
  @Test
  void onlySplitOrSpilledVRegsGetAPieceList() {
    RegAllocFunction f = ScanWorkTest.heldAcrossAChain(200);
    MachineEnv env = TestEnvs.x64Like();
    RegAllocator.Analysis a = OperandShapesTest.scannedEveryClass(f, env);
    AllocState state = a.state();
    Resolution res = new Resolution(f, env, a.live(), a.ib(), state, a.edges());
    res.operandAllocations();
    res.edits();
    int splitOrSpilled = 0;
    for (int v = state.nextSplitOrSpilled(0); v >= 0; v = state.nextSplitOrSpilled(v + 1)) {
      splitOrSpilled++;
    }
    int withPieces = 0;
    for (LiveInterval piece : a.ib().intervals) {
      if (piece != null) {
        withPieces++;
      }
    }
    assertTrue(splitOrSpilled > 0 && splitOrSpilled < withPieces / 2,
        splitOrSpilled + " of " + withPieces + " vregs split or spilled");
    assertEquals(splitOrSpilled, state.pieceListsMade);
  }
}
