package dev.kiln.codegen.aarch64.lower;

import static dev.kiln.codegen.aarch64.lower.Lowering.earlyDef;
import static dev.kiln.codegen.aarch64.lower.Lowering.fpr;
import static dev.kiln.codegen.aarch64.lower.Lowering.gpr;
import static dev.kiln.codegen.regalloc.Operand.defReg;
import static dev.kiln.codegen.regalloc.Operand.defReuse;
import static dev.kiln.codegen.regalloc.Operand.useReg;

import dev.kiln.codegen.lower.FamilyLowering;
import dev.kiln.codegen.lower.Flags;
import dev.kiln.codegen.lower.LowerBackend;
import dev.kiln.codegen.lower.ShuffleMask;
import dev.kiln.codegen.aarch64.abi.WasmCallConv;
import dev.kiln.codegen.aarch64.asm.AddSubImm;
import dev.kiln.codegen.aarch64.asm.Cond;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.LogicalImm;
import dev.kiln.codegen.aarch64.asm.Target;
import dev.kiln.codegen.aarch64.asm.UImm;
import dev.kiln.codegen.aarch64.asm.VArr;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.FloatCC;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Lanes;
import dev.kiln.ir.Opcode;
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
final class VectorLowering extends FamilyLowering<Lowering> implements LowerBackend.VectorTestFamily<EmitContext, Cond> {
  /** The FP register the allocator never hands out, free inside one instruction. */
  private static final FpReg TMP = WasmCallConv.FLOAT_SCRATCH;

  VectorLowering(Lowering l) {
    super(l);
  }

  @Override
  public void lower(int inst) {
    Opcode op = dfg.opcode(inst);
    VArr arr = op.hasLanes() ? arrangement(dfg.lanes(inst)) : VArr.B16;
    switch (op) {
      case VAND -> binary(inst, Form.AND_V, VArr.B16);
      case VOR -> binary(inst, Form.ORR_V, VArr.B16);
      case VXOR -> binary(inst, Form.EOR_V, VArr.B16);
      case VAND_NOT -> binary(inst, Form.BIC_V, VArr.B16);
      case VNOT -> unary(inst, Form.NOT_V, VArr.B16);
      case VBITSELECT -> bitselect(inst);
      case VIADD -> binary(inst, Form.ADD_V, arr);
      case VISUB -> binary(inst, Form.SUB_V, arr);
      case VIMUL -> {
        if (arr == VArr.D2) {
          mulI64(inst);
        } else {
          binary(inst, Form.MUL_V, arr);
        }
      }
      case VINEG -> unary(inst, Form.NEG_V, arr);
      case VIABS -> unary(inst, Form.ABS_V, arr);
      case VSMIN -> binary(inst, Form.SMIN_V, arr);
      case VUMIN -> binary(inst, Form.UMIN_V, arr);
      case VSMAX -> binary(inst, Form.SMAX_V, arr);
      case VUMAX -> binary(inst, Form.UMAX_V, arr);
      case VAVGR_U -> binary(inst, Form.URHADD_V, arr);
      case VSADD_SAT -> binary(inst, Form.SQADD_V, arr);
      case VUADD_SAT -> binary(inst, Form.UQADD_V, arr);
      case VSSUB_SAT -> binary(inst, Form.SQSUB_V, arr);
      case VUSUB_SAT -> binary(inst, Form.UQSUB_V, arr);
      case VISHL, VSSHR, VUSHR -> shift(inst, op, arr);
      case VSWIDEN_LOW -> widen(inst, Form.SSHLL_V, arr, false);
      case VSWIDEN_HIGH -> widen(inst, Form.SSHLL2_V, arr, true);
      case VUWIDEN_LOW -> widen(inst, Form.USHLL_V, arr, false);
      case VUWIDEN_HIGH -> widen(inst, Form.USHLL2_V, arr, true);
      case VSEXTMUL_LOW -> binary(inst, Form.SMULL_V, halfOf(arr).half());
      case VSEXTMUL_HIGH -> binary(inst, Form.SMULL2_V, halfOf(arr));
      case VUEXTMUL_LOW -> binary(inst, Form.UMULL_V, halfOf(arr).half());
      case VUEXTMUL_HIGH -> binary(inst, Form.UMULL2_V, halfOf(arr));
      case VSEXTADD_PAIRWISE -> unary(inst, Form.SADDLP_V, halfOf(arr));
      case VUEXTADD_PAIRWISE -> unary(inst, Form.UADDLP_V, halfOf(arr));
      case VSDOT -> dot(inst);
      case VQ15MULR_SAT -> binary(inst, Form.SQRDMULH_V, arr);
      case VPOPCNT -> unary(inst, Form.CNT_V, arr);
      case VSNARROW -> narrow(inst, Form.SQXTN_V, Form.SQXTN2_V, arr);
      case VUNARROW -> narrow(inst, Form.SQXTUN_V, Form.SQXTUN2_V, arr);
      case VSHUFFLE -> shuffle(inst);
      case VSWIZZLE -> binary(inst, Form.TBL_V, VArr.B16);
      case VBITMASK -> bitmask(inst, arr);
      case VSPLAT -> splat(inst, dfg.lanes(inst), arr);
      case VEXTRACTLANE, VSEXTRACTLANE -> extractLane(inst, dfg.lanes(inst), arr,
          (int) dfg.imm(inst), op == Opcode.VSEXTRACTLANE);
      case VINSERTLANE -> insertLane(inst, dfg.lanes(inst), arr, (int) dfg.imm(inst));
      // Relaxed SIMD (spec 4.3 "irelaxed_*"): NEON has the deterministic instruction at the
      // cost of the relaxed one. TBL gives 0 for every index of 16 or more (Arm ARM C7.2 "TBL"),
      // BSL/BIT select bits (C7.2 "BIT"), SQRDMULH saturates -32768 * -32768 to 32767 (C7.2
      // "SQRDMULH"): each one of the results the spec allows, as Cranelift's AArch64 lowering.
      case VRELAXED_SWIZZLE -> binary(inst, Form.TBL_V, VArr.B16);
      case VRELAXED_LANESELECT -> bitselect(inst);
      case VRELAXED_Q15MULR -> binary(inst, Form.SQRDMULH_V, arr);
      case VRELAXED_DOT_I8, VRELAXED_DOT_I8_ADD -> dotI8(inst, op == Opcode.VRELAXED_DOT_I8_ADD);
      case VICMP -> intCompare(inst, arr, dfg.laneIntCC(inst));
      case VFCMP -> floatCompare(inst, arr, dfg.laneFloatCC(inst));
      default -> throw unsupported(inst);
    }
  }

  /**
   * A lane-wise shift by a scalar count taken modulo the lane width (spec 4.4.3 "vishiftop"): SHL,
   * USHR or SSHR by an immediate for a constant count (a zero right shift, which has no encoding,
   * is a move); else the masked count, negated for a right shift, spread to every lane (in v31)
   * for USHL/SSHL, which shift each lane left by a signed count, right when it is negative.
   */
  private void shift(int inst, Opcode op, VArr arr) {
    int count = dfg.arg(inst, 1);
    int bits = 8 << arr.size();
    VReg x = l.use(dfg.arg(inst, 0));
    if (l.isConst(count)) {
      int n = (int) (l.constValue(count) & (bits - 1));
      Form form = op == Opcode.VISHL ? Form.SHL_V : op == Opcode.VUSHR ? Form.USHR_V : Form.SSHR_V;
      l.add(op.text() + "." + arr.text(), List.of(useReg(x), defReg(l.result(inst))), (c, a) -> {
        if (n == 0) {
          c.asm(Form.MOV_V, fpr(a, 1), fpr(a, 0), VArr.B16);
        } else {
          c.asm(form, fpr(a, 1), fpr(a, 0), arr, UImm.of(n));
        }
      });
      return;
    }
    VReg y = l.use(count);
    boolean right = op != Opcode.VISHL;
    Form byRegister = op == Opcode.VSSHR ? Form.SSHL_V : Form.USHL_V;
    l.add(op.text() + "." + arr.text(), List.of(useReg(x), useReg(y), defReg(l.result(inst))),
        (c, a) -> {
          Gpr t = WasmCallConv.SCRATCH0;
          c.asm(Form.AND_W_IMM, t, gpr(a, 1), LogicalImm.require(bits - 1, false));
          if (right) {
            c.asm(Form.NEG_X, t, t);
          }
          c.asm(arr == VArr.D2 ? Form.DUP_X : Form.DUP_W, TMP, t, arr);
          c.asm(byRegister, fpr(a, 2), fpr(a, 0), TMP, arr);
        });
  }

  /** The 128-bit arrangement of lanes half as wide as {@code arr}'s: a widening's source. */
  private static VArr halfOf(VArr arr) {
    return VArr.full((8 << arr.size()) / 2);
  }

  /**
   * Half of the lanes extended to the result's arrangement {@code arr}: SSHLL/USHLL by 0 (the SXTL
   * and UXTL aliases) read the low half, the "2" forms the high half.
   */
  private void widen(int inst, Form form, VArr arr, boolean high) {
    VArr full = halfOf(arr);
    VArr source = high ? full : full.half();
    VReg x = l.use(dfg.arg(inst, 0));
    l.add(dfg.opcode(inst).text() + "." + arr.text(), List.of(useReg(x), defReg(l.result(inst))),
        (c, a) -> c.asm(form, fpr(a, 1), fpr(a, 0), source, UImm.of(0)));
  }

  /**
   * Narrowing with saturation: x into the low half of the result (SQXTN, SQXTUN), then y into the
   * high half (the "2" forms), which keeps the low half; the result is written before y is read,
   * so it is an early def.
   */
  private void narrow(int inst, Form low, Form high, VArr arr) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    l.add(dfg.opcode(inst).text() + "." + arr.text(), List.of(useReg(x), useReg(y),
        earlyDef(l.result(inst))), (c, a) -> {
          c.asm(low, fpr(a, 2), fpr(a, 0), arr.half());
          c.asm(high, fpr(a, 2), fpr(a, 1), arr);
        });
  }

  /**
   * {@code i32x4.dot_i16x8_s}: the products of the low and the high halves (SMULL, SMULL2), then
   * sums of adjacent products (ADDP over the two). The low products go to v31; x and y are read
   * before the result is written.
   */
  private void dot(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    l.add("vsdot.i32x4", List.of(useReg(x), useReg(y), defReg(l.result(inst))), (c, a) -> {
      c.asm(Form.SMULL_V, TMP, fpr(a, 0), fpr(a, 1), VArr.H4);
      c.asm(Form.SMULL2_V, fpr(a, 2), fpr(a, 0), fpr(a, 1), VArr.H8);
      c.asm(Form.ADDP_V, fpr(a, 2), TMP, fpr(a, 2), VArr.S4);
    });
  }

  /**
   * Relaxed dot products of bytes (spec 4.3 "irelaxed_dot_mul"): SMULL and SMULL2 multiply the
   * low and high bytes of x and y, both read signed, into halfwords, and ADDP adds adjacent
   * products, wrapping (the sum of two products wraps only when both are -128 * -128, which needs
   * a y byte of 128 or more, where the spec allows it). For the dot-add, SADDLP widens and adds
   * adjacent halfword sums into words and ADD adds z. SDOT (Arm ARM C7.2 "SDOT (vector)") would
   * do the four products at once, but it is FEAT_DotProd, optional before Armv8.4, and Kiln's
   * AArch64 target assumes only the Armv8.0 Advanced SIMD. The result is written before y and z
   * are read, so it is an early def.
   */
  private void dotI8(int inst, boolean add) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    List<Operand> ops = new ArrayList<>(List.of(useReg(x), useReg(y)));
    if (add) {
      ops.add(useReg(l.use(dfg.arg(inst, 2))));
    }
    int at = ops.size();
    ops.add(earlyDef(l.result(inst)));
    l.add(dfg.opcode(inst).text(), ops, (c, a) -> {
      FpReg d = fpr(a, at);
      c.asm(Form.SMULL_V, TMP, fpr(a, 0), fpr(a, 1), VArr.B8);
      c.asm(Form.SMULL2_V, d, fpr(a, 0), fpr(a, 1), VArr.B16);
      c.asm(Form.ADDP_V, d, TMP, d, VArr.H8);
      if (add) {
        c.asm(Form.SADDLP_V, d, d, VArr.H8);
        c.asm(Form.ADD_V, d, d, fpr(a, 2), VArr.S4);
      }
    });
  }

  /**
   * {@code i8x16.shuffle} by constant indexes, as the one instruction of a known pattern where
   * there is one ({@link ShuffleMask}): from one input DUP (one lane everywhere), EXT of the input
   * with itself (a rotation); from two ZIP1/ZIP2, UZP1/UZP2, TRN1/TRN2 (either operand first) or
   * EXT (16 consecutive bytes of the two). Otherwise TBL looks the bytes up in x (an index of 16
   * or more gives 0), then TBX in y with the indexes less 16 (those below 16 wrap past 0xef and
   * keep the byte from x), both index vectors from the pool into v31; one TBL when every byte
   * comes from one input. The fallback's result is written before y is read: an early def.
   */
  private void shuffle(int inst) {
    ShuffleMask m = ShuffleMask.of(dfg, inst);
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    if (m.firstOnly() || m.secondOnly()) {
      int from = m.secondOnly() ? 1 : 0;
      ShuffleMask one = m.oneInput();
      l.add("vshuffle", List.of(useReg(x), useReg(y), defReg(l.result(inst))), (c, a) -> {
        FpReg d = fpr(a, 2);
        FpReg s = fpr(a, from);
        for (int size = 0; size < 4; size++) {
          int[] lanes = one.lanes(1 << size);
          if (lanes != null && java.util.Arrays.stream(lanes).allMatch(k -> k == lanes[0])) {
            c.asm(Form.DUP_ELEM, d, s, VArr.full(8 << size), UImm.of(lanes[0]));
            return;
          }
        }
        int rotation = one.rotation();
        if (rotation >= 0) {
          c.asm(Form.EXT_V, d, s, s, VArr.B16, UImm.of(rotation));
          return;
        }
        c.asm(Form.LDR_Q_LIT, TMP, Target.label(c.constant(one.low(), one.high())));
        c.asm(Form.TBL_V, d, s, TMP, VArr.B16);
      });
      return;
    }
    for (boolean swap : new boolean[] {false, true}) {
      ShuffleMask s = swap ? m.swapped() : m;
      int first = swap ? 1 : 0;
      int offset = s.concatOffset();
      for (int size = 0; size < 4 && offset < 0; size++) {
        Form form = permutationFor(s, 1 << size);
        if (form != null) {
          VArr arr = VArr.full(8 << size);
          l.add("vshuffle", List.of(useReg(x), useReg(y), defReg(l.result(inst))),
              (c, a) -> c.asm(form, fpr(a, 2), fpr(a, first), fpr(a, 1 - first), arr));
          return;
        }
      }
      if (offset > 0) {
        l.add("vshuffle", List.of(useReg(x), useReg(y), defReg(l.result(inst))),
            (c, a) -> c.asm(Form.EXT_V, fpr(a, 2), fpr(a, first), fpr(a, 1 - first), VArr.B16,
                UImm.of(offset)));
        return;
      }
    }
    long[] lessSixteen = {subtractBytes(m.low(), 0x10), subtractBytes(m.high(), 0x10)};
    l.add("vshuffle", List.of(useReg(x), useReg(y), earlyDef(l.result(inst))), (c, a) -> {
      c.asm(Form.LDR_Q_LIT, TMP, Target.label(c.constant(m.low(), m.high())));
      c.asm(Form.TBL_V, fpr(a, 2), fpr(a, 0), TMP, VArr.B16);
      c.asm(Form.LDR_Q_LIT, TMP, Target.label(c.constant(lessSixteen[0], lessSixteen[1])));
      c.asm(Form.TBX_V, fpr(a, 2), fpr(a, 1), TMP, VArr.B16);
    });
  }

  /** The ZIP, UZP or TRN form that is {@code m} for lanes of {@code laneBytes}, or null. */
  private static Form permutationFor(ShuffleMask m, int laneBytes) {
    for (int second = 0; second < 2; second++) {
      boolean odd = second == 1;
      if (m.equals(ShuffleMask.interleave(laneBytes, odd))) {
        return odd ? Form.ZIP2_V : Form.ZIP1_V;
      }
      if (m.equals(ShuffleMask.deinterleave(laneBytes, odd))) {
        return odd ? Form.UZP2_V : Form.UZP1_V;
      }
      if (m.equals(ShuffleMask.transpose(laneBytes, odd))) {
        return odd ? Form.TRN2_V : Form.TRN1_V;
      }
    }
    return null;
  }

  /** Each byte of {@code v} less {@code b}, modulo 256. */
  private static long subtractBytes(long v, int b) {
    long r = 0;
    for (int i = 0; i < 64; i += 8) {
      r |= ((v >>> i) - b & 0xFF) << i;
    }
    return r;
  }

  /**
   * The top bit of each lane as bit i of a general register (Cranelift's sequence): SSHR by the
   * lane width less 1 makes each lane all ones or zero, AND with lane i's weight {@code 1 << i}
   * (mod 8 for bytes) leaves its bit, and a sum across the lanes collects them: ADDV, or ADDP for
   * the two i64 lanes; the two byte halves are interleaved by EXT and ZIP1 first so that one ADDV
   * over halfwords sums the low half into the low byte and the high half into the high byte. The
   * weights go to an early-def temporary, the intermediate values to v31.
   */
  private void bitmask(int inst, VArr arr) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg weights = l.vcode().newVReg(RegClass.FLOAT);
    int bits = 8 << arr.size();
    long[] weight = new long[2];
    for (int lane = 0; lane < arr.lanes(); lane++) {
      int at = lane * bits;
      weight[at / 64] |= (1L << (lane % 8)) << (at % 64);
    }
    l.add("vbitmask." + arr.text(), List.of(useReg(x), defReg(l.result(inst)), earlyDef(weights)),
        (c, a) -> {
          FpReg w = fpr(a, 2);
          c.asm(Form.SSHR_V, TMP, fpr(a, 0), arr, UImm.of(bits - 1));
          c.asm(Form.LDR_Q_LIT, w, Target.label(c.constant(weight[0], weight[1])));
          c.asm(Form.AND_V, TMP, TMP, w, VArr.B16);
          switch (arr) {
            case B16 -> {
              c.asm(Form.EXT_V, w, TMP, TMP, VArr.B16, UImm.of(8));
              c.asm(Form.ZIP1_V, TMP, TMP, w, VArr.B16);
              c.asm(Form.ADDV, TMP, TMP, VArr.H8);
            }
            case D2 -> c.asm(Form.ADDP_SCALAR, TMP, TMP, VArr.D2);
            default -> c.asm(Form.ADDV, TMP, TMP, arr);
          }
          c.asm(Form.MOV_W_ELEM, gpr(a, 1), TMP, VArr.S4, UImm.of(0));
        });
  }

  /** Every lane set to a scalar: DUP from a general register, or from lane 0 of a float's register. */
  private void splat(int inst, Lanes lanes, VArr arr) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add("vsplat." + lanes.text(), List.of(useReg(x), defReg(l.result(inst))), (c, a) -> {
      switch (lanes) {
        case I8X16, I16X8, I32X4 -> c.asm(Form.DUP_W, fpr(a, 1), gpr(a, 0), arr);
        case I64X2 -> c.asm(Form.DUP_X, fpr(a, 1), gpr(a, 0), arr);
        case F32X4, F64X2 -> c.asm(Form.DUP_ELEM, fpr(a, 1), fpr(a, 0), arr, UImm.of(0));
      }
    });
  }

  /**
   * One lane as a scalar: UMOV (zero-extending) or SMOV into a general register, or the scalar
   * DUP of a float lane into its scalar register (lane 0 is that register itself, see {@code
   * aliasOperand}, unless a use came first).
   */
  private void extractLane(int inst, Lanes lanes, VArr arr, int lane, boolean signed) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add(dfg.opcode(inst).text() + "." + lanes.text(), List.of(useReg(x), defReg(l.result(inst))),
        (c, a) -> {
          UImm index = UImm.of(lane);
          switch (lanes) {
            case I8X16, I16X8 -> c.asm(signed ? Form.SMOV_W : Form.UMOV_W, gpr(a, 1), fpr(a, 0),
                arr, index);
            case I32X4 -> c.asm(Form.MOV_W_ELEM, gpr(a, 1), fpr(a, 0), arr, index);
            case I64X2 -> c.asm(Form.MOV_X_ELEM, gpr(a, 1), fpr(a, 0), arr, index);
            case F32X4, F64X2 -> c.asm(Form.MOV_SCALAR_ELEM, fpr(a, 1), fpr(a, 0), arr, index);
          }
        });
  }

  /** A vector with one lane replaced: INS in place in the result, which starts as the vector. */
  private void insertLane(int inst, Lanes lanes, VArr arr, int lane) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    l.add("vinsertlane." + lanes.text(), List.of(useReg(x), useReg(y), defReuse(l.result(inst), 0)),
        (c, a) -> {
          UImm index = UImm.of(lane);
          switch (lanes) {
            case I8X16, I16X8, I32X4 -> c.asm(Form.INS_W, fpr(a, 2), arr, index, gpr(a, 1));
            case I64X2 -> c.asm(Form.INS_X, fpr(a, 2), arr, index, gpr(a, 1));
            case F32X4, F64X2 -> c.asm(Form.INS_ELEM, fpr(a, 2), arr, index, fpr(a, 1), UImm.of(0));
          }
        });
  }

  /**
   * NEON compares for equal, greater and greater-or-equal, signed (CMGT, CMGE) and unsigned (CMHI,
   * CMHS); less-than forms are those with the operands swapped, and {@code ne} is {@code eq}
   * complemented.
   */
  private void intCompare(int inst, VArr arr, IntCC cc) {
    switch (cc) {
      case EQ -> compare(inst, Form.CMEQ_V, arr, false, false);
      case NE -> compare(inst, Form.CMEQ_V, arr, false, true);
      case SGT, SLT -> compare(inst, Form.CMGT_V, arr, cc == IntCC.SLT, false);
      case SGE, SLE -> compare(inst, Form.CMGE_V, arr, cc == IntCC.SLE, false);
      case UGT, ULT -> compare(inst, Form.CMHI_V, arr, cc == IntCC.ULT, false);
      case UGE, ULE -> compare(inst, Form.CMHS_V, arr, cc == IntCC.ULE, false);
    }
  }

  /**
   * FCMEQ, FCMGT and FCMGE are ordered, false on a NaN lane (Arm ARM C7.2 "FCMGT (register)"), as
   * wasm's eq, gt and ge are; ne is eq complemented, true on NaN as wasm's is.
   */
  private void floatCompare(int inst, VArr arr, FloatCC cc) {
    switch (cc) {
      case EQ -> compare(inst, Form.FCMEQ_V, arr, false, false);
      case NE -> compare(inst, Form.FCMEQ_V, arr, false, true);
      case GT, LT -> compare(inst, Form.FCMGT_V, arr, cc == FloatCC.LT, false);
      case GE, LE -> compare(inst, Form.FCMGE_V, arr, cc == FloatCC.LE, false);
      default -> throw new IllegalArgumentException("no wasm comparison " + cc);
    }
  }

  /** {@code d = form(x, y)}, or of y and x when {@code swap}, complemented when {@code invert}. */
  private void compare(int inst, Form form, VArr arr, boolean swap, boolean invert) {
    VReg x = l.use(dfg.arg(inst, swap ? 1 : 0));
    VReg y = l.use(dfg.arg(inst, swap ? 0 : 1));
    l.add(dfg.opcode(inst).text(), List.of(useReg(x), useReg(y), defReg(l.result(inst))), (c, a) -> {
      c.asm(form, fpr(a, 2), fpr(a, 0), fpr(a, 1), arr);
      if (invert) {
        c.asm(Form.NOT_V, fpr(a, 2), fpr(a, 2), VArr.B16);
      }
    });
  }

  /** The 128-bit arrangement of a lane shape: its lanes, integer or float alike. */
  static VArr arrangement(Lanes lanes) {
    return VArr.full(lanes.laneBits());
  }

  /**
   * i64x2 multiply, which NEON lacks: each lane through the general registers (x16, x17), one
   * {@code mul} per lane. The result is written before the second lanes are read, so it is an
   * early def, apart from the operands.
   */
  private void mulI64(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    l.add("vimul.i64x2", List.of(useReg(x), useReg(y), earlyDef(l.result(inst))), (c, a) -> {
      for (int lane = 0; lane < 2; lane++) {
        c.asm(Form.MOV_X_ELEM, WasmCallConv.SCRATCH0, fpr(a, 0), VArr.D2, UImm.of(lane));
        c.asm(Form.MOV_X_ELEM, WasmCallConv.SCRATCH1, fpr(a, 1), VArr.D2, UImm.of(lane));
        c.asm(Form.MUL_X, WasmCallConv.SCRATCH0, WasmCallConv.SCRATCH0, WasmCallConv.SCRATCH1);
        c.asm(Form.INS_X, fpr(a, 2), VArr.D2, UImm.of(lane), WasmCallConv.SCRATCH0);
      }
    });
  }

  /**
   * The flags of a vector test used as a condition, through x16: {@code vany_true} takes the
   * largest 32-bit lane ({@code umaxv}), nonzero when any bit is set, and compares it with zero;
   * {@code vall_true} the smallest lane of its shape ({@code uminv}), nonzero when every lane is,
   * or for i64x2 compares both lanes in turn ({@code ccmp} sets Z when the first was zero).
   */
  @Override
  public Flags<EmitContext, Cond> testFlags(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    Gpr t = WasmCallConv.SCRATCH0;
    if (dfg.opcode(inst) == Opcode.VALL_TRUE && dfg.lanes(inst) == Lanes.I64X2) {
      return new Flags<>(List.of(x), (c, a, at) -> {
        c.asm(Form.MOV_X_ELEM, t, fpr(a, at), VArr.D2, UImm.of(0));
        c.asm(Form.MOV_X_ELEM, WasmCallConv.SCRATCH1, fpr(a, at), VArr.D2, UImm.of(1));
        c.asm(Form.CMP_X_IMM, t, AddSubImm.require(0));
        c.asm(Form.CCMP_X_IMM, WasmCallConv.SCRATCH1, UImm.of(0), UImm.of(0b0100), Cond.NE);
      }, Cond.NE);
    }
    boolean any = dfg.opcode(inst) == Opcode.VANY_TRUE;
    VArr arr = any ? VArr.S4 : arrangement(dfg.lanes(inst));
    return new Flags<>(List.of(x), (c, a, at) -> {
      c.asm(any ? Form.UMAXV : Form.UMINV, TMP, fpr(a, at), arr);
      c.asm(Form.FMOV_W_S, t, TMP);
      c.asm(Form.CMP_W_IMM, t, AddSubImm.require(0));
    }, Cond.NE);
  }

  VReg result(int inst) {
    return l.vreg(dfg.firstResult(inst));
  }

  /** {@code d = x op y}, three-address. */
  void binary(int inst, Form form, VArr arr) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    l.add(dfg.opcode(inst).text(), List.of(useReg(x), useReg(y), defReg(l.result(inst))),
        (c, a) -> c.asm(form, fpr(a, 2), fpr(a, 0), fpr(a, 1), arr));
  }

  void unary(int inst, Form form, VArr arr) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add(dfg.opcode(inst).text(), List.of(useReg(x), defReg(l.result(inst))),
        (c, a) -> c.asm(form, fpr(a, 1), fpr(a, 0), arr));
  }

  /**
   * {@code (x & m) | (y & ~m)}: BIT inserts the bits of x where m is set into its destination,
   * which starts as y (the allocator's copy when y stays live).
   */
  private void bitselect(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg m = l.use(dfg.arg(inst, 2));
    l.add("vbitselect", List.of(useReg(x), useReg(y), useReg(m), defReuse(l.result(inst), 1)),
        (c, a) -> c.asm(Form.BIT_V, fpr(a, 3), fpr(a, 0), fpr(a, 2), VArr.B16));
  }

  /** {@code t = c}. */
  @Override
  public void materialize(VReg t, DataFlowGraph.VectorConstant c) {
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
  void select(int inst, Flags<EmitContext, Cond> f) {
    List<Operand> ops = l.selectOperands(inst, f.inputs(), (result, first) -> earlyDef(result));
    int at = f.inputs().size();
    l.add("select", ops, (c, a) -> {
      f.setter().emit(c, a, 0);
      c.asm(Form.CSETM_X, WasmCallConv.SCRATCH0, f.cc());
      c.asm(Form.DUP_X, fpr(a, at + 2), WasmCallConv.SCRATCH0, VArr.D2);
      c.asm(Form.BSL_V, fpr(a, at + 2), fpr(a, at), fpr(a, at + 1), VArr.B16);
    });
  }
}
