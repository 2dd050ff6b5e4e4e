package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The linear scan's per-step work, counted (not timed) on its INT scan: an active piece is asked
 * about the scan position only when the position leaves the range it was known to cover; the
 * occupancy store records only pieces a question could meet; an eviction ranks each active piece
 * once and asks for a loop use bound only where one could lower a rank.
 */
class ScanWorkTest {
  private static final int LENGTH = 400;

  /**
   * {@code held} values defined first and read one by one at the end, and between them a {@link
   * #chain}: straight-line code, no call.
   */
  static RegAllocFunction heldAcrossAChain(int held) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    List<VReg> values = new ArrayList<>();
    for (int k = 0; k < held; k++) {
      VReg v = b.newVReg(RegClass.INT);
      b.inst("const", List.of(Operand.def(v, REG)));
      values.add(v);
    }
    VReg prev = chain(b);
    for (VReg v : values) {
      b.inst("sink", List.of(Operand.use(v, REG)));
    }
    b.ret(List.of(Operand.use(prev, fixed(PReg.intReg(0)))));
    return b.build();
  }

  /** {@link #LENGTH} short-lived values, each read by the next instruction; returns the last. */
  static VReg chain(FunctionBuilder b) {
    VReg prev = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.def(prev, REG)));
    for (int i = 0; i < LENGTH; i++) {
      VReg next = b.newVReg(RegClass.INT);
      b.inst("add", List.of(Operand.use(prev, REG), Operand.def(next, REG)));
      prev = next;
    }
    return prev;
  }

  /**
   * A value held to the end and {@link #LENGTH} copies of it, each read once: every copy's hint is
   * the held value's register, which it still holds.
   */
  static RegAllocFunction copiesOfAHeldValue() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    VReg held = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.def(held, REG)));
    for (int i = 0; i < LENGTH; i++) {
      VReg copy = b.newVReg(RegClass.INT);
      b.move(copy, held);
      b.inst("sink", List.of(Operand.use(copy, REG)));
    }
    b.ret(List.of(Operand.use(held, fixed(PReg.intReg(0)))));
    return b.build();
  }

  /**
   * A value defined in the entry block and read only in the block laid out last, and between them a
   * block holding a {@link #chain} that returns: the value is inactive over that block.
   */
  static RegAllocFunction heldOverAHole() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int chain = b.newBlock();
    int reader = b.newBlock();
    VReg held = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("const", List.of(Operand.def(held, REG)));
    b.branch("br", List.of(Operand.use(held, REG)),
        List.of(new VCode.Target(chain, List.of()), new VCode.Target(reader, List.of())));
    b.startBlock(chain, List.of());
    VReg prev = chain(b);
    b.ret(List.of(Operand.use(prev, fixed(PReg.intReg(0)))));
    b.startBlock(reader, List.of());
    b.inst("sink", List.of(Operand.use(held, REG)));
    b.ret(List.of(Operand.use(held, fixed(PReg.intReg(0)))));
    return b.build();
  }

  /**
   * The INT scan of {@code f}, run as {@link RegAllocator#allocate} runs it, in the x86-64-like
   * environment, once the whole allocation of f there has passed the {@link Checker}.
   */
  static LinearScan checkedIntScan(RegAllocFunction f) {
    MachineEnv env = TestEnvs.x64Like();
    return checkedIntScan(f, env, RegAllocator.Analysis.of(f, env));
  }

  /** The INT scan of {@code f} over its analysis {@code a} in {@code env}, checked and run alike. */
  static LinearScan checkedIntScan(RegAllocFunction f, MachineEnv env, RegAllocator.Analysis a) {
    Checker.check(f, env, RegAllocator.allocate(f, env));
    LinearScan scan = readyIntScan(env, a);
    scan.run();
    return scan;
  }

  /** The INT scan over the analysis {@code a} in {@code env}, its pieces added, not run. */
  static LinearScan readyIntScan(MachineEnv env, RegAllocator.Analysis a) {
    LinearScan scan = new LinearScan(RegClass.INT, env, a.ib(), a.landingPadValues(), a.state());
    for (LiveInterval piece : a.ib().intervals) {
      if (piece != null && piece.regClass == RegClass.INT) {
        scan.add(piece);
      }
    }
    return scan;
  }

  @Test
  void activePiecesAreAskedOnlyWhenTheScanLeavesTheirRange() {
    // Eight values stay active over the whole chain: asked at every step, they cost 8 per step.
    LinearScan scan = checkedIntScan(heldAcrossAChain(8));
    assertTrue(scan.activeVisits <= 2L * LENGTH, scan.activeVisits + " active pieces asked over "
        + LENGTH + " steps");
  }

  @Test
  void aHintRegisterTakenWhereAskedLooksUpNoLoop() {
    LinearScan scan = checkedIntScan(copiesOfAHeldValue());
    assertEquals(0, scan.loopEndQuestions, "loop ends looked up for " + LENGTH + " copies");
  }

  @Test
  void aStepAsksTheInactivePiecesOnlyWhenOneResumes() {
    LinearScan scan = checkedIntScan(heldOverAHole());
    assertTrue(scan.inactiveFirstLookups() <= 4, scan.inactiveFirstLookups()
        + " searches for the first inactive piece over " + LENGTH + " steps");
  }

  @Test
  void piecesThatEndWhileActiveAreNotRecorded() {
    LinearScan scan = checkedIntScan(heldAcrossAChain(8));
    // No piece has a hole: none ever becomes inactive, none is evicted, and no question needs the store.
    assertEquals(0, scan.recordedRanges(), "ranges recorded in the occupancy store");
  }

  @Test
  void anEvictionRanksEachActivePieceOnceAndAsksNoLoopBoundOutsideLoops() {
    // Twenty held values in fourteen registers: pieces find none free, and each evicts one.
    LinearScan scan = checkedIntScan(heldAcrossAChain(20));
    int registers = TestEnvs.x64Like().allocatable(RegClass.INT).size();
    assertTrue(scan.blockedAllocations > 0, "the shape runs out of registers");
    assertEquals(registers * scan.blockedAllocations, scan.occupied, "pieces ranked, " + registers
        + " registers each holding one active piece, " + scan.blockedAllocations + " evictions");
    assertEquals(0, scan.loopUseQuestions, "loop use bounds asked outside any loop");
  }

  /**
   * Where the active pieces' ranks already settle an eviction, the registers that rank below the
   * first one ranked in full are not searched: twenty held values in fourteen registers, each held
   * one read at its own place at the end, so the register whose value is read last wins on its
   * active piece alone. One register's blocked ranges searched per eviction; every register's were.
   */
  @Test
  void anEvictionSearchesOnlyTheRegistersThatCanStillWin() {
    LinearScan scan = checkedIntScan(heldAcrossAChain(20));
    assertTrue(scan.blockedAllocations > 0, "the shape runs out of registers");
    assertEquals(scan.blockedAllocations, scan.rankedRegisters, "registers searched in "
        + scan.blockedAllocations + " evictions");
  }
}
