package dev.kiln.codegen.aarch64.lower;

import static dev.kiln.codegen.aarch64.lower.Lowering.defReg;
import static dev.kiln.codegen.aarch64.lower.Lowering.earlyDef;
import static dev.kiln.codegen.aarch64.lower.Lowering.fpr;
import static dev.kiln.codegen.aarch64.lower.Lowering.useReg;

import dev.kiln.codegen.aarch64.abi.WasmCallConv;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.Target;
import dev.kiln.codegen.aarch64.asm.UImm;
import dev.kiln.codegen.aarch64.asm.VArr;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.ir.DataFlowGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * Lowering of the IR's {@code v128} operations to Advanced SIMD (NEON, part of every AArch64
 * core: Arm ARM A1.5, so no feature gate). A v128 lives in a whole V register, a FLOAT-class vreg
 * like an f32 or f64.
 *
 * <p>Constants are rematerialized at each use: {@code movi} for all-zero, else one LDR (literal)
 * from the function's constant pool ({@link EmitContext#constant}).
 */
final class VectorLowering {
  private final Lowering l;
  private final DataFlowGraph dfg;

  VectorLowering(Lowering l) {
    this.l = l;
    this.dfg = l.dfg();
  }

  /** {@code t = c}. */
  void materialize(VReg t, DataFlowGraph.VectorConstant c) {
    l.add("vconst", List.of(defReg(t)), (ctx, a) -> {
      if (c.low() == 0 && c.high() == 0) {
        ctx.asm(Form.MOVI_2D, fpr(a, 0), VArr.D2, UImm.of(0));
      } else {
        ctx.asm(Form.LDR_Q_LIT, fpr(a, 0), Target.label(ctx.constant(c.low(), c.high())));
      }
    });
  }

  /**
   * {@code select.v128}: FCSEL moves at most 64 bits, so the condition becomes a mask instead, all
   * ones when it holds ({@code csetm}), spread to both lanes ({@code dup}) and used by {@code bsl}
   * to take each bit from the first or the second operand. The result is written before the
   * operands are read, so it is an early def, never sharing their registers.
   */
  void select(int inst, Lowering.Flags f) {
    VReg x = l.use(dfg.arg(inst, 1));
    VReg y = l.use(dfg.arg(inst, 2));
    VReg r = l.vreg(dfg.firstResult(inst));
    List<Operand> ops = new ArrayList<>(f.inputs().stream().map(Lowering::useReg).toList());
    int at = ops.size();
    ops.add(useReg(x));
    ops.add(useReg(y));
    ops.add(earlyDef(r));
    l.add("select", ops, (c, a) -> {
      f.setter().emit(c, a, 0);
      c.asm(Form.CSETM_X, WasmCallConv.SCRATCH0, f.cc());
      c.asm(Form.DUP_X, fpr(a, at + 2), WasmCallConv.SCRATCH0, VArr.D2);
      c.asm(Form.BSL_V, fpr(a, at + 2), fpr(a, at), fpr(a, at + 1), VArr.B16);
    });
  }
}
