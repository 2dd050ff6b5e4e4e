package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.MemRegion;
import dev.kiln.ir.Opcode;

/**
 * Which VMContext loads of one function give the same value wherever they run. A {@code readonly}
 * VMContext field (a memory's base, an import record, a type id) never changes after
 * instantiation. A mutable one (a memory's length, a mutable global, a segment's length) changes
 * only through a call (memory.grow and table.grow are builtin calls; any callee may grow a memory
 * or set a global) or a store to the VMContext in this function (global.set, data.drop); a
 * linear-memory, table or runtime-state store (fuel) cannot reach it (different {@link MemRegion}s
 * do not alias). So in
 * a function without such calls and stores, every VMContext load is invariant: the usual case for
 * the leaf loops that dominate run time (memmove, hashing, sorting kernels).
 */
final class VmctxInvariance {
  private final DataFlowGraph dfg;
  /** Whether the function has no instruction that may change a mutable VMContext field. */
  private final boolean stable;

  /** {@code stable}: the caller asked {@link #mayWriteVmctx} of every instruction, and none may write. */
  VmctxInvariance(DataFlowGraph dfg, boolean stable) {
    this.dfg = dfg;
    this.stable = stable;
  }

  /** Scans {@code f} once for instructions that may change a mutable VMContext field. */
  static VmctxInvariance of(Function f) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    for (int block : layout.blocks()) {
      for (int inst = layout.firstInst(block); inst >= 0; inst = layout.nextInst(inst)) {
        if (mayWriteVmctx(dfg, dfg.opcode(inst), inst)) {
          return new VmctxInvariance(dfg, false);
        }
      }
    }
    return new VmctxInvariance(dfg, true);
  }

  /**
   * Whether {@code inst}, of opcode {@code op}, may change a mutable VMContext field: a call, or a
   * store outside linear memory, tables and runtime state. The opcode is the caller's: value
   * numbering asks this and {@link #isVmctxLoad} of every instruction it numbers, and has read it.
   */
  static boolean mayWriteVmctx(DataFlowGraph dfg, Opcode op, int inst) {
    if (op.isCall()) {
      return true;
    }
    if (!op.writesMemory()) {
      return false;
    }
    MemRegion region = dfg.memFlags(inst).region();
    return region != MemRegion.HEAP && region != MemRegion.TABLE && region != MemRegion.RUNTIME;
  }

  /** Whether {@code inst}, of opcode {@code op}, is a VMContext load. */
  static boolean isVmctxLoad(DataFlowGraph dfg, Opcode op, int inst) {
    return op.readsMemory() && !op.writesMemory() && !op.isCall()
        && dfg.memFlags(inst).region() == MemRegion.VMCTX;
  }

  /**
   * Whether {@code inst} loads a location that holds the same value for the whole run of the
   * function: a readonly VMContext field, or any VMContext field when the function has no
   * instruction that may change one ({@link #mayWriteVmctx}). Two such loads of the same address
   * give the same value, and one may run anywhere its address is available (a VMContext field is
   * always mapped).
   */
  boolean isInvariantLoad(int inst) {
    return isVmctxLoad(dfg, dfg.opcode(inst), inst) && isInvariant(inst);
  }

  /** {@link #isInvariantLoad}, for an instruction known to be a VMContext load ({@link #isVmctxLoad}). */
  boolean isInvariant(int vmctxLoad) {
    return stable || dfg.memFlags(vmctxLoad).readonly();
  }
}
