package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Resolution hands {@link ParallelMoves} only the groups of moves that need ordering: a program
 * point with one move (not slot to slot) is that move. Counted ({@link Resolution#sequentialized}),
 * not timed: each of the values below needs one move at a point of its own, and every such point was
 * sequentialized. And the spill-store analysis ({@link SlotHolding}) of a function without a spilled
 * value computes no block, where its rounds computed every block. The walks over the pieces for split
 * moves and edge crossings read only the piece lists of vregs that were split or spilled, where they
 * read every vreg's, and the spill-store analysis visits only the spilled vregs.
 */
class ResolutionWorkTest {
  private static final int VALUES = 100;

  /** Values each read in two different fixed registers: at least one read needs a move into its register. */
  static RegAllocFunction readInTwoFixedRegisters() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    for (int i = 0; i < VALUES; i++) {
      VReg v = b.newVReg(RegClass.INT);
      b.inst("const", List.of(Operand.def(v, REG)));
      b.inst("out", List.of(Operand.use(v, fixed(PReg.intReg(7)))));
      b.inst("out", List.of(Operand.use(v, fixed(PReg.intReg(6)))));
    }
    b.ret(List.of());
    return b.build();
  }

  /** A {@link ScanWorkTest#chain} and one value held across a call that clobbers {@code clobbers}. */
  static RegAllocFunction chainAndAValueAcrossACall(PRegSet clobbers) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    VReg held = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.def(held, REG)));
    VReg last = ScanWorkTest.chain(b);
    b.inst("use", List.of(Operand.use(last, REG)));
    b.inst("call", List.of(), clobbers);
    b.inst("use", List.of(Operand.use(held, REG)));
    b.ret(List.of());
    return b.build();
  }

  /**
   * One value read after each of {@code calls} calls that clobber {@code clobbers}, each call in a
   * block of its own (as a call with a landing pad ends its block).
   */
  static RegAllocFunction aValueReadAfterEachOfManyCalls(int calls, PRegSet clobbers) {
    FunctionBuilder b = new FunctionBuilder();
    int block = b.newBlock();
    b.startBlock(block, List.of());
    VReg held = b.newVReg(RegClass.INT);
    b.inst("const", List.of(Operand.def(held, REG)));
    for (int i = 0; i < calls; i++) {
      int next = b.newBlock();
      b.jump(next, List.of());
      b.startBlock(next, List.of());
      b.inst("call", List.of(), clobbers);
      b.inst("use", List.of(Operand.use(held, REG)));
    }
    b.ret(List.of());
    return b.build();
  }

  /**
   * A value stored before each of n calls and reloaded after it has n facts of its slot, and each
   * store inside a block asks whether the slot holds the value already, past the dataflow's bound
   * ({@code SlotHolding.MAX_SET_WORDS}; n try_tables of two calls) from the facts alone: a walk over
   * every fact for each question was n^2 reads (74% of the CPU of 32,000 such try_tables); a binary
   * search of the facts in instruction order reads a logarithm. Asked n times in the definition's
   * block, before any fact, at 500 and 2,000 calls: at most 6x (n log n is 5x; 16x before).
   */
  @Test
  void theSlotsFactsAreSearchedInLogarithmicReads() {
    long small = slotFactsRead(500);
    long large = slotFactsRead(2_000);
    assertTrue(large <= 6 * small, small + " facts read at 500 calls, " + large + " at 2,000");
  }

  private static long slotFactsRead(int calls) {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = aValueReadAfterEachOfManyCalls(calls, LocateWorkTest.allIntRegisters(env));
    RegAllocator.Analysis a = scanned(f, env);
    SlotHolding holding = slotHolding(f, a);
    int held = 0; // the value, the function's first vreg, spilled across the calls
    for (int block = f.numBlocks() - 1; block > 0; block--) { // noted out of order, as resolution does
      holding.note(held, f.blockInsts(block).first());
    }
    holding.solve();
    for (int i = 0; i < calls; i++) {
      assertFalse(holding.holdsBefore(held, 1), "held before any fact");
    }
    return holding.factsRead;
  }

  @Test
  void onlySplitOrSpilledVregsPieceListsAreWalked() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = chainAndAValueAcrossACall(LocateWorkTest.allIntRegisters(env));
    RegAllocator.Analysis a = scanned(f, env);
    assertTrue(a.state().splits > 0, "the held value is split around the call");
    a.state().shareSlots();
    Resolution res = new Resolution(f, env, a.live(), a.ib(), a.state(), a.edges());
    res.operandAllocations();
    res.edits();
    // The held value's, not the chain's.
    assertEquals(1, res.vregsWalked);
    assertEquals(1, new EdgeCrossings(f, a.live(), a.state(), a.edges()).vregsRead);
    // And the spill-store analysis makes its sets from the one spilled vreg, not a look at every vreg.
    SlotHolding holding = slotHolding(f, a);
    holding.solve();
    assertEquals(1, holding.vregsVisited);
  }

  /**
   * The analysis of {@code f}, an INT-only function, with its scan run as {@link RegAllocator#allocate}
   * runs it, once the whole allocation of f has passed the {@link Checker}: what resolution starts from.
   */
  static RegAllocator.Analysis scanned(RegAllocFunction f, MachineEnv env) {
    RegAllocator.Analysis a = RegAllocator.Analysis.of(f, env);
    ScanWorkTest.checkedIntScan(f, env, a);
    return a;
  }

  /** {@link #readInTwoFixedRegisters} resolved: its resolution and the moves it made. */
  private record Resolved(Resolution res, List<Edit> edits) {
    static Resolved readsInTwoFixedRegisters() {
      MachineEnv env = TestEnvs.x64Like();
      RegAllocFunction f = readInTwoFixedRegisters();
      RegAllocator.Analysis a = scanned(f, env);
      a.state().shareSlots();
      Resolution res = new Resolution(f, env, a.live(), a.ib(), a.state(), a.edges());
      res.operandAllocations();
      List<Edit> edits = res.edits();
      assertTrue(edits.size() >= VALUES, edits.size() + " moves");
      return new Resolved(res, edits);
    }
  }

  @Test
  void aPointWithOneMoveIsNotSequentialized() {
    assertEquals(0, Resolved.readsInTwoFixedRegisters().res().sequentialized, "groups sequentialized");
  }

  /**
   * Resolution orders its moves by instruction in a counting pass, then each instruction's few by a
   * comparison sort ({@link Resolution#longestSorted}): one sort of every move the function gathered
   * took all of them, a hundred here.
   */
  @Test
  void movesAreSortedByInstructionThenEachInstructionsFew() {
    Resolved resolved = Resolved.readsInTwoFixedRegisters();
    List<Edit> edits = resolved.edits();
    for (int k = 1; k < edits.size(); k++) {
      assertTrue(edits.get(k - 1).point().compareTo(edits.get(k).point()) <= 0, "in point order at " + k);
    }
    int longest = resolved.res().longestSorted;
    assertTrue(longest <= 2, longest + " moves in one comparison sort");
  }

  /**
   * The slot-holding dataflow finds its stale blocks by their bits: a round reads a word per stale
   * block and the words between them. Down a chain of diamonds every block is computed in the first
   * round and none in the second (its last, which only confirms nothing changed); the scan of every
   * block in each round looked at twice the blocks.
   */
  @Test
  void theSlotHoldingRoundsFindTheirStaleBlocksByTheirBits() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = EdgeCrossingSearchesTest.valuesAcrossCallingDiamonds(TestEnvs.callerSaved(env));
    RegAllocator.Analysis a = scanned(f, env);
    SlotHolding holding = slotHolding(f, a);
    holding.solve();
    assertTrue(a.state().spilledVRegCount() > 0, "spilled values");
    assertEquals(f.numBlocks(), holding.blockVisits, "blocks computed");
    long words = (f.numBlocks() + 63) / 64;
    assertEquals(f.numBlocks() + 1 + words, holding.staleWordsRead,
        "a word per block computed, one to find none after the last, and each word in the last round");
  }

  /**
   * The slot-holding dataflow's four sets (generated, killed, held in, held out) are an array each
   * for all the blocks: an array per block and set allocated four headers and four references per
   * block besides the bits. Here 5,440 bytes for the 92 blocks (the edges' facts and the rounds'
   * bits besides the sets), where an array per block and set came to about 12,800.
   */
  @Test
  void theSlotHoldingSetsAreAnArrayEachForAllBlocks() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = EdgeCrossingSearchesTest.valuesAcrossCallingDiamonds(TestEnvs.callerSaved(env));
    RegAllocator.Analysis a = scanned(f, env);
    SlotHolding holding = slotHolding(f, a);
    assertTrue(a.state().spilledVRegCount() <= 64, "one word of bits per set");
    long bytes = AllocatedBytes.fewest(holding::solve);
    assertTrue(bytes <= 80L * f.numBlocks(), bytes + " bytes for " + f.numBlocks() + " blocks");
  }

  @Test
  void withoutASpilledValueTheSlotHoldingDataflowRunsNoRound() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = ScanWorkTest.heldOverAHole();
    RegAllocator.Analysis a = scanned(f, env);
    SlotHolding holding = slotHolding(f, a);
    holding.solve();
    assertEquals(0, a.state().spilledVRegCount(), "spilled values");
    assertEquals(0, holding.blockVisits, "blocks computed for " + f.numBlocks() + " blocks");
  }

  /**
   * Without a spilled value (most functions) the spill-store analysis makes no table per vreg: 128
   * bytes for the 409 vregs here (the object and its counters), where their bits, facts and fact
   * counts took 5,056.
   */
  @Test
  void withoutASpilledValueTheSlotHoldingMakesNoTablePerVreg() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = ScanWorkTest.heldAcrossAChain(8);
    RegAllocator.Analysis a = scanned(f, env);
    assertEquals(0, a.state().spilledVRegCount(), "spilled values");
    EdgeCrossings crossings = new EdgeCrossings(f, a.live(), a.state(), a.edges());
    SlotHolding[] made = new SlotHolding[1];
    long bytes = AllocatedBytes.fewest(() -> made[0] = new SlotHolding(f, a.state(), crossings, a.edges()));
    assertTrue(bytes <= 128, bytes + " bytes for " + f.numVRegs() + " vregs");
  }

  /** The slot-holding dataflow of {@code f}, analysed and scanned as {@code a}, not yet solved. */
  private static SlotHolding slotHolding(RegAllocFunction f, RegAllocator.Analysis a) {
    return new SlotHolding(f, a.state(), new EdgeCrossings(f, a.live(), a.state(), a.edges()), a.edges());
  }
}
