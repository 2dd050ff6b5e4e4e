package dev.kiln.codegen.vcode;

import dev.kiln.codegen.regalloc.BlockEdges;
import dev.kiln.codegen.regalloc.BlockLoops;
import dev.kiln.codegen.regalloc.InstRange;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.OperandConstraint;
import dev.kiln.codegen.regalloc.OperandKind;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.regalloc.RegAllocFunction;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A lowered function: instructions of type {@code I} on virtual registers in blocks that are laid
 * out in emission order, with SSA block parameters and the values each terminator passes. Built
 * block by block through {@link #startBlock}, {@link #add} and one terminator per block ({@link
 * #branch}, {@link #ret}), then sealed with {@link #finish()}; from then on it is the allocator's
 * {@link RegAllocFunction}.
 *
 * @param <I> the ISA's machine instruction
 */
public final class VCode<I extends VCodeInst> implements RegAllocFunction {
  /** A successor and the values passed to its parameters. */
  public record Target(int block, List<VReg> args) {
    public Target {
      args = List.copyOf(args);
    }
  }

  /**
   * The instructions, the first {@link #instCount} of them, in an array grown with {@link #kinds}
   * and {@link #clobbers} (and for their reason): the lowering appends every instruction and the
   * allocator and the emitter read each, where a list made an interface call of each and counted
   * its size and its changes again beside these arrays.
   */
  private VCodeInst[] insts;
  private int instCount;
  private final List<List<VReg>> params = new ArrayList<>();
  /**
   * Each block's instructions, made once, and each instruction's kind: the allocator and the
   * emitter ask for them per pass, per block and per instruction. Arrays rather than lists: the
   * compiler runs under C1, which does not inline a list's interface calls.
   */
  private InstRange[] ranges = new InstRange[16];
  /**
   * Per block, where its instructions end ({@code ranges[block].end()}), in an int array: the
   * emitter's walks over every block read these ({@link #blockStart}, {@link #blockEnd}) in order
   * rather than load each block's range object from wherever the lowering left it in the heap.
   */
  private int[] blockEnds = new int[16];
  private VCodeInst.Kind[] kinds;
  /**
   * Each instruction's clobbers, read from it as it is added: the allocator asks for every
   * instruction's twice (the interval walk, the redundant-move walk), long after lowering made it,
   * and each ask loaded the instruction object again from wherever it lies in the heap (1% of
   * yosys's compile samples), where this array is read in order.
   */
  private PRegSet[] clobbers;
  private int closedBlocks;
  /**
   * The block graph's flat arrays as blocks are filled: per block its first edge ({@code
   * succStart}) and first parameter ({@code paramStart}); per edge its target ({@code succ}) and
   * first argument ({@code argStart}); the arguments and parameters themselves; per block the edges
   * into it ({@code predCount}, at index block + 1). Written while a block's targets and parameters
   * are at hand, so that {@link #finish()} reads int arrays rather than walking every block's target
   * lists and argument lists again, long after they were made (each a few objects apart in memory).
   */
  private int[] succStart = new int[17];
  private int[] paramStart = new int[17];
  private int[] succ = new int[16];
  private int[] argStart = new int[17];
  private VReg[] args = new VReg[16];
  private VReg[] paramArray = new VReg[16];
  private int[] predCount = new int[17];
  private int edgeCount;
  /**
   * The block graph and the values on it in flat arrays, made by {@link #finish()}: what the
   * allocator reads ({@link #blockEdges}). The list views of {@link #blockSuccs} and {@link
   * #blockPreds} are made from it when first asked for (only the allocator's tests and checker ask).
   */
  private BlockEdges edges;
  private List<Integer>[] succLists;
  private List<Integer>[] predLists;
  private int numBlocks;
  private int numVRegs;
  private int openStart = -1;
  /** Per instruction index, its landing block plus one (0: none); grown only by {@link #markLanding}. */
  private int[] landingPlusOne = new int[0];
  /** {@link #knownLoops}: null unless the lowering handed them over ({@link #keepLoops}). */
  private BlockLoops knownLoops;

  /** An empty function. */
  public VCode() {
    this(64);
  }

  /**
   * An empty function with room for {@code expectedInsts} instructions before its lists grow: a
   * lowering passes its IR's instruction count, so a large function is not copied a dozen times as
   * its instructions arrive.
   */
  public VCode(int expectedInsts) {
    insts = new VCodeInst[Math.max(expectedInsts, 1)];
    kinds = new VCodeInst.Kind[insts.length];
    clobbers = new PRegSet[kinds.length];
  }

  public VReg newVReg(RegClass regClass) {
    return new VReg(numVRegs++, regClass);
  }

  /** Numbers a new block; blocks are filled later, in number order. */
  public int newBlock() {
    return numBlocks++;
  }

  /** Opens {@code block}; blocks are filled in number order, which is also the emission order. */
  public void startBlock(int block, List<VReg> blockParams) {
    if (block != params.size() || openStart >= 0) {
      throw new IllegalStateException("blocks are filled in order: expected " + params.size()
          + ", got " + block);
    }
    if (block >= numBlocks) {
      throw new IllegalStateException("block " + block + " was not created with newBlock()");
    }
    if (block == 0) {
      reserveBlocks(numBlocks);
    }
    List<VReg> copied = List.copyOf(blockParams);
    params.add(copied);
    int first = paramStart[block];
    if (block + 2 > paramStart.length) {
      paramStart = Arrays.copyOf(paramStart, 2 * (block + 2));
    }
    if (first + copied.size() > paramArray.length) {
      paramArray = Arrays.copyOf(paramArray, Math.max(2 * paramArray.length, first + copied.size()));
    }
    for (int j = 0; j < copied.size(); j++) {
      paramArray[first + j] = copied.get(j);
    }
    paramStart[block + 1] = first + copied.size();
    openStart = instCount;
  }

  /**
   * Sizes the per-block arrays for {@code blocks} blocks, and the per-edge ones for two edges a
   * block, when the first block is opened: a lowering numbers every block before it fills any, so
   * the block arrays then grow no more, where doubling from 16 copied each about log2(blocks / 16)
   * times per function (1% of yosys's sampled allocation). More edges still grow the edge arrays.
   */
  private void reserveBlocks(int blocks) {
    if (blocks + 1 > succStart.length) {
      succStart = Arrays.copyOf(succStart, blocks + 1);
      paramStart = Arrays.copyOf(paramStart, blocks + 1);
      predCount = Arrays.copyOf(predCount, blocks + 1);
    }
    if (2 * blocks + 1 > argStart.length) {
      argStart = Arrays.copyOf(argStart, 2 * blocks + 1);
      succ = Arrays.copyOf(succ, 2 * blocks + 1);
    }
  }

  /** Appends a non-terminator (PLAIN or MOVE); returns its index. */
  public int add(I inst) {
    if (openStart < 0) {
      throw new IllegalStateException("no open block");
    }
    if (inst.kind() == VCodeInst.Kind.BRANCH || inst.kind() == VCodeInst.Kind.RETURN) {
      throw new IllegalArgumentException("a terminator added as a plain instruction: " + inst);
    }
    if (inst.kind() == VCodeInst.Kind.MOVE) {
      checkMove(inst);
    }
    append(inst);
    return instCount - 1;
  }

  private void append(I inst) {
    if (instCount == insts.length) {
      insts = Arrays.copyOf(insts, insts.length * 2);
      kinds = Arrays.copyOf(kinds, insts.length);
      clobbers = Arrays.copyOf(clobbers, insts.length);
    }
    insts[instCount] = inst;
    kinds[instCount] = inst.kind();
    clobbers[instCount] = inst.clobbers();
    instCount++;
  }

  private static void checkMove(VCodeInst inst) {
    List<Operand> ops = inst.operands();
    if (ops.size() != 2 || ops.get(0).kind() != OperandKind.USE
        || ops.get(1).kind() != OperandKind.DEF
        || !(ops.get(0).constraint() instanceof OperandConstraint.Reg)
        || !(ops.get(1).constraint() instanceof OperandConstraint.Reg)
        || ops.get(0).vreg().regClass() != ops.get(1).vreg().regClass()) {
      throw new IllegalArgumentException("a MOVE reads one REG and defines one REG of its class: "
          + inst);
    }
  }

  /**
   * Records that an exception thrown under call {@code inst} (already added) lands in {@code block},
   * a successor of the call's block ({@link RegAllocFunction#landingBlock}).
   */
  public void markLanding(int inst, int block) {
    if (inst >= landingPlusOne.length) {
      landingPlusOne = Arrays.copyOf(landingPlusOne, Math.max(inst + 1, 2 * landingPlusOne.length));
    }
    landingPlusOne[inst] = block + 1;
  }

  /** Ends the open block with a branch to {@code targets}. */
  public void branch(I inst, List<Target> targets) {
    if (inst.kind() != VCodeInst.Kind.BRANCH || targets.isEmpty()) {
      throw new IllegalArgumentException("a branch needs the BRANCH kind and successors: " + inst);
    }
    close(inst, targets);
  }

  /** Ends the open block with a return (or another exit without successors, such as a trap). */
  public void ret(I inst) {
    if (inst.kind() != VCodeInst.Kind.RETURN) {
      throw new IllegalArgumentException("a return needs the RETURN kind: " + inst);
    }
    close(inst, List.of());
  }

  private void close(I inst, List<Target> targets) {
    if (openStart < 0) {
      throw new IllegalStateException("no open block");
    }
    append(inst);
    if (closedBlocks == ranges.length) {
      ranges = Arrays.copyOf(ranges, ranges.length * 2);
      blockEnds = Arrays.copyOf(blockEnds, ranges.length);
    }
    blockEnds[closedBlocks] = instCount;
    addEdges(closedBlocks, targets);
    ranges[closedBlocks++] = new InstRange(openStart, instCount);
    openStart = -1;
  }

  /** Appends the edges of {@code block}, which is being closed, to the flat arrays. */
  private void addEdges(int block, List<Target> targets) {
    int n = targets.size();
    if (block + 2 > succStart.length) {
      succStart = Arrays.copyOf(succStart, 2 * (block + 2));
    }
    if (edgeCount + n + 1 > argStart.length) {
      int length = Math.max(2 * argStart.length, edgeCount + n + 1);
      argStart = Arrays.copyOf(argStart, length);
      succ = Arrays.copyOf(succ, length);
    }
    for (int k = 0; k < n; k++) {
      Target t = targets.get(k);
      List<VReg> edgeArgs = t.args();
      int e = edgeCount++;
      int first = argStart[e];
      if (first + edgeArgs.size() > args.length) {
        args = Arrays.copyOf(args, Math.max(2 * args.length, first + edgeArgs.size()));
      }
      for (int j = 0; j < edgeArgs.size(); j++) {
        args[first + j] = edgeArgs.get(j);
      }
      argStart[e + 1] = first + edgeArgs.size();
      succ[e] = t.block();
      if (t.block() + 2 > predCount.length) {
        predCount = Arrays.copyOf(predCount, Math.max(2 * predCount.length, t.block() + 2));
      }
      predCount[t.block() + 1]++;
    }
    succStart[block + 1] = edgeCount;
  }

  /** Seals the function: computes predecessors. */
  public VCode<I> finish() {
    if (openStart >= 0 || params.size() != numBlocks) {
      throw new IllegalStateException("every block must be filled and terminated");
    }
    // Flat arrays, filled as the blocks were closed (addEdges): no list or boxed block number per
    // edge, and no second walk over the blocks' target lists here. The allocator reads them, and C1,
    // kiln compile's JIT under 24 MB, inlines no list call.
    int n = numBlocks;
    int[] predStart = Arrays.copyOf(predCount, n + 1);
    for (int b = 0; b < n; b++) {
      predStart[b + 1] += predStart[b];
    }
    int[] pred = new int[edgeCount];
    int[] inEdge = new int[edgeCount];
    int[] filled = Arrays.copyOf(predStart, n);
    // Predecessors in the order their edges come (block, then successor index), as before.
    for (int b = 0; b < n; b++) {
      for (int e = succStart[b]; e < succStart[b + 1]; e++) {
        int s = succ[e];
        pred[filled[s]] = b;
        inEdge[filled[s]++] = e;
      }
    }
    edges = BlockEdges.of(Arrays.copyOf(succStart, n + 1), Arrays.copyOf(succ, edgeCount), predStart, pred,
        inEdge, Arrays.copyOf(argStart, edgeCount + 1), Arrays.copyOf(args, argStart[edgeCount]),
        Arrays.copyOf(paramStart, n + 1), Arrays.copyOf(paramArray, paramStart[n]));
    succLists = newBlockLists(n);
    predLists = newBlockLists(n);
    return this;
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static List<Integer>[] newBlockLists(int blocks) {
    return new List[blocks];
  }


  @SuppressWarnings("unchecked") // append stores only instructions of type I
  public I inst(int i) {
    Objects.checkIndex(i, instCount);
    return (I) insts[i];
  }

  /**
   * The successors of closed block {@code block} with the values passed to each, made from the flat
   * arrays {@link #addEdges} filled: only tests and the allocation checker ask, so no list of targets
   * is kept per block.
   */
  public List<Target> targets(int block) {
    Objects.checkIndex(block, closedBlocks);
    Target[] targets = new Target[succStart[block + 1] - succStart[block]];
    for (int k = 0; k < targets.length; k++) {
      targets[k] = new Target(succ[succStart[block] + k], branchArgs(block, k));
    }
    return List.of(targets);
  }

  @Override
  public int numInsts() {
    return instCount;
  }

  @Override
  public int numBlocks() {
    return params.size();
  }

  @Override
  public int numVRegs() {
    return numVRegs;
  }

  @Override
  public InstRange blockInsts(int block) {
    return ranges[block];
  }

  /**
   * The first instruction of filled block {@code block} ({@code blockInsts(block).first()}): where
   * the block before it ends, as blocks are filled one after another from instruction 0.
   */
  public int blockStart(int block) {
    return block == 0 ? 0 : blockEnds[block - 1];
  }

  /** One past the last instruction of filled block {@code block} ({@code blockInsts(block).end()}). */
  public int blockEnd(int block) {
    return blockEnds[block];
  }

  @Override
  public List<Integer> blockSuccs(int block) {
    return blockList(succLists, block, true);
  }

  @Override
  public List<Integer> blockPreds(int block) {
    return blockList(predLists, block, false);
  }

  /** {@code block}'s successors or predecessors as a list, made from the flat arrays when first asked. */
  private List<Integer> blockList(List<Integer>[] made, int block, boolean successors) {
    BlockEdges e = finished();
    if (made[block] == null) {
      Integer[] boxed = new Integer[successors ? e.successorCount(block) : e.predecessorCount(block)];
      for (int k = 0; k < boxed.length; k++) {
        boxed[k] = successors ? e.successor(block, k) : e.predecessor(block, k);
      }
      made[block] = List.of(boxed);
    }
    return made[block];
  }

  @Override
  public int predEdgeIndex(int block, int predIndex) {
    return finished().predEdgeIndex(block, predIndex);
  }

  @Override
  public BlockEdges blockEdges() {
    return finished();
  }

  private BlockEdges finished() {
    if (edges == null) {
      throw new IllegalStateException("call finish() first");
    }
    return edges;
  }

  @Override
  public List<VReg> blockParams(int block) {
    return params.get(block);
  }

  @Override
  public List<VReg> branchArgs(int block, int succIndex) {
    Objects.checkIndex(block, closedBlocks);
    int e = succStart[block] + Objects.checkIndex(succIndex, succStart[block + 1] - succStart[block]);
    return List.of(Arrays.copyOfRange(args, argStart[e], argStart[e + 1]));
  }

  @Override
  public boolean isReturn(int inst) {
    return kinds[inst] == VCodeInst.Kind.RETURN;
  }

  @Override
  public boolean isBranch(int inst) {
    return kinds[inst] == VCodeInst.Kind.BRANCH;
  }

  @Override
  public List<Operand> instOperands(int inst) {
    Objects.checkIndex(inst, instCount);
    return insts[inst].operands();
  }

  @Override
  public PRegSet instClobbers(int inst) {
    return clobbers[inst];
  }

  @Override
  public boolean isMove(int inst) {
    return kinds[inst] == VCodeInst.Kind.MOVE;
  }

  @Override
  public int landingBlock(int inst) {
    return inst < landingPlusOne.length ? landingPlusOne[inst] - 1 : -1;
  }

  /** Keeps {@code loops}, the natural loops of this code's blocks, for the allocator ({@link #knownLoops}). */
  public void keepLoops(BlockLoops loops) {
    knownLoops = loops;
  }

  @Override
  public BlockLoops knownLoops() {
    return knownLoops;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int b = 0; b < numBlocks(); b++) {
      sb.append("block").append(b).append(params.get(b)).append('\n');
      InstRange r = ranges[b];
      for (int i = r.first(); i < r.end(); i++) {
        sb.append("  ").append(i).append(": ").append(insts[i]);
        if (i == r.last()) {
          for (Target t : targets(b)) {
            sb.append(" -> block").append(t.block()).append(t.args());
          }
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
