package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.ANY;
import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static dev.kiln.codegen.regalloc.OperandConstraint.reuse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.vcode.VCode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * A function the size of a big wasm function (a chain of loops, thousands of instructions, calls) is
 * allocated and checked within a generous time bound, to catch accidental quadratic behaviour.
 */
class LargeFunctionTest {
  /** {@code loops} loops in sequence; each loop body has {@code bodySize} instructions. */
  static RegAllocFunction chainOfLoops(int loops, int bodySize, MachineEnv env, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    PRegSet clobbers = TestEnvs.callerSaved(env);
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg arg = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(arg, fixed(PReg.intReg(7)))));
    List<VReg> live = new ArrayList<>(List.of(arg));
    int header = b.newBlock();
    b.jump(header, List.of(arg));
    for (int l = 0; l < loops; l++) {
      int body = b.newBlock();
      int exit = b.newBlock();
      VReg p = b.newVReg(RegClass.INT);
      VReg cond = b.newVReg(RegClass.INT);
      b.startBlock(header, List.of(p));
      b.inst("cmp", List.of(Operand.use(p, REG), Operand.def(cond, REG)));
      b.branch("br", List.of(Operand.use(cond, REG)), List.of(new VCode.Target(body, List.of()),
          new VCode.Target(exit, List.of())));
      b.startBlock(body, List.of());
      VReg acc = p;
      // Values of the body do not dominate the exit: they are usable only inside the body.
      List<VReg> inBody = new ArrayList<>(live);
      for (int k = 0; k < bodySize; k++) {
        VReg next = b.newVReg(RegClass.INT);
        VReg other = inBody.get(rnd.nextInt(inBody.size()));
        if (k % 10 == 9) {
          b.inst("call", List.of(Operand.use(acc, fixed(PReg.intReg(7))), Operand.use(other, fixed(PReg.intReg(6))),
              Operand.def(next, fixed(PReg.intReg(0)))), clobbers);
        } else {
          b.inst("add", List.of(Operand.use(acc, REG), Operand.use(other, ANY), Operand.def(next, reuse(0))));
        }
        acc = next;
        if (rnd.nextInt(8) == 0) {
          inBody.add(next);
        }
      }
      b.jump(header, List.of(acc));
      b.startBlock(exit, List.of());
      live.add(p);
      header = b.newBlock();
      b.jump(header, List.of(p));
    }
    b.startBlock(header, List.of(b.newVReg(RegClass.INT)));
    List<Operand> rets = new ArrayList<>();
    for (int k = 0; k < Math.min(4, live.size()); k++) {
      rets.add(Operand.use(live.get(live.size() - 1 - k), ANY));
    }
    b.ret(rets);
    return b.build();
  }

  @Test
  void tenThousandInstructionsInAFewSeconds() {
    MachineEnv env = TestEnvs.x64Like();
    RegAllocFunction f = chainOfLoops(100, 100, env, 11);
    RegAllocOutput out = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
      RegAllocOutput o = RegAllocator.allocate(f, env);
      Checker.check(f, env, o);
      return o;
    });
    assertEquals(f.numInsts(), out.allocations().size());
    assertTrue(out.spillSlots(RegClass.INT) < out.stats().spilledVRegs() / 2,
        "values with disjoint lifetimes share slots: " + out.spillSlots(RegClass.INT) + " slots for "
            + out.stats());
  }
}
