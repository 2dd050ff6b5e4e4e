package dev.kiln.codegen.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.SourceMapping;
import dev.kiln.ir.InlineSite;
import dev.kiln.codegen.TrapSite;
import dev.kiln.codegen.regalloc.Allocation;
import dev.kiln.codegen.regalloc.Edit;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.OperandConstraint;
import dev.kiln.codegen.regalloc.MoveCounts;
import dev.kiln.codegen.regalloc.PReg;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.regalloc.ProgPoint;
import dev.kiln.codegen.regalloc.RegAllocOutput;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.SpillSlot;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.vcode.VCodeInst;
import dev.kiln.ir.TrapCode;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The emission walk with a toy ISA that writes one byte per instruction or move and logs what it
 * was asked to encode: the order of edits around instructions, the dropped coalesced copies and
 * edits, and the source map are checked against a hand-made allocation.
 */
class FunctionEmissionTest {
  record ToyInst(String name, Kind kind, List<Operand> operands, int sourceLoc, int inlineSite)
      implements VCodeInst {
    ToyInst(String name, Kind kind, List<Operand> operands, int sourceLoc) {
      this(name, kind, operands, sourceLoc, InlineSite.NONE);
    }

    @Override
    public PRegSet clobbers() {
      return PRegSet.EMPTY;
    }
  }

  static final class ToyEmission extends FunctionEmission<ToyInst> {
    final List<String> log = new ArrayList<>();

    ToyEmission(VCode<ToyInst> vc, RegAllocOutput out) {
      this(vc, out, true);
    }

    /** With {@code islands}, as AArch64 code; without, as x86-64's. */
    ToyEmission(VCode<ToyInst> vc, RegAllocOutput out, boolean islands) {
      // The toy makes no jump tables.
      super(vc, out, new CodeLayout(dev.kiln.artifact.Target.X86_64, null, 0, false, islands));
    }

    @Override
    protected void emitNops(dev.kiln.codegen.CodeBuffer into, int bytes) {
      log.add(bytes + " bytes of nops at " + into.offset());
      for (int i = 0; i < bytes; i++) {
        into.put8(0x90);
      }
    }

    @Override
    protected void emitInst(ToyInst inst, List<Allocation> allocations) {
      log.add(inst.name() + " " + allocations + " in block " + currentBlock() + " falls into 1 "
          + fallsThroughTo(1));
      if (inst.name().startsWith("trap")) {
        // A conditional trap: its branch to the site is this instruction's byte.
        trapSiteLabel(TrapCode.HEAP_OUT_OF_BOUNDS, 7);
      }
      buf.put8(0x90);
    }

    /** A two-byte "call": the return address is the byte after it. */
    @Override
    protected int emitTrapSiteCall(dev.kiln.codegen.Label tail) {
      log.add("site call at " + buf.offset());
      buf.put8(0xE8);
      buf.put8(0x00);
      return buf.offset();
    }

    @Override
    protected void emitTrapTail(TrapCode code, int vmctx) {
      log.add("tail " + code + " vmctx " + vmctx + " at " + buf.offset());
      buf.put8(0xCC);
    }

    @Override
    protected void move(Edit edit) {
      log.add("move " + edit.from() + " -> " + edit.to());
      buf.put8(0xEE);
    }

    @Override
    protected void emitJump(dev.kiln.codegen.Label label) {
      throw new UnsupportedOperationException("the toy's fields reach everything: it needs no islands");
    }

    CompiledFunction run() {
      emitBlocks();
      emitTrapSites();
      return finish();
    }
  }

  private static final PReg R0 = PReg.intReg(0);
  private static final PReg R1 = PReg.intReg(1);
  private static final SpillSlot S0 = new SpillSlot(RegClass.INT, 0);

  @Test
  void walksBlocksPlacingEditsDroppingCoalescedCopiesAndMappingSources() {
    VCode<ToyInst> vc = new VCode<>();
    int b0 = vc.newBlock();
    int b1 = vc.newBlock();
    VReg v0 = vc.newVReg(RegClass.INT);
    VReg v1 = vc.newVReg(RegClass.INT);
    VReg v2 = vc.newVReg(RegClass.INT);
    vc.startBlock(b0, List.of());
    vc.add(new ToyInst("def", VCodeInst.Kind.PLAIN,
        List.of(Operand.def(v0, OperandConstraint.REG)), 10));
    vc.add(new ToyInst("copy", VCodeInst.Kind.MOVE, List.of(Operand.use(v0, OperandConstraint.REG),
        Operand.def(v1, OperandConstraint.REG)), 10));
    vc.add(new ToyInst("copy", VCodeInst.Kind.MOVE, List.of(Operand.use(v1, OperandConstraint.REG),
        Operand.def(v2, OperandConstraint.REG)), 12));
    vc.branch(new ToyInst("jump", VCodeInst.Kind.BRANCH, List.of(), 12),
        List.of(new VCode.Target(b1, List.of())));
    vc.startBlock(b1, List.of());
    vc.ret(new ToyInst("ret", VCodeInst.Kind.RETURN,
        List.of(Operand.use(v2, OperandConstraint.REG)), -1));
    vc = vc.finish();
    RegAllocOutput out = new RegAllocOutput(
        List.of(List.of(R0), List.of(R0, R0), List.of(R0, R1), List.of(), List.of(R0)),
        List.of(new Edit(ProgPoint.after(0), R0, S0),
            new Edit(ProgPoint.before(2), R1, R1),
            new Edit(ProgPoint.before(4), R1, R0)),
        Map.of(RegClass.INT, 1), PRegSet.EMPTY, NO_LOOPS, new RegAllocOutput.Stats(3, 0, 1, 1, 3, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));

    ToyEmission emission = new ToyEmission(vc, out);
    CompiledFunction f = emission.run();

    assertEquals(List.of(
        "def [p0] in block 0 falls into 1 true",
        "move p0 -> " + S0,
        "copy [p0, p1] in block 0 falls into 1 true",
        "jump [] in block 0 falls into 1 true",
        "move p1 -> p0",
        "ret [p0] in block 1 falls into 1 false"), emission.log);
    assertEquals(6, f.size());
    // Offsets where the wasm offset changes: 10 at the first byte, 12 at the kept copy (byte 2,
    // after def and the spill); the elided copy at 10 and the return without a location add none.
    assertEquals(List.of(new SourceMapping(0, 10), new SourceMapping(2, 12)), f.sourceMap());
  }

  /**
   * An island may go before each instruction and each allocator move, and is asked for once at each
   * such point: counted, not timed, a block of 1,000 instructions without moves asks 1,002 times
   * (once at the block, once per instruction and the return; 2,003 before, twice per instruction),
   * and a move before an instruction adds one question, before the instruction after it. Code laid
   * out without islands (x86-64's) asks none.
   */
  @Test
  void anIslandIsAskedForOncePerInstructionAndMove() {
    int length = 1_000;
    VCode<ToyInst> vc = new VCode<>();
    int b0 = vc.newBlock();
    vc.startBlock(b0, List.of());
    List<List<Allocation>> allocations = new ArrayList<>();
    for (int i = 0; i < length; i++) {
      vc.add(new ToyInst("nop", VCodeInst.Kind.PLAIN, List.of(), 10));
      allocations.add(List.of());
    }
    vc.ret(new ToyInst("ret", VCodeInst.Kind.RETURN, List.of(), -1));
    allocations.add(List.of());
    vc = vc.finish();
    RegAllocOutput withoutMoves = new RegAllocOutput(allocations, List.of(), Map.of(), PRegSet.EMPTY,
        NO_LOOPS, new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    ToyEmission plain = new ToyEmission(vc, withoutMoves);
    plain.run();
    assertEquals(length + 2, plain.islandChecks, "the block, each instruction and the return");

    RegAllocOutput withMoves = new RegAllocOutput(allocations,
        List.of(new Edit(ProgPoint.before(5), R0, R1), new Edit(ProgPoint.after(5), R1, R0)),
        Map.of(), PRegSet.EMPTY, NO_LOOPS,
        new RegAllocOutput.Stats(0, 0, 0, 0, 2, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    ToyEmission moved = new ToyEmission(vc, withMoves);
    moved.run();
    assertEquals(length + 4, moved.islandChecks, "one more before the instruction after a move, one before a move after it");

    ToyEmission withoutIslands = new ToyEmission(vc, withMoves, false);
    withoutIslands.run();
    assertEquals(0, withoutIslands.islandChecks, "code whose uses all reach (x86-64's) asks at no point");
    assertEquals(moved.log, withoutIslands.log);
  }

  /**
   * Three conditional traps of one reason, two of them in the wasm instruction at 20: two sites,
   * each its own call mapped to its instruction's offset and recorded as a trap site, and one tail
   * both call. A single shared block would put every trap at the offset of the code before it (the
   * return at 30).
   */
  @Test
  void eachTrappingInstructionGetsASiteMappedToItsOffset() {
    VCode<ToyInst> vc = new VCode<>();
    int b0 = vc.newBlock();
    vc.startBlock(b0, List.of());
    vc.add(new ToyInst("trap a", VCodeInst.Kind.PLAIN, List.of(), 10));
    vc.add(new ToyInst("trap b", VCodeInst.Kind.PLAIN, List.of(), 20));
    vc.add(new ToyInst("trap c", VCodeInst.Kind.PLAIN, List.of(), 20));
    vc.ret(new ToyInst("ret", VCodeInst.Kind.RETURN, List.of(), 30));
    vc = vc.finish();
    RegAllocOutput out = new RegAllocOutput(List.of(List.of(), List.of(), List.of(), List.of()),
        List.of(), Map.of(), PRegSet.EMPTY, NO_LOOPS, new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    ToyEmission emission = new ToyEmission(vc, out);
    CompiledFunction f = emission.run();

    assertEquals(List.of("site call at 4", "site call at 6", "tail HEAP_OUT_OF_BOUNDS vmctx 7 at 8"),
        emission.log.subList(4, emission.log.size()));
    int oob = FunctionEmission.artifactCode(TrapCode.HEAP_OUT_OF_BOUNDS).code();
    assertEquals(List.of(new TrapSite(6, oob), new TrapSite(8, oob)), f.trapSites());
    // A return address minus one lies in its site's call: offset 5 maps to 10, offset 7 to 20.
    assertEquals(List.of(new SourceMapping(0, 10), new SourceMapping(1, 20), new SourceMapping(3, 30),
        new SourceMapping(4, 10), new SourceMapping(6, 20)), f.sourceMap());
  }

  /**
   * The same wasm offset in the function's own body and in an inlined callee (offsets of two
   * functions of one module never coincide, but two inlined copies of one callee share them): each
   * change of inline site starts an address map entry, and each site's trap gets its own call.
   */
  @Test
  void anInlineSiteChangeStartsAnEntryAndATrapSite() {
    VCode<ToyInst> vc = new VCode<>();
    int b0 = vc.newBlock();
    vc.startBlock(b0, List.of());
    vc.add(new ToyInst("trap a", VCodeInst.Kind.PLAIN, List.of(), 20, 0));
    vc.add(new ToyInst("trap b", VCodeInst.Kind.PLAIN, List.of(), 20, 1));
    vc.ret(new ToyInst("ret", VCodeInst.Kind.RETURN, List.of(), 30));
    vc = vc.finish();
    RegAllocOutput out = new RegAllocOutput(List.of(List.of(), List.of(), List.of()),
        List.of(), Map.of(), PRegSet.EMPTY, NO_LOOPS, new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    CompiledFunction f = new ToyEmission(vc, out).run();

    assertEquals(2, f.trapSites().size());
    assertEquals(List.of(new SourceMapping(0, 20, 0), new SourceMapping(1, 20, 1), new SourceMapping(2, 30),
        new SourceMapping(3, 20, 0), new SourceMapping(5, 20, 1)), f.sourceMap());
  }

  @Test
  void blockLabelsAreBoundAtTheirBlocks() {
    VCode<ToyInst> vc = new VCode<>();
    int b0 = vc.newBlock();
    int b1 = vc.newBlock();
    vc.startBlock(b0, List.of());
    vc.add(new ToyInst("nop", VCodeInst.Kind.PLAIN, List.of(), 1));
    vc.branch(new ToyInst("jump", VCodeInst.Kind.BRANCH, List.of(), 1),
        List.of(new VCode.Target(b1, List.of())));
    vc.startBlock(b1, List.of());
    vc.ret(new ToyInst("ret", VCodeInst.Kind.RETURN, List.of(), 2));
    vc = vc.finish();
    RegAllocOutput out = new RegAllocOutput(List.of(List.of(), List.of(), List.of()), List.of(),
        Map.of(), PRegSet.EMPTY, NO_LOOPS, new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    ToyEmission emission = new ToyEmission(vc, out);
    emission.run();
    assertEquals(2, emission.buf.labelOffset(emission.blockLabel(1)));
  }

  /** A branch to block 1, a lone jump to block 3, or to block 2; blocks 2 and 3 return. */
  private static VCode<ToyInst> branchToALoneJump() {
    VCode<ToyInst> vc = new VCode<>();
    int[] b = {vc.newBlock(), vc.newBlock(), vc.newBlock(), vc.newBlock()};
    vc.startBlock(b[0], List.of());
    vc.branch(new ToyInst("brif", VCodeInst.Kind.BRANCH, List.of(), 1),
        List.of(new VCode.Target(b[1], List.of()), new VCode.Target(b[2], List.of())));
    vc.startBlock(b[1], List.of());
    vc.branch(new ToyInst("jump", VCodeInst.Kind.BRANCH, List.of(), 2),
        List.of(new VCode.Target(b[3], List.of())));
    vc.startBlock(b[2], List.of());
    vc.ret(new ToyInst("ret", VCodeInst.Kind.RETURN, List.of(), 3));
    vc.startBlock(b[3], List.of());
    vc.ret(new ToyInst("ret", VCodeInst.Kind.RETURN, List.of(), 4));
    return vc.finish();
  }

  /**
   * Blocks 0 (two-way branch to 1 and 2), 1 (only a jump to 3), 2 and 3 (returns): block 1 emits
   * nothing and its label is block 3's, so block 0 does not fall into it (block 2 comes next) and
   * block 2 does (block 3 comes next).
   */
  @Test
  void emptyJumpBlocksForwardToTheirDestination() {
    VCode<ToyInst> vc = branchToALoneJump();
    RegAllocOutput out = new RegAllocOutput(List.of(List.of(), List.of(), List.of(), List.of()),
        List.of(), Map.of(), PRegSet.EMPTY, NO_LOOPS, new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    ToyEmission emission = new ToyEmission(vc, out);
    emission.run();
    assertEquals(List.of("brif [] in block 0 falls into 1 false", "ret [] in block 2 falls into 1 true",
        "ret [] in block 3 falls into 1 false"), emission.log);
    assertEquals(2, emission.buf.labelOffset(emission.blockLabel(1)));
    assertEquals(emission.blockLabel(3), emission.blockLabel(1));
  }

  /**
   * A lone jump the allocator put a move before is no empty block (the move after the branch ahead of
   * it is not the jump's).
   */
  @Test
  void aJumpBlockWithAMoveIsKept() {
    VCode<ToyInst> vc = branchToALoneJump();
    RegAllocOutput out = new RegAllocOutput(List.of(List.of(), List.of(), List.of(), List.of()),
        List.of(new Edit(ProgPoint.after(0), R0, R1), new Edit(ProgPoint.before(1), R1, R0)), Map.of(),
        PRegSet.EMPTY, NO_LOOPS,
        new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    ToyEmission emission = new ToyEmission(vc, out);
    emission.run();
    assertEquals(List.of("brif [] in block 0 falls into 1 true", "jump [] in block 1 falls into 1 false",
        "ret [] in block 2 falls into 1 false", "ret [] in block 3 falls into 1 false"),
        emission.log.stream().filter(line -> !line.startsWith("move")).toList());
    assertNotEquals(emission.blockLabel(3), emission.blockLabel(1));
  }

  /**
   * Whether a lone jump has a move is a binary search of the sorted edits, not a walk of them: about
   * log2 reads of 1,000 edits, where marking each edit's instruction read all 1,000.
   */
  @Test
  void findingTheEditsAtAnInstructionReadsLogarithmicallyMany() {
    List<Edit> sorted = new ArrayList<>();
    for (int i = 0; i < 1_000; i++) {
      sorted.add(new Edit(ProgPoint.before(2 * i), R0, R1));
    }
    int[] reads = {0};
    List<Edit> counted = new java.util.AbstractList<>() {
      @Override
      public Edit get(int index) {
        reads[0]++;
        return sorted.get(index);
      }

      @Override
      public int size() {
        return sorted.size();
      }
    };
    assertEquals(300, FunctionEmission.firstEditAtOrAfter(counted, 0, 600));
    assertEquals(301, FunctionEmission.firstEditAtOrAfter(counted, 300, 601));
    assertEquals(1_000, FunctionEmission.firstEditAtOrAfter(counted, 301, 5_000));
    assertTrue(reads[0] <= 3 * 11, reads[0] + " reads");
  }

  /** An empty endless loop (block 1 jumping to itself) keeps its jump: it has nowhere to forward. */
  @Test
  void anEmptySelfLoopIsEmitted() {
    VCode<ToyInst> vc = new VCode<>();
    int b0 = vc.newBlock();
    int b1 = vc.newBlock();
    vc.startBlock(b0, List.of());
    vc.add(new ToyInst("nop", VCodeInst.Kind.PLAIN, List.of(), 1));
    vc.branch(new ToyInst("jump", VCodeInst.Kind.BRANCH, List.of(), 1),
        List.of(new VCode.Target(b1, List.of())));
    vc.startBlock(b1, List.of());
    vc.branch(new ToyInst("jump", VCodeInst.Kind.BRANCH, List.of(), 2),
        List.of(new VCode.Target(b1, List.of())));
    vc = vc.finish();
    RegAllocOutput out = new RegAllocOutput(List.of(List.of(), List.of(), List.of()), List.of(),
        Map.of(), PRegSet.EMPTY, headers(1), new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    ToyEmission emission = new ToyEmission(vc, out);
    emission.run();
    // The loop's header, block 1, starts at the next 32-byte boundary (x86-64's code alignment).
    assertEquals(List.of("nop [] in block 0 falls into 1 true", "jump [] in block 0 falls into 1 true",
        "30 bytes of nops at 2", "jump [] in block 1 falls into 1 false"), emission.log);
    assertEquals(32, emission.buf.labelOffset(emission.blockLabel(1)));
  }

  /**
   * Only a block some later block branches back to is aligned: a forward branch target is not, and
   * a header that is already on a boundary gets no padding.
   */
  @Test
  void loopHeadersAndOnlyThemStartOnTheCodeAlignment() {
    VCode<ToyInst> vc = new VCode<>();
    int b0 = vc.newBlock();
    int b1 = vc.newBlock();
    int b2 = vc.newBlock();
    vc.startBlock(b0, List.of());
    vc.add(new ToyInst("nop", VCodeInst.Kind.PLAIN, List.of(), 1));
    vc.branch(new ToyInst("brif", VCodeInst.Kind.BRANCH, List.of(), 1),
        List.of(new VCode.Target(b1, List.of()), new VCode.Target(b2, List.of())));
    vc.startBlock(b1, List.of());
    vc.add(new ToyInst("nop", VCodeInst.Kind.PLAIN, List.of(), 2));
    vc.branch(new ToyInst("brif", VCodeInst.Kind.BRANCH, List.of(), 2),
        List.of(new VCode.Target(b1, List.of()), new VCode.Target(b2, List.of())));
    vc.startBlock(b2, List.of());
    vc.ret(new ToyInst("ret", VCodeInst.Kind.RETURN, List.of(), 3));
    vc = vc.finish();
    RegAllocOutput out = new RegAllocOutput(List.of(List.of(), List.of(), List.of(), List.of(), List.of()),
        List.of(), Map.of(), PRegSet.EMPTY, headers(1), new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    ToyEmission emission = new ToyEmission(vc, out);
    emission.run();
    assertEquals(32, emission.buf.labelOffset(emission.blockLabel(1)));
    assertEquals(34, emission.buf.labelOffset(emission.blockLabel(2)));
    assertEquals(1, emission.log.stream().filter(l -> l.contains("bytes of nops")).count(), emission.log.toString());
  }

  /**
   * A join that a block laid out after it jumps back to, as an allocation's cold slow path or a
   * lazy table slot's initialisation does, is a backward branch's target but heads no loop: it is
   * not padded, so no no-ops run on the hot path that falls into it.
   */
  @Test
  void aJoinThatAColdBlockJumpsBackToIsNotPadded() {
    VCode<ToyInst> vc = new VCode<>();
    int b0 = vc.newBlock();
    int join = vc.newBlock();
    int cold = vc.newBlock();
    vc.startBlock(b0, List.of());
    vc.add(new ToyInst("nop", VCodeInst.Kind.PLAIN, List.of(), 1));
    vc.branch(new ToyInst("brif", VCodeInst.Kind.BRANCH, List.of(), 1),
        List.of(new VCode.Target(cold, List.of()), new VCode.Target(join, List.of())));
    vc.startBlock(join, List.of());
    vc.ret(new ToyInst("ret", VCodeInst.Kind.RETURN, List.of(), 2));
    vc.startBlock(cold, List.of());
    vc.add(new ToyInst("slow", VCodeInst.Kind.PLAIN, List.of(), 3));
    vc.branch(new ToyInst("jump", VCodeInst.Kind.BRANCH, List.of(), 3),
        List.of(new VCode.Target(join, List.of())));
    vc = vc.finish();
    RegAllocOutput out = new RegAllocOutput(List.of(List.of(), List.of(), List.of(), List.of(), List.of()),
        List.of(), Map.of(), PRegSet.EMPTY, NO_LOOPS, new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    ToyEmission emission = new ToyEmission(vc, out);
    emission.run();
    assertEquals(0, emission.log.stream().filter(l -> l.contains("bytes of nops")).count(), emission.log.toString());
    assertEquals(2, emission.buf.labelOffset(emission.blockLabel(join)));
  }

  private static final BitSet NO_LOOPS = new BitSet();

  private static BitSet headers(int... blocks) {
    BitSet headers = new BitSet();
    for (int b : blocks) {
      headers.set(b);
    }
    return headers;
  }

  @Test
  void savedRegistersAreTheWrittenCalleeSavedOnesInConventionOrder() {
    RegAllocOutput out = new RegAllocOutput(List.of(), List.of(), Map.of(),
        PRegSet.of(PReg.intReg(21), PReg.intReg(19)), NO_LOOPS, new RegAllocOutput.Stats(0, 0, 0, 0, 0, MoveCounts.NONE, 0, 0, 0, 0, 0, 0, 0, 0, 0));
    assertEquals(List.of(19, 21),
        FunctionEmission.savedRegisters(out, List.of(19, 20, 21, 22), PReg::intReg));
  }

  @Test
  void artifactTrapCodeHasTheSameName() {
    for (TrapCode c : TrapCode.values()) {
      assertEquals(c.name(), FunctionEmission.artifactCode(c).name());
    }
  }
}
