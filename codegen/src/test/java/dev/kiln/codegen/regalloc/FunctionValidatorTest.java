package dev.kiln.codegen.regalloc;

import static dev.kiln.codegen.regalloc.OperandConstraint.REG;
import static dev.kiln.codegen.regalloc.OperandConstraint.fixed;
import static dev.kiln.codegen.regalloc.PReg.intReg;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link FunctionValidator#validate} hands liveness and the interval walk what its walk over every
 * operand meets ({@link VRegSites}): the same definitions, classes and upward-exposed reads as a
 * plain recomputation from the function's lists, on random functions (which have STACK operands). And it still rejects what
 * the contract forbids, in the checks it now makes from flat arrays or skips when a cheap test shows
 * they cannot fail.
 */
class FunctionValidatorTest {
  private static final MachineEnv ENV = TestEnvs.x64Like();

  @Test
  void sitesMatchARecomputationFromTheLists() {
    for (long seed = 0; seed < 200; seed++) {
      RegAllocFunction f = RandomFunctions.generate(seed, ENV);
      VRegSites sites = FunctionValidator.validate(f, ENV, InstOperands.listed(f), BlockEdges.of(f));
      int nv = f.numVRegs();
      RegClass[] classes = new RegClass[nv];
      int[] defBlock = new int[nv];
      int[] defInst = new int[nv];
      Arrays.fill(defBlock, -1);
      for (int b = 0; b < f.numBlocks(); b++) {
        InstRange r = f.blockInsts(b);
        for (VReg p : f.blockParams(b)) {
          classes[p.index()] = p.regClass();
          defBlock[p.index()] = b;
          defInst[p.index()] = r.first() - 1;
        }
        for (int k = 0; k < f.blockSuccs(b).size(); k++) {
          for (VReg a : f.branchArgs(b, k)) {
            classes[a.index()] = a.regClass();
          }
        }
        for (int i = r.first(); i < r.end(); i++) {
          for (Operand o : f.instOperands(i)) {
            classes[o.vreg().index()] = o.vreg().regClass();
            if (o.kind() == OperandKind.DEF) {
              defBlock[o.vreg().index()] = b;
              defInst[o.vreg().index()] = i;
            }
          }
        }
      }
      // Upward-exposed: read in another block than the definition's, or at or before the definition.
      List<Integer> reads = new ArrayList<>();
      List<Integer> stack = new ArrayList<>();
      for (int b = 0; b < f.numBlocks(); b++) {
        InstRange r = f.blockInsts(b);
        for (int i = r.first(); i < r.end(); i++) {
          for (Operand o : f.instOperands(i)) {
            int v = o.vreg().index();
            if (o.constraint() instanceof OperandConstraint.Stack) {
              stack.add(v);
            }
            if (o.kind() == OperandKind.USE && (defBlock[v] != b || i <= defInst[v])) {
              reads.add(v);
              reads.add(b);
            }
          }
        }
      }
      String what = "seed " + seed;
      assertArrayEquals(classes, sites.classes(), what);
      assertArrayEquals(defBlock, sites.defBlock(), what);
      for (int v = 0; v < nv; v++) {
        if (defBlock[v] >= 0) {
          assertEquals(defInst[v], sites.defInst()[v], what + ": v" + v);
        }
      }
      assertEquals(stack, Arrays.stream(sites.stackVRegs()).boxed().toList(), what);
      assertEquals(reads.size() / 2, sites.readCount(), what);
      for (int k = 0; k < reads.size(); k++) {
        assertEquals(reads.get(k), sites.reads()[k], what + ": read pair " + k / 2);
      }
    }
  }

  @Test
  void onlyReadsNotDefinedEarlierInTheirBlockAreUpwardExposed() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    int body = b.newBlock();
    int exit = b.newBlock();
    VReg c = b.newVReg(RegClass.INT);
    VReg x = b.newVReg(RegClass.INT);
    VReg y = b.newVReg(RegClass.INT);
    b.startBlock(entry, List.of());
    b.inst("args", List.of(Operand.def(c, fixed(intReg(7)))));
    b.jump(body, List.of());
    b.startBlock(body, List.of());
    // Reads c (defined in the entry), then x, defined by the instruction before (local).
    b.inst("a", List.of(Operand.use(c, REG), Operand.def(x, REG)));
    b.inst("b", List.of(Operand.use(x, REG), Operand.def(y, REG)));
    b.jump(exit, List.of());
    b.startBlock(exit, List.of());
    b.ret(List.of(Operand.use(c, fixed(intReg(0)))));
    RegAllocFunction f = b.build();
    VRegSites sites = FunctionValidator.validate(f, ENV, InstOperands.listed(f), BlockEdges.of(f));
    assertArrayEquals(new int[] {c.index(), body, c.index(), exit},
        Arrays.copyOf(sites.reads(), 2 * sites.readCount()));
  }

  @Test
  void rejectsAnOutputAndAnInputFixedToOneRegisterAtOnce() {
    for (boolean lateUse : new boolean[] {false, true}) {
      FunctionBuilder b = new FunctionBuilder();
      int entry = b.newBlock();
      VReg x = b.newVReg(RegClass.INT);
      VReg y = b.newVReg(RegClass.INT);
      b.startBlock(entry, List.of());
      b.inst("args", List.of(Operand.def(x, fixed(intReg(7)))));
      Operand use = lateUse ? Operand.lateUse(x, fixed(intReg(1))) : Operand.use(x, fixed(intReg(1)));
      Operand def = lateUse ? Operand.def(y, fixed(intReg(1))) : Operand.earlyDef(y, fixed(intReg(1)));
      int clash = b.inst("op", List.of(use, def));
      b.ret(List.of(Operand.use(y, fixed(intReg(0)))));
      RegAllocException e = assertThrows(RegAllocException.class, () -> RegAllocator.allocate(b.build(), ENV));
      assertTrue(e.getMessage().contains("at the same time"), e.getMessage());
      assertEquals(clash, e.inst());
    }
  }

  @Test
  void rejectsAVRegOfTwoClassesAndOneDefinedTwice() {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    VReg x = b.newVReg(RegClass.FLOAT);
    b.startBlock(entry, List.of());
    b.inst("a", List.of(Operand.def(x, REG)));
    int second = b.inst("b", List.of(Operand.def(x, REG)));
    b.ret(List.of());
    RegAllocException twice = assertThrows(RegAllocException.class, () -> RegAllocator.allocate(b.build(), ENV));
    assertEquals("w0 is defined twice", twice.getMessage().substring(twice.getMessage().indexOf("w0")));
    assertEquals(second, twice.inst());

    FunctionBuilder b2 = new FunctionBuilder();
    int entry2 = b2.newBlock();
    b2.startBlock(entry2, List.of());
    b2.newVReg(RegClass.INT);
    b2.inst("a", List.of(Operand.def(new VReg(0, RegClass.INT), REG)));
    int other = b2.inst("b", List.of(Operand.use(new VReg(0, RegClass.FLOAT), REG)));
    b2.ret(List.of());
    RegAllocException classes = assertThrows(RegAllocException.class,
        () -> RegAllocator.allocate(b2.build(), ENV));
    assertTrue(classes.getMessage().contains("appears as INT and as FLOAT"), classes.getMessage());
    assertEquals(other, classes.inst());
  }

  /**
   * The registers an instruction's FIXED operands name are bits kept for the walk and cleared after
   * the instruction: a set made per FIXED operand was 32 bytes each (a call fixes a dozen). The
   * same calls with their operands in any register allocate as much to validate.
   */
  @Test
  void fixedOperandsAllocateNothingOfTheirOwn() {
    long fixedBytes = validationBytes(calls(true));
    long regBytes = validationBytes(calls(false));
    assertTrue(fixedBytes <= regBytes + 1024, fixedBytes + " bytes with FIXED operands, " + regBytes + " without");
  }

  private static final int CALLS = 500;

  /** {@link #CALLS} calls of four arguments and a result, their operands FIXED or in any register. */
  private static RegAllocFunction calls(boolean fixedOperands) {
    FunctionBuilder b = new FunctionBuilder();
    int entry = b.newBlock();
    b.startBlock(entry, List.of());
    VReg value = b.newVReg(RegClass.INT);
    b.inst("args", List.of(Operand.def(value, fixedOperands ? fixed(intReg(7)) : REG)));
    for (int k = 0; k < CALLS; k++) {
      List<Operand> ops = new ArrayList<>();
      for (int arg = 0; arg < 4; arg++) {
        ops.add(Operand.use(value, fixedOperands ? fixed(intReg(arg + 1)) : REG));
      }
      VReg result = b.newVReg(RegClass.INT);
      ops.add(Operand.def(result, fixedOperands ? fixed(intReg(0)) : REG));
      b.inst("call", ops);
      value = result;
    }
    b.ret(List.of(Operand.use(value, fixedOperands ? fixed(intReg(0)) : REG)));
    return b.build();
  }

  private static long validationBytes(RegAllocFunction f) {
    BlockEdges edges = BlockEdges.of(f);
    return AllocatedBytes.fewest(() -> FunctionValidator.validate(f, ENV, InstOperands.listed(f), edges));
  }
}
