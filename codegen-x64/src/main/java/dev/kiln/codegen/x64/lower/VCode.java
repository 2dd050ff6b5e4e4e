package dev.kiln.codegen.x64.lower;

import dev.kiln.codegen.regalloc.InstRange;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.regalloc.RegAllocFunction;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import java.util.ArrayList;
import java.util.List;

/**
 * A lowered function (Cranelift's VCode): {@link MInst}s on virtual registers in blocks that are
 * laid out in emission order, with SSA block parameters and the values each terminator passes. It
 * is the allocator's {@link RegAllocFunction} directly, so allocation needs no copy.
 *
 * <p>Built by {@link Lowering} block by block through {@link #startBlock}, {@link #add} and one
 * terminator per block ({@link #branch}, {@link #ret}).
 */
public final class VCode implements RegAllocFunction {
  /** A successor and the values passed to its parameters. */
  public record Target(int block, List<VReg> args) {
    public Target {
      args = List.copyOf(args);
    }
  }

  private final List<MInst> insts = new ArrayList<>();
  private final List<List<VReg>> params = new ArrayList<>();
  private final List<int[]> ranges = new ArrayList<>();
  private final List<List<Target>> succs = new ArrayList<>();
  private List<List<Integer>> preds;
  private int numBlocks;
  private int numVRegs;
  private int openStart = -1;

  /** An empty function; {@link Lowering} fills it. */
  public VCode() {}

  /** A fresh integer vreg. */
  public VReg newVReg() {
    return newVReg(RegClass.INT);
  }

  /** A fresh vreg of class {@code c} (FLOAT for f32/f64 values, which live in xmm registers). */
  public VReg newVReg(RegClass c) {
    return new VReg(numVRegs++, c);
  }

  public int newBlock() {
    return numBlocks++;
  }

  /** Opens {@code block}; blocks are filled in number order, which is also the emission order. */
  public void startBlock(int block, List<VReg> blockParams) {
    if (block != params.size() || openStart >= 0) {
      throw new IllegalStateException("blocks are filled in order: expected " + params.size()
          + ", got " + block);
    }
    params.add(List.copyOf(blockParams));
    openStart = insts.size();
  }

  /** Appends a non-terminator; returns its index. */
  public int add(MInst inst) {
    if (openStart < 0 || inst.kind() != MInst.Kind.PLAIN) {
      throw new IllegalStateException("no open block, or a terminator added as a plain inst");
    }
    insts.add(inst);
    return insts.size() - 1;
  }

  /** Ends the open block with a branch to {@code targets}. */
  public void branch(MInst inst, List<Target> targets) {
    if (inst.kind() != MInst.Kind.BRANCH || targets.isEmpty()) {
      throw new IllegalArgumentException("a branch needs the BRANCH kind and successors");
    }
    close(inst, targets);
  }

  /** Ends the open block with a return (or another exit without successors, such as a trap). */
  public void ret(MInst inst) {
    if (inst.kind() != MInst.Kind.RETURN) {
      throw new IllegalArgumentException("a return needs the RETURN kind");
    }
    close(inst, List.of());
  }

  private void close(MInst inst, List<Target> targets) {
    if (openStart < 0) {
      throw new IllegalStateException("no open block");
    }
    insts.add(inst);
    ranges.add(new int[] {openStart, insts.size()});
    succs.add(List.copyOf(targets));
    openStart = -1;
  }

  /** Seals the function: computes predecessors. */
  public VCode finish() {
    if (openStart >= 0 || params.size() != numBlocks) {
      throw new IllegalStateException("every block must be filled and terminated");
    }
    List<List<Integer>> p = new ArrayList<>();
    for (int b = 0; b < numBlocks; b++) {
      p.add(new ArrayList<>());
    }
    for (int b = 0; b < numBlocks; b++) {
      for (Target t : succs.get(b)) {
        p.get(t.block()).add(b);
      }
    }
    preds = p.stream().map(List::copyOf).toList();
    return this;
  }

  public MInst inst(int i) {
    return insts.get(i);
  }

  @Override
  public int numInsts() {
    return insts.size();
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
    int[] r = ranges.get(block);
    return new InstRange(r[0], r[1]);
  }

  @Override
  public List<Integer> blockSuccs(int block) {
    return succs.get(block).stream().map(Target::block).toList();
  }

  @Override
  public List<Integer> blockPreds(int block) {
    return preds.get(block);
  }

  @Override
  public List<VReg> blockParams(int block) {
    return params.get(block);
  }

  @Override
  public List<VReg> branchArgs(int block, int succIndex) {
    return succs.get(block).get(succIndex).args();
  }

  @Override
  public boolean isReturn(int inst) {
    return insts.get(inst).kind() == MInst.Kind.RETURN;
  }

  @Override
  public boolean isBranch(int inst) {
    return insts.get(inst).kind() == MInst.Kind.BRANCH;
  }

  @Override
  public List<dev.kiln.codegen.regalloc.Operand> instOperands(int inst) {
    return insts.get(inst).operands();
  }

  @Override
  public PRegSet instClobbers(int inst) {
    return insts.get(inst).clobbers();
  }

  @Override
  public boolean isMove(int inst) {
    return false;
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    for (int b = 0; b < numBlocks(); b++) {
      sb.append("block").append(b).append(params.get(b)).append('\n');
      int[] r = ranges.get(b);
      for (int i = r[0]; i < r[1]; i++) {
        sb.append("  ").append(i).append(": ").append(insts.get(i));
        if (i == r[1] - 1) {
          for (Target t : succs.get(b)) {
            sb.append(" -> block").append(t.block()).append(t.args());
          }
        }
        sb.append('\n');
      }
    }
    return sb.toString();
  }
}
