package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link IntervalBuilder} collects each register's blocked ranges already in order of start (the
 * instructions forward, an instruction's EARLY ranges before its LATE ones), so it neither sorts
 * them nor keeps the arrays a sort needed, and a call's clobbers as one {@link ClobberPoints} entry
 * per class. Counted ({@link AllocatedBytes}): the bytes {@link IntervalBuilder#build} allocates for
 * a function of one call, which blocks each of the two dozen caller-saved registers (most of a
 * module's functions with calls look so).
 */
class BlockedRangesAllocationTest {
  @Test
  void aCallsBlockedRangesCostAboutTheirInts() {
    MachineEnv env = TestEnvs.x64Like();
    PRegSet clobbers = TestEnvs.callerSaved(env);
    PRegSet allocatable = PRegSet.of(env.allocatable());
    int blockedRegisters = Long.bitCount(clobbers.intBits() & allocatable.intBits())
        + Long.bitCount(clobbers.floatBits() & allocatable.floatBits());
    // The call's clobbers block registers besides the two its FIXED operands block already.
    long perRegister = (buildBytes(env, clobbers) - buildBytes(env, PRegSet.EMPTY)) / (blockedRegisters - 2);
    assertTrue(perRegister <= 150, perRegister
        + " bytes per register a call blocks (469 when sorted, 197 into a map by register, 123 as a range"
        + " per register)");
  }

  @Test
  void aSmallFunctionCostsNoMapOfBlockedRegistersNorSetOfAllocatableOnes() {
    // What every function pays whatever its size: the map of blocked ranges by register and the
    // allocatable set made anew per function were a fifth of a three-instruction function's bytes.
    long bytes = buildBytes(TestEnvs.x64Like(), PRegSet.EMPTY);
    assertTrue(bytes <= 2_800,
        bytes + " bytes for a function of one call that clobbers nothing (3,192 with them, 2,512 now)");
  }

  @Test
  void aFixedOperandsBlockedRangeCostsItsInts() {
    // Each register's ranges are made at their length (InstOperands#fixedPerRegister): not grown as
    // they come, then copied to their length.
    long perCall = (callsBytes(2 * CALLS) - callsBytes(CALLS)) / CALLS;
    assertTrue(perCall <= 693, perCall
        + " bytes per call of three FIXED operands (729 with the ranges grown and copied, 657 now)");
  }

  private static final int CALLS = 256;

  /**
   * The bytes {@link IntervalBuilder#build} allocates for {@code calls} calls that clobber nothing,
   * each of an argument and a result in fixed registers, its result read.
   */
  private static long callsBytes(int calls) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    for (int k = 0; k < calls; k++) {
      VReg arg = b.newVReg(RegClass.INT);
      VReg result = b.newVReg(RegClass.INT);
      b.inst("args", List.of(Operand.def(arg, fixed(PReg.intReg(7)))));
      b.inst("call", List.of(Operand.use(arg, fixed(PReg.intReg(7))), Operand.def(result, fixed(PReg.intReg(0)))));
      b.inst("use", List.of(Operand.useReg(result)));
    }
    b.ret(List.of());
    return buildBytes(TestEnvs.x64Like(), b.build());
  }

  /** The bytes {@link IntervalBuilder#build} allocates for a function of one call clobbering {@code clobbers}. */
  private static long buildBytes(MachineEnv env, PRegSet clobbers) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg arg = b.newVReg(RegClass.INT);
    VReg result = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(arg, fixed(PReg.intReg(7)))));
    b.inst("call", List.of(Operand.use(arg, fixed(PReg.intReg(7))), Operand.def(result, fixed(PReg.intReg(0)))),
        clobbers);
    b.ret(List.of(Operand.use(result, fixed(PReg.intReg(0)))));
    return buildBytes(env, b.build());
  }

  /** The bytes {@link IntervalBuilder#build} allocates for {@code f}. */
  private static long buildBytes(MachineEnv env, RegAllocFunction f) {
    InstOperands operands = InstOperands.listed(f);
    BlockEdges edges = f.blockEdges();
    VRegSites sites = FunctionValidator.validate(f, env, operands, edges);
    Liveness live = Liveness.compute(f, edges, sites);
    LoopNest loops = LoopNest.compute(f, edges);
    return AllocatedBytes.fewest(
        () -> IntervalBuilder.build(f, env, live, operands, edges, loops, sites));
  }
}
