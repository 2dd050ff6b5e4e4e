package dev.kiln.codegen.regalloc;

import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link RegAllocFunction} block by block, for tests and for a lowering that has no container
 * of its own. Blocks are numbered up front with {@link #newBlock()} (so branches can name later blocks)
 * and filled in number order with {@link #startBlock}.
 *
 * {@snippet :
 * FunctionBuilder b = new FunctionBuilder();
 * int entry = b.newBlock();
 * VReg x = b.newVReg(RegClass.INT);
 * b.startBlock(entry, List.of());
 * b.inst("args", List.of(Operand.def(x, OperandConstraint.fixed(PReg.intReg(7)))));
 * b.ret(List.of(Operand.use(x, OperandConstraint.fixed(PReg.intReg(0)))));
 * RegAllocFunction f = b.build();
 * }
 */
public final class FunctionBuilder {
  /** A successor of a branch and the values passed to its parameters. */
  public record Target(int block, List<VReg> args) {
    public Target {
      args = List.copyOf(args);
    }
  }

  private record Inst(String name, List<Operand> operands, PRegSet clobbers, Kind kind) {}

  private enum Kind {
    PLAIN,
    MOVE,
    BRANCH,
    RETURN
  }

  private final List<Inst> insts = new ArrayList<>();
  private final List<List<VReg>> params = new ArrayList<>();
  private final List<int[]> ranges = new ArrayList<>();
  private final List<List<Target>> succs = new ArrayList<>();
  private int numBlocks;
  private int numVRegs;
  private int current = -1;
  private int currentStart;

  /** An empty function: no blocks, no vregs. */
  public FunctionBuilder() {}

  public VReg newVReg(RegClass c) {
    return new VReg(numVRegs++, c);
  }

  public int newBlock() {
    return numBlocks++;
  }

  /** Starts filling {@code block}; blocks are filled in number order and each ends in a terminator. */
  public void startBlock(int block, List<VReg> blockParams) {
    if (block != params.size() || current >= 0) {
      throw new IllegalStateException("fill blocks in order and terminate each: expected block "
          + params.size() + ", got " + block);
    }
    if (block >= numBlocks) {
      throw new IllegalStateException("block " + block + " was not created with newBlock()");
    }
    params.add(List.copyOf(blockParams));
    current = block;
    currentStart = insts.size();
  }

  /** An ordinary instruction; returns its index. */
  public int inst(String name, List<Operand> operands) {
    return inst(name, operands, PRegSet.EMPTY);
  }

  /** An ordinary instruction that destroys {@code clobbers} (a call); returns its index. */
  public int inst(String name, List<Operand> operands, PRegSet clobbers) {
    return add(new Inst(name, List.copyOf(operands), clobbers, Kind.PLAIN));
  }

  /** A register copy {@code dst <- src}; returns its index. */
  public int move(VReg dst, VReg src) {
    return add(new Inst("mov", List.of(Operand.use(src, OperandConstraint.REG),
        Operand.def(dst, OperandConstraint.REG)), PRegSet.EMPTY, Kind.MOVE));
  }

  /** An unconditional jump passing {@code args} to the target's parameters. */
  public int jump(int target, List<VReg> args) {
    return branch("jump", List.of(), List.of(new Target(target, args)));
  }

  /** A branch with one or more successors; {@code operands} are its inputs (condition, index). */
  public int branch(String name, List<Operand> operands, List<Target> targets) {
    int i = add(new Inst(name, List.copyOf(operands), PRegSet.EMPTY, Kind.BRANCH));
    finish(List.copyOf(targets));
    return i;
  }

  /** A return reading {@code operands} (usually FIXED to the ABI's return registers). */
  public int ret(List<Operand> operands) {
    int i = add(new Inst("ret", List.copyOf(operands), PRegSet.EMPTY, Kind.RETURN));
    finish(List.of());
    return i;
  }

  private int add(Inst inst) {
    if (current < 0) {
      throw new IllegalStateException("no open block");
    }
    insts.add(inst);
    return insts.size() - 1;
  }

  private void finish(List<Target> targets) {
    ranges.add(new int[] {currentStart, insts.size()});
    succs.add(targets);
    current = -1;
  }

  public RegAllocFunction build() {
    if (current >= 0 || params.size() != numBlocks) {
      throw new IllegalStateException("every block must be filled and terminated");
    }
    List<List<Integer>> preds = new ArrayList<>();
    for (int b = 0; b < numBlocks; b++) {
      preds.add(new ArrayList<>());
    }
    for (int b = 0; b < numBlocks; b++) {
      for (Target t : succs.get(b)) {
        preds.get(t.block()).add(b);
      }
    }
    return new Built(List.copyOf(insts), List.copyOf(params), List.copyOf(ranges), List.copyOf(succs),
        preds.stream().map(List::copyOf).toList(), numVRegs);
  }

  private record Built(List<Inst> insts, List<List<VReg>> params, List<int[]> ranges,
      List<List<Target>> succs, List<List<Integer>> preds, int numVRegs) implements RegAllocFunction {
    @Override
    public int numInsts() {
      return insts.size();
    }

    @Override
    public int numBlocks() {
      return params.size();
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
      return insts.get(inst).kind() == Kind.RETURN;
    }

    @Override
    public boolean isBranch(int inst) {
      return insts.get(inst).kind() == Kind.BRANCH;
    }

    @Override
    public List<Operand> instOperands(int inst) {
      return insts.get(inst).operands();
    }

    @Override
    public PRegSet instClobbers(int inst) {
      return insts.get(inst).clobbers();
    }

    @Override
    public boolean isMove(int inst) {
      return insts.get(inst).kind() == Kind.MOVE;
    }

    @Override
    public String toString() {
      StringBuilder sb = new StringBuilder();
      for (int b = 0; b < numBlocks(); b++) {
        sb.append("block").append(b).append(params.get(b)).append(" preds=").append(preds.get(b))
            .append('\n');
        InstRange r = blockInsts(b);
        for (int i = r.first(); i < r.end(); i++) {
          Inst in = insts.get(i);
          sb.append("  ").append(i).append(": ").append(in.name()).append(' ').append(in.operands());
          if (!in.clobbers().isEmpty()) {
            sb.append(" clobbers ").append(in.clobbers());
          }
          if (i == r.last()) {
            for (Target t : succs.get(b)) {
              sb.append(" -> block").append(t.block()).append(t.args());
            }
          }
          sb.append('\n');
        }
      }
      return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
      return this == o;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(this);
    }
  }
}
