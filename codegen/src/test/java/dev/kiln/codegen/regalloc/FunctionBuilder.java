package dev.kiln.codegen.regalloc;

import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.vcode.VCodeInst;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a {@link RegAllocFunction} for the allocator's tests with named instructions and no ISA:
 * a thin front on {@link VCode} (the same bookkeeping the backends' lowerings fill), so the
 * allocator is tested on exactly the container it meets in the compiler.
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
  /** An instruction known only by its name and what the allocator sees of it. */
  public record NamedInst(String name, List<Operand> operands, PRegSet clobbers, Kind kind)
      implements VCodeInst {
    public NamedInst {
      operands = List.copyOf(operands);
    }
  }

  private final VCode<NamedInst> vc = new VCode<>();

  /** An empty function: no blocks, no vregs. */
  public FunctionBuilder() {}

  public VReg newVReg(RegClass c) {
    return vc.newVReg(c);
  }

  /** {@code count} new INT vregs, each defined by a "const" in the current block, in order. */
  public List<VReg> defineInts(int count) {
    List<VReg> vregs = new ArrayList<>(count);
    for (int k = 0; k < count; k++) {
      VReg v = newVReg(RegClass.INT);
      vregs.add(v);
      inst("const", List.of(Operand.defReg(v)));
    }
    return vregs;
  }

  public int newBlock() {
    return vc.newBlock();
  }

  /** Starts filling {@code block}; blocks are filled in number order and each ends in a terminator. */
  public void startBlock(int block, List<VReg> blockParams) {
    vc.startBlock(block, blockParams);
  }

  /** An ordinary instruction; returns its index. */
  public int inst(String name, List<Operand> operands) {
    return inst(name, operands, PRegSet.EMPTY);
  }

  /** An ordinary instruction that destroys {@code clobbers} (a call); returns its index. */
  public int inst(String name, List<Operand> operands, PRegSet clobbers) {
    return vc.add(new NamedInst(name, operands, clobbers, VCodeInst.Kind.PLAIN));
  }

  /**
   * Makes call {@code inst} one with an exceptional edge into {@code block}, a successor of its block
   * ({@link RegAllocFunction#landingBlock}).
   */
  public void markLanding(int inst, int block) {
    vc.markLanding(inst, block);
  }

  /** A register copy {@code dst <- src}; returns its index. */
  public int move(VReg dst, VReg src) {
    return vc.add(new NamedInst("mov", List.of(Operand.use(src, OperandConstraint.REG),
        Operand.def(dst, OperandConstraint.REG)), PRegSet.EMPTY, VCodeInst.Kind.MOVE));
  }

  /** An unconditional jump passing {@code args} to the target's parameters. */
  public int jump(int target, List<VReg> args) {
    return branch("jump", List.of(), List.of(new VCode.Target(target, args)));
  }

  /** A branch with one or more successors; {@code operands} are its inputs (condition, index). */
  public int branch(String name, List<Operand> operands, List<VCode.Target> targets) {
    int i = vc.numInsts();
    vc.branch(new NamedInst(name, operands, PRegSet.EMPTY, VCodeInst.Kind.BRANCH), targets);
    return i;
  }

  /** A return reading {@code operands} (usually FIXED to the ABI's return registers). */
  public int ret(List<Operand> operands) {
    int i = vc.numInsts();
    vc.ret(new NamedInst("ret", operands, PRegSet.EMPTY, VCodeInst.Kind.RETURN));
    return i;
  }

  public RegAllocFunction build() {
    return vc.finish();
  }
}
