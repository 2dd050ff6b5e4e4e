package dev.kiln.codegen.vcode;

import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.InlineSite;
import java.util.List;

/** What {@link VCode} and the register allocator need to know about one machine instruction. */
public interface VCodeInst {
  /** How the allocator treats an instruction. */
  enum Kind {
    /** Anything that is neither a terminator nor a plain copy. */
    PLAIN,
    /**
     * A register-to-register copy: one REG USE then one REG DEF of the same class. The allocator
     * tries to give both the same register; the emitter drops the copy when it does.
     */
    MOVE,
    /** A branch or jump, the terminator of a block with successors. */
    BRANCH,
    /** A return or another exit without successors (a trap). */
    RETURN
  }

  Kind kind();

  /** Register operands, in the order the emitter receives their allocations. */
  List<Operand> operands();

  /** Registers the instruction destroys (a call: the caller-saved set). */
  PRegSet clobbers();

  /**
   * The wasm byte offset of the IR instruction this one came from, which the emission's address
   * map records; {@link DataFlowGraph#NO_SOURCE_LOC} for none.
   */
  default int sourceLoc() {
    return DataFlowGraph.NO_SOURCE_LOC;
  }

  /** The inline site of {@link #sourceLoc()} ({@link InlineSite#NONE}: the function's own code). */
  default int inlineSite() {
    return InlineSite.NONE;
  }
}
