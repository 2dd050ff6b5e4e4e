package dev.kiln.codegen.regalloc;

import java.util.List;

/**
 * The allocator's view of a lowered function (regalloc2's {@code Function} trait): machine
 * instructions on virtual registers, grouped in blocks, with SSA block parameters. The lowering's
 * VCode container ({@code dev.kiln.codegen.vcode.VCode}) implements it, for the backends and for the
 * allocator's own tests alike.
 *
 * <p>Contract (checked by {@link RegAllocator} before it allocates; a violation throws
 * {@link RegAllocException}):
 * <ul>
 *   <li>Block 0 is the entry; it has no predecessors and no block parameters. Incoming arguments are
 *       DEFs with {@link OperandConstraint.FixedReg} on an "args" pseudo-instruction at the top of the
 *       entry block (Cranelift's {@code Args}); stack arguments are loaded by ordinary instructions.</li>
 *   <li>Blocks are contiguous: block b's instructions start where block b-1's end. Every block ends in
 *       exactly one terminator ({@link #isBranch} or {@link #isReturn}) and has no other.</li>
 *   <li>Terminators define nothing. The terminator of a block with exactly one successor has no
 *       operands at all (values it passes go through {@link #branchArgs}); that is why the allocator
 *       can put edge moves in front of it.</li>
 *   <li>No critical edges: an edge from a block with several successors goes to a block with one
 *       predecessor. The lowering splits critical edges with an empty jump block.</li>
 *   <li>SSA: every vreg is defined exactly once (DEF operand or block parameter) and the definition
 *       dominates every use. Block parameter {@code j} of successor {@code s} receives
 *       {@code branchArgs(b, s)[j]}.</li>
 *   <li>At one instruction, no two FIXED operands of the same kind name one register for different
 *       vregs, and a REUSE names a USE operand of the same class.</li>
 * </ul>
 */
public interface RegAllocFunction {
  int numInsts();

  int numBlocks();

  int numVRegs();

  /** The block's instruction indices. */
  InstRange blockInsts(int block);

  /** Successor blocks in the order the terminator names them. */
  List<Integer> blockSuccs(int block);

  /** Predecessor blocks. */
  List<Integer> blockPreds(int block);

  /**
   * For the {@code predIndex}-th entry of {@link #blockPreds blockPreds(block)}, the index of
   * {@code block} among that predecessor's successors: the edge's {@code succIndex} for {@link
   * #branchArgs}. Constant time, where searching the predecessor's successor list would cost a
   * {@code br_table}'s target count per edge, and so the square of it per function.
   */
  int predEdgeIndex(int block, int predIndex);

  /** SSA parameters of the block, defined at its top. */
  List<VReg> blockParams(int block);

  /**
   * The values the terminator of {@code block} passes to the parameters of its {@code succIndex}-th
   * successor; as many as that successor has parameters, class by class.
   */
  List<VReg> branchArgs(int block, int succIndex);

  /** A return (no successors). */
  boolean isReturn(int inst);

  /** A branch or jump (one or more successors). */
  boolean isBranch(int inst);

  /** The register operands, in the order the lowering wants the allocations back. */
  List<Operand> instOperands(int inst);

  /**
   * The block graph and the values on it ({@link #blockSuccs}, {@link #blockPreds}, {@link
   * #predEdgeIndex}, {@link #blockParams}, {@link #branchArgs}) in flat arrays, which the allocator
   * reads instead: by default read from those lists; a container that keeps them flat ({@link
   * BlockEdges#of(int[], int[], int[], int[], int[], int[], VReg[], int[], VReg[])}) hands over its own.
   */
  default BlockEdges blockEdges() {
    return BlockEdges.of(this);
  }

  /**
   * The natural loops of the block graph, when the function's maker knows them (a lowering whose IR
   * passes found them, {@code dev.kiln.codegen.lower.LoweringDriver}); null, the default, for the
   * allocator to find them itself ({@link LoopNest}).
   */
  default BlockLoops knownLoops() {
    return null;
  }

  /** Registers the instruction destroys (a call: the caller-saved set). */
  PRegSet instClobbers(int inst);

  /**
   * A plain register-to-register copy (operands: one USE and one DEF, both REG). The allocator tries
   * to give both the same register so the lowering can drop the copy when they match.
   */
  boolean isMove(int inst);

  /**
   * For a call with an exceptional edge, the successor of its block where an exception thrown under
   * it lands; -1 for any other instruction. The unwinder enters that block with the frames below
   * dropped and no register restored, so every value live into it (or passed to its parameters) is in
   * its spill slot from the call's LATE point to the block's end, and a function with a landing block
   * saves every callee-saved register (the dropped frames may have changed them, and its own caller
   * gets them back at its return). The call itself clobbers only {@link #instClobbers}: a value that
   * only the normal successor reads may stay in a callee-saved register across it, as across any call.
   */
  default int landingBlock(int inst) {
    return -1;
  }
}
