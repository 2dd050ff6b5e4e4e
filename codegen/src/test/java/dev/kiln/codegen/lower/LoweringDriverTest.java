package dev.kiln.codegen.lower;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.OperandConstraint;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.codegen.vcode.VCodeInst;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.text.Parser;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lowering driver with a toy ISA whose instructions are named after the IR opcode: what the
 * driver decides (blocks, split edges, block parameters, branch arguments, use counts) is visible in
 * the VCode and in the answers it gave while lowering, independent of any real ISA.
 */
class LoweringDriverTest {
  record ToyInst(String name, Kind kind, List<Operand> operands) implements VCodeInst {
    @Override
    public PRegSet clobbers() {
      return PRegSet.EMPTY;
    }
  }

  /** Lowers every IR instruction to one ToyInst and records the driver's use-count answers. */
  static final class ToyLowering extends LoweringDriver<ToyInst> {
    final Map<Integer, Boolean> conditionOnly = new HashMap<>();
    final Map<Integer, Boolean> addressOnly = new HashMap<>();
    int entryBlockLowered = -1;

    ToyLowering(Function f) {
      super(f);
    }

    @Override
    protected void lowerEntryArgs(int entryBlock) {
      entryBlockLowered = entryBlock;
      List<Operand> defs = new ArrayList<>();
      for (int p : dfg.blockParams(entryBlock)) {
        defs.add(Operand.def(vreg(p), OperandConstraint.REG));
      }
      vc.add(new ToyInst("args", VCodeInst.Kind.PLAIN, defs));
    }

    @Override
    protected void lowerInst(int inst) {
      Opcode op = dfg.opcode(inst);
      for (int r : dfg.results(inst)) {
        conditionOnly.put(r, onlyUsedAsCondition(r));
        addressOnly.put(r, isAddressOnly(r));
      }
      switch (op) {
        case ICONST -> { }
        case JUMP -> edgeJump(inst);
        case BRIF -> vc.branch(new ToyInst("brif", VCodeInst.Kind.BRANCH,
            List.of(Operand.use(use(dfg.arg(inst, 0)), OperandConstraint.REG))),
            List.of(edge(inst, 0), edge(inst, 1)));
        case RETURN -> vc.ret(new ToyInst("return", VCodeInst.Kind.RETURN, uses(inst)));
        default -> {
          List<Operand> ops = new ArrayList<>(uses(inst));
          for (int r : dfg.results(inst)) {
            ops.add(Operand.def(vreg(r), OperandConstraint.REG));
          }
          vc.add(new ToyInst(op.text(), VCodeInst.Kind.PLAIN, ops));
        }
      }
    }

    private List<Operand> uses(int inst) {
      List<Operand> ops = new ArrayList<>();
      for (int a : dfg.args(inst)) {
        ops.add(Operand.use(use(a), OperandConstraint.REG));
      }
      return ops;
    }

    @Override
    protected void lowerParamsMark() {
      vc.add(new ToyInst("params", VCodeInst.Kind.PLAIN, List.of()));
    }

    @Override
    protected void jump(int target, List<VReg> args) {
      vc.branch(new ToyInst("jump", VCodeInst.Kind.BRANCH, List.of()),
          List.of(new VCode.Target(target, args)));
    }

    @Override
    protected void materializeInt(VReg into, Type type, long value) {
      vc.add(new ToyInst("const " + value, VCodeInst.Kind.PLAIN, List.of(Operand.def(into, OperandConstraint.REG))));
    }

    @Override
    protected void materializeFloat(VReg into, Type type, long bits) {
      throw new UnsupportedOperationException("the toy lowering has no float constants");
    }

    @Override
    protected void materializeVector(VReg into, DataFlowGraph.VectorConstant value) {
      throw new UnsupportedOperationException("the toy lowering has no vector constants");
    }

    VCode<ToyInst> run() {
      return lowerFunction();
    }
  }

  private static final String DIAMOND = """
      function u0:0(i64 vmctx, i64 caller_vmctx, i32, i32) -> i32 {
      block0(v0: i64, v1: i64, v2: i32, v3: i32):
          v4 = icmp ult v2, v3
          brif v4, block1, block2(v2)

      block1:
          v5 = iconst.i32 7
          brif v3, block2(v5), block3

      block2(v6: i32):
          return v6

      block3:
          return v3
      }
      """;

  @Test
  void splitsOnlyCriticalEdgesAndPassesBranchArguments() {
    ToyLowering l = new ToyLowering(Parser.parseFunction(DIAMOND));
    VCode<ToyInst> vc = l.run();
    // Four IR blocks in layout order, each followed by the split blocks of its critical edges:
    // block0 -> block2 and block1 -> block2 are critical (two successors into two predecessors),
    // block0 -> block1 and block1 -> block3 are not. So: block0, split, block1, split, block2, block3.
    assertEquals(6, vc.numBlocks());
    List<VCode.Target> fromEntry = vc.targets(0);
    assertEquals(List.of(2, 1), fromEntry.stream().map(VCode.Target::block).toList());
    assertTrue(fromEntry.get(1).args().isEmpty(), "a split edge's branch passes nothing itself");
    // The split block is one jump passing v2 to block2's parameter.
    assertEquals(1, vc.blockInsts(1).length());
    assertEquals("jump", vc.inst(vc.blockInsts(1).first()).name());
    assertEquals(List.of(new VCode.Target(4, List.of(vc.inst(vc.blockInsts(0).first()).operands().get(2).vreg()))), vc.targets(1));
    assertEquals(1, vc.blockParams(4).size(), "block2's parameter is a vreg");
    assertEquals(List.of(3, 5), vc.targets(2).stream().map(VCode.Target::block).toList());
    assertEquals(0, l.entryBlockLowered);
  }

  @Test
  void constantBranchArgumentIsMaterializedInTheSplitBlock() {
    VCode<ToyInst> vc = new ToyLowering(Parser.parseFunction(DIAMOND)).run();
    // block1 -> block2 is split (VCode block 3): the constant argument is materialized there,
    // just before its jump, and passed to block2 (VCode block 4).
    assertEquals(2, vc.blockInsts(3).length());
    assertEquals("const 7", vc.inst(vc.blockInsts(3).first()).name());
    assertEquals(4, vc.targets(3).get(0).block());
    assertEquals(1, vc.targets(3).get(0).args().size());
  }

  @Test
  void countsConditionAndAddressUses() {
    ToyLowering l = new ToyLowering(Parser.parseFunction("""
        function u0:1(i64 vmctx, i64 caller_vmctx, i64, i64) -> i64 {
        block0(v0: i64, v1: i64, v2: i64, v3: i64):
            v4 = icmp ult v2, v3
            v5 = icmp ugt v2, v3
            v6 = iadd.i64 v2, v3
            v7 = iadd.i64 v3, v2
            v8 = iconst.i64 16
            v9 = iadd.i64 v2, v8
            v10 = load.i64 heap v6
            v11 = load.i64 heap v7
            v12 = load.i64 heap v9
            store heap v7, v9
            v13 = select.i64 v4, v10, v11
            v14 = select.i64 v5, v5, v12
            return v14
        }
        """));
    l.run();
    assertTrue(l.conditionOnly.get(4), "v4 is only a select condition");
    assertFalse(l.conditionOnly.get(5), "v5 is also a selected value");
    assertTrue(l.addressOnly.get(6), "v6 is only a load address");
    assertFalse(l.addressOnly.get(7), "v7 is also stored as a value");
    assertFalse(l.addressOnly.get(9), "v9 adds a constant (the access takes it as an offset)");
  }

  @Test
  void funcKeyPutsTheNamespaceHighAndTheIndexUnsignedLow() {
    assertEquals(3L << 32 | 7, LoweringDriver.funcKey(new ExternalName.User(3, 7)));
    assertEquals(0xFFFF_FFFFL, LoweringDriver.funcKey(new ExternalName.User(0, -1)));
    assertThrows(IllegalArgumentException.class,
        () -> LoweringDriver.funcKey(new ExternalName.Named("memcpy")));
  }

  @Test
  void refusesAnEntryBlockWithPredecessors() {
    Function f = Parser.parseFunction("""
        function u0:2(i64 vmctx, i64 caller_vmctx) {
        block0(v0: i64, v1: i64):
            jump block0(v0, v1)
        }
        """);
    assertThrows(IllegalArgumentException.class, () -> new ToyLowering(f).run());
  }

  @Test
  void vectorValuesAreFloatClassVregs() {
    Function f = Parser.parseFunction("""
        function u0:3(i64 vmctx, i64 caller_vmctx, v128, f64) {
        block0(v0: i64, v1: i64, v2: v128, v3: f64):
            return
        }
        """);
    List<Operand> args = new ToyLowering(f).run().inst(0).operands();
    assertEquals(List.of(RegClass.INT, RegClass.INT, RegClass.FLOAT, RegClass.FLOAT),
        args.stream().map(o -> o.vreg().regClass()).toList());
  }

  private static final String SUM = """
      function u0:2(i64 vmctx, i64 caller_vmctx, i32, i32) -> i32 {
      block0(v0: i64, v1: i64, v2: i32, v3: i32):
          v4 = iadd.i32 v2, v3
          return v4
      }
      """;

  /** The vregs of the {@code iadd}'s two operands, with v3 made an alias of v2 after parsing. */
  private static List<VReg> addOperandsWithV3AnAliasOfV2(boolean declaredResolved) {
    Function f = Parser.parseFunction(SUM);
    f.dfg().changeToAlias(3, 2);
    if (declaredResolved) {
      f.dfg().markOperandsResolved();
    }
    VCode<ToyInst> vc = new ToyLowering(f).run();
    ToyInst add = vc.inst(vc.blockInsts(0).first() + 1);
    assertEquals("iadd", add.name());
    return add.operands().subList(0, 2).stream().map(Operand::vreg).toList();
  }

  @Test
  void operandsNamingAnAliasLowerToTheVRegOfTheValueItStandsFor() {
    List<VReg> operands = addOperandsWithV3AnAliasOfV2(false);
    assertEquals(operands.get(0), operands.get(1));
  }

  @Test
  void noAliasIsLookedUpWhenTheGraphSaysNoOperandNamesOne() {
    // An alias the operand still names although the graph is told none does: lowered as itself,
    // which only a lowering that resolves nothing gives (after the pass pipeline, none is left).
    List<VReg> operands = addOperandsWithV3AnAliasOfV2(true);
    assertFalse(operands.get(0).equals(operands.get(1)));
  }
}
