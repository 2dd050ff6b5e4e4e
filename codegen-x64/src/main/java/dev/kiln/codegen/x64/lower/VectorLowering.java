package dev.kiln.codegen.x64.lower;

import static dev.kiln.codegen.x64.lower.Lowering.defReg;
import static dev.kiln.codegen.x64.lower.Lowering.xmm;

import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.x64.asm.forms.SseForm;
import dev.kiln.codegen.x64.asm.forms.VecMoveForm;
import dev.kiln.ir.DataFlowGraph;
import java.util.List;

/**
 * Lowering of the IR's {@code v128} operations to SSE (baseline SSE4.1 and SSSE3 for the lane
 * operations). A v128 lives in a whole xmm register, a FLOAT-class vreg like an f32 or f64.
 *
 * <p>Constants are read from the function's constant pool ({@link EmitContext#constant}) with one
 * RIP-relative load at each use, like the other constants rematerialized rather than kept in a
 * register across a loop; all-zero is {@code pxor}/{@code xorps} of the register with itself, the
 * zeroing idiom that needs no load and breaks the dependency on the old value (Intel Optimization
 * Reference Manual, section 3.5.1.7).
 */
final class VectorLowering {
  private final Lowering l;

  VectorLowering(Lowering l) {
    this.l = l;
  }

  /** {@code t = c}. */
  void materialize(VReg t, DataFlowGraph.VectorConstant c) {
    l.add("vconst", List.of(defReg(t)), (ctx, a) -> {
      if (c.low() == 0 && c.high() == 0) {
        ctx.asm(SseForm.XORPS_RM, xmm(a, 0), xmm(a, 0));
      } else {
        ctx.asm(VecMoveForm.MOVDQU_RM, xmm(a, 0), ctx.constant(c.low(), c.high()));
      }
    });
  }
}
