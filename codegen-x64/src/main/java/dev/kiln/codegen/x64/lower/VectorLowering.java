package dev.kiln.codegen.x64.lower;

import static dev.kiln.codegen.x64.lower.Lowering.defReg;
import static dev.kiln.codegen.x64.lower.Lowering.defReuse;
import static dev.kiln.codegen.x64.lower.Lowering.useReg;
import static dev.kiln.codegen.x64.lower.Lowering.xmm;

import dev.kiln.codegen.UnsupportedLoweringException;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.x64.abi.WasmCallConv;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.codegen.x64.asm.forms.SseForm;
import dev.kiln.codegen.x64.asm.forms.VecIntForm;
import dev.kiln.codegen.x64.asm.forms.VecMoveForm;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Opcode;
import java.util.List;

/**
 * Lowering of the IR's {@code v128} operations to SSE (baseline SSE4.1 and SSSE3 for the lane
 * operations). A v128 lives in a whole xmm register, a FLOAT-class vreg like an f32 or f64. SSE is
 * two-address, so a result reuses its first operand's register (the allocator copies the operand
 * first when it stays live); xmm15, which the allocator never hands out, is the temporary inside an
 * instruction's sequence ({@link WasmCallConv#FLOAT_SCRATCH}).
 *
 * <p>Constants are read from the function's constant pool ({@link EmitContext#constant}) with one
 * RIP-relative load at each use, like the other constants rematerialized rather than kept in a
 * register across a loop; all-zero is {@code xorps} of the register with itself, the zeroing idiom
 * that needs no load and breaks the dependency on the old value (Intel Optimization Reference
 * Manual, section 3.5.1.7).
 */
final class VectorLowering {
  private static final Xmm TMP = WasmCallConv.FLOAT_SCRATCH;

  private final Lowering l;
  private final DataFlowGraph dfg;

  VectorLowering(Lowering l) {
    this.l = l;
    this.dfg = l.dfg();
  }

  /** Whether {@link #lower} handles {@code op}. */
  static boolean handles(Opcode op) {
    return switch (op) {
      case VAND, VOR, VXOR, VAND_NOT, VNOT, VBITSELECT -> true;
      default -> false;
    };
  }

  void lower(int inst) {
    Opcode op = dfg.opcode(inst);
    switch (op) {
      case VAND -> twoAddress(inst, VecIntForm.PAND_RM);
      case VOR -> twoAddress(inst, VecIntForm.POR_RM);
      case VXOR -> twoAddress(inst, SseForm.PXOR_RM);
      case VAND_NOT -> andNot(inst);
      case VNOT -> not(inst);
      case VBITSELECT -> bitselect(inst);
      default -> throw new UnsupportedLoweringException(op.text(), dfg.sourceLoc(inst));
    }
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

  /**
   * The flags of a vector test used as a condition: {@code vany_true} is {@code ptest x, x}, whose
   * ZF is set when no bit is (SDM Vol. 2B "PTEST"), so the condition holds on NE.
   */
  Lowering.Flags testFlags(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    return new Lowering.Flags(List.of(x), (c, a, at) -> c.asm(VecIntForm.PTEST_RM, xmm(a, at),
        xmm(a, at)), Cond.NE);
  }

  private VReg result(int inst) {
    return l.vreg(dfg.firstResult(inst));
  }

  /** {@code d = x op y} as {@code d := x; op y, d}. */
  private void twoAddress(int inst, Form form) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    l.add(dfg.opcode(inst).text(), List.of(useReg(x), useReg(y), defReuse(result(inst), 0)),
        (c, a) -> c.asm(form, xmm(a, 2), xmm(a, 1)));
  }

  /** {@code x & ~y}: PANDN complements its destination, so the result starts as y. */
  private void andNot(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    l.add("vand_not", List.of(useReg(x), useReg(y), defReuse(result(inst), 1)),
        (c, a) -> c.asm(VecIntForm.PANDN_RM, xmm(a, 2), xmm(a, 0)));
  }

  /** {@code ~x}: XOR with all ones, which PCMPEQD of a register with itself makes. */
  private void not(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add("vnot", List.of(useReg(x), defReuse(result(inst), 0)), (c, a) -> {
      c.asm(VecIntForm.PCMPEQD_RM, TMP, TMP);
      c.asm(SseForm.PXOR_RM, xmm(a, 1), TMP);
    });
  }

  /**
   * {@code (x & m) | (y & ~m)}: the mask is read into xmm15 first, so the sequence is right even
   * when the mask shares the result's register.
   */
  private void bitselect(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg m = l.use(dfg.arg(inst, 2));
    l.add("vbitselect", List.of(useReg(x), useReg(y), useReg(m), defReuse(result(inst), 0)),
        (c, a) -> {
          c.asm(SseForm.MOVAPS_RM, TMP, xmm(a, 2));
          c.asm(VecIntForm.PANDN_RM, TMP, xmm(a, 1));
          c.asm(VecIntForm.PAND_RM, xmm(a, 3), xmm(a, 2));
          c.asm(VecIntForm.POR_RM, xmm(a, 3), TMP);
        });
  }
}
