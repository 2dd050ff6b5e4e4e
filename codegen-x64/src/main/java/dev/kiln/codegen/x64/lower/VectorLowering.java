package dev.kiln.codegen.x64.lower;

import static dev.kiln.codegen.regalloc.Operand.defReg;
import static dev.kiln.codegen.regalloc.Operand.defReuse;
import static dev.kiln.codegen.regalloc.Operand.useReg;
import static dev.kiln.codegen.x64.lower.Lowering.gpr;
import static dev.kiln.codegen.x64.lower.Lowering.xmm;

import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.codegen.UnsupportedLoweringException;
import dev.kiln.codegen.lower.FamilyLowering;
import dev.kiln.codegen.lower.Flags;
import dev.kiln.codegen.lower.LowerBackend;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.OperandConstraint;
import dev.kiln.codegen.regalloc.RegClass;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.x64.abi.WasmCallConv;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.ShiftForm;
import dev.kiln.codegen.x64.asm.forms.SseForm;
import dev.kiln.codegen.x64.asm.forms.VecIntForm;
import dev.kiln.codegen.x64.asm.forms.VecMoveForm;
import dev.kiln.codegen.x64.asm.forms.VecFloatForm;
import dev.kiln.codegen.x64.asm.forms.VexForm;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.FloatCC;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Lanes;
import dev.kiln.ir.Opcode;
import java.util.ArrayList;
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
final class VectorLowering extends FamilyLowering<Lowering> implements LowerBackend.VectorTestFamily<EmitContext, Cond> {
  private static final Xmm TMP = WasmCallConv.FLOAT_SCRATCH;
  /** The general-purpose temporary inside one instruction (never allocated): r11. */
  private static final Gpr T0 = WasmCallConv.SCRATCH0;

  private final VectorLaneLowering laneOps;

  VectorLowering(Lowering l) {
    super(l);
    this.laneOps = new VectorLaneLowering(l, this);
  }

  /**
   * Refuses a lane or bitwise operation when the target lacks SSSE3 or SSE4.1, which this
   * lowering assumes throughout (PSHUFB, PTEST, PMOVSX, PINSR/PEXTR, the missing min/max...).
   */
  void requireBaseline(int inst) {
    if (!l.cpu.hasSimdBaseline()) {
      Opcode op = dfg.opcode(inst);
      throw new UnsupportedLoweringException(op.text()
          + (op.hasLanes() ? "." + dfg.lanes(inst).text() : "")
          + " without the x86-64 features ssse3 and sse4_1 (compiled for " + l.cpu.text() + ")",
          dfg.sourceLoc(inst));
    }
  }

  @Override
  public void lower(int inst) {
    Opcode op = dfg.opcode(inst);
    Lanes lanes = op.hasLanes() ? dfg.lanes(inst) : null;
    requireBaseline(inst);
    switch (op) {
      case VAND -> twoAddress(inst, VecIntForm.PAND_RM);
      case VOR -> twoAddress(inst, VecIntForm.POR_RM);
      case VXOR -> twoAddress(inst, SseForm.PXOR_RM);
      case VAND_NOT -> andNot(inst);
      case VNOT -> not(inst);
      case VBITSELECT -> bitselect(inst);
      case VIADD -> twoAddress(inst, byLanes(lanes, VecIntForm.PADDB_RM, VecIntForm.PADDW_RM,
          VecIntForm.PADDD_RM, VecIntForm.PADDQ_RM));
      case VISUB -> twoAddress(inst, byLanes(lanes, VecIntForm.PSUBB_RM, VecIntForm.PSUBW_RM,
          VecIntForm.PSUBD_RM, VecIntForm.PSUBQ_RM));
      case VIMUL -> {
        if (lanes == Lanes.I64X2) {
          mulI64(inst);
        } else {
          twoAddress(inst, byLanes(lanes, null, VecIntForm.PMULLW_RM, VecIntForm.PMULLD_RM, null));
        }
      }
      case VINEG -> neg(inst, byLanes(lanes, VecIntForm.PSUBB_RM, VecIntForm.PSUBW_RM,
          VecIntForm.PSUBD_RM, VecIntForm.PSUBQ_RM));
      case VIABS -> {
        if (lanes == Lanes.I64X2) {
          absI64(inst);
        } else {
          unary(inst, byLanes(lanes, VecIntForm.PABSB_RM, VecIntForm.PABSW_RM,
              VecIntForm.PABSD_RM, null));
        }
      }
      case VSMIN -> twoAddress(inst, byLanes(lanes, VecIntForm.PMINSB_RM, VecIntForm.PMINSW_RM,
          VecIntForm.PMINSD_RM, null));
      case VUMIN -> twoAddress(inst, byLanes(lanes, VecIntForm.PMINUB_RM, VecIntForm.PMINUW_RM,
          VecIntForm.PMINUD_RM, null));
      case VSMAX -> twoAddress(inst, byLanes(lanes, VecIntForm.PMAXSB_RM, VecIntForm.PMAXSW_RM,
          VecIntForm.PMAXSD_RM, null));
      case VUMAX -> twoAddress(inst, byLanes(lanes, VecIntForm.PMAXUB_RM, VecIntForm.PMAXUW_RM,
          VecIntForm.PMAXUD_RM, null));
      case VAVGR_U -> twoAddress(inst, byLanes(lanes, VecIntForm.PAVGB_RM, VecIntForm.PAVGW_RM,
          null, null));
      case VSADD_SAT -> twoAddress(inst, byLanes(lanes, VecIntForm.PADDSB_RM, VecIntForm.PADDSW_RM,
          null, null));
      case VUADD_SAT -> twoAddress(inst, byLanes(lanes, VecIntForm.PADDUSB_RM,
          VecIntForm.PADDUSW_RM, null, null));
      case VSSUB_SAT -> twoAddress(inst, byLanes(lanes, VecIntForm.PSUBSB_RM, VecIntForm.PSUBSW_RM,
          null, null));
      case VUSUB_SAT -> twoAddress(inst, byLanes(lanes, VecIntForm.PSUBUSB_RM,
          VecIntForm.PSUBUSW_RM, null, null));
      case VISHL, VSSHR, VUSHR -> shift(inst, op, lanes);
      case VSWIDEN_LOW, VSWIDEN_HIGH, VUWIDEN_LOW, VUWIDEN_HIGH -> widen(inst, op, lanes);
      case VSEXTMUL_LOW, VSEXTMUL_HIGH, VUEXTMUL_LOW, VUEXTMUL_HIGH -> extmul(inst, op, lanes);
      case VSEXTADD_PAIRWISE, VUEXTADD_PAIRWISE -> extaddPairwise(inst,
          op == Opcode.VSEXTADD_PAIRWISE, lanes);
      case VSDOT -> twoAddress(inst, VecIntForm.PMADDWD_RM);
      case VQ15MULR_SAT -> q15mulr(inst);
      case VPOPCNT -> popcnt(inst);
      case VSNARROW -> twoAddress(inst, byLanes(lanes, VecMoveForm.PACKSSWB_RM,
          VecMoveForm.PACKSSDW_RM, null, null));
      case VUNARROW -> twoAddress(inst, byLanes(lanes, VecMoveForm.PACKUSWB_RM,
          VecMoveForm.PACKUSDW_RM, null, null));
      case VSHUFFLE -> laneOps.shuffle(inst);
      case VSWIZZLE -> laneOps.swizzle(inst);
      case VBITMASK -> laneOps.bitmask(inst, lanes);
      case VSPLAT -> laneOps.splat(inst, lanes);
      case VEXTRACTLANE, VSEXTRACTLANE -> laneOps.extractLane(inst, lanes, (int) dfg.imm(inst),
          op == Opcode.VSEXTRACTLANE);
      case VINSERTLANE -> laneOps.insertLane(inst, lanes, (int) dfg.imm(inst));
      // Relaxed swizzle (spec 4.3 "irelaxed_swizzle_lane"): PSHUFB alone, which gives 0 for an
      // index with bit 7 set and byte (index mod 16) for 16..127 (SDM Vol. 2B "PSHUFB"), both
      // allowed; i8x16.swizzle's saturating add of 0x70 is not needed (Cranelift's choice too)
      case VRELAXED_SWIZZLE -> twoAddress(inst, VecMoveForm.PSHUFB_RM);
      case VRELAXED_LANESELECT -> laneselect(inst, lanes);
      // Relaxed q15mulr (spec 4.3 "irelaxed_q15mulr_s"): PMULHRSW alone, which gives -32768 for
      // -32768 * -32768 (SDM Vol. 2B "PMULHRSW"), the wrapped result the spec allows
      case VRELAXED_Q15MULR -> twoAddress(inst, VecIntForm.PMULHRSW_RM);
      // PMADDUBSW with y as its unsigned destination ({@link #dotI8Add} says why)
      case VRELAXED_DOT_I8 -> swapped(inst, VecIntForm.PMADDUBSW_RM);
      case VRELAXED_DOT_I8_ADD -> dotI8Add(inst);
      case VICMP -> intCompare(inst, lanes, dfg.laneIntCC(inst));
      case VFCMP -> floatCompare(inst, lanes == Lanes.F64X2, dfg.laneFloatCC(inst));
      default -> throw unsupported(inst);
    }
  }

  /**
   * The form of an integer operation for {@code lanes}, from its 8-, 16-, 32- and 64-bit forms
   * (null where SSE has none: the opcode's lane set rules that shape out, or the caller handles it
   * with a sequence).
   */
  private static Form byLanes(Lanes lanes, Form b, Form w, Form d, Form q) {
    Form f = switch (lanes) {
      case I8X16 -> b;
      case I16X8 -> w;
      case I32X4 -> d;
      case I64X2 -> q;
      default -> null;
    };
    if (f == null) {
      throw new IllegalArgumentException("no SSE form for " + lanes);
    }
    return f;
  }

  /** {@code t = c}. */
  @Override
  public void materialize(VReg t, DataFlowGraph.VectorConstant c) {
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
   * ZF is set when no bit is (SDM Vol. 2B "PTEST"), so the condition holds on NE; {@code vall_true}
   * compares each lane with zero into xmm15 and holds when no lane was equal, ZF set (E).
   */
  @Override
  public Flags<EmitContext, Cond> testFlags(int inst) {
    requireBaseline(inst);
    VReg x = l.use(dfg.arg(inst, 0));
    if (dfg.opcode(inst) == Opcode.VANY_TRUE) {
      return new Flags<>(List.of(x), (c, a, at) -> c.asm(VecIntForm.PTEST_RM, xmm(a, at),
          xmm(a, at)), Cond.NE);
    }
    Form eq = byLanes(dfg.lanes(inst), VecIntForm.PCMPEQB_RM, VecIntForm.PCMPEQW_RM,
        VecIntForm.PCMPEQD_RM, VecIntForm.PCMPEQQ_RM);
    return new Flags<>(List.of(x), (c, a, at) -> {
      c.asm(SseForm.PXOR_RM, TMP, TMP);
      c.asm(eq, TMP, xmm(a, at));
      c.asm(VecIntForm.PTEST_RM, TMP, TMP);
    }, Cond.E);
  }

  VReg result(int inst) {
    return l.vreg(dfg.firstResult(inst));
  }

  /**
   * {@code d = x op y} as {@code d := x; op y, d}, or with AVX as the three-address {@code vop y,
   * x, d}, which needs no copy of x when it stays live. A constant y is read from the constant
   * pool, 16-aligned as SSE's memory operands need, instead of loaded into a register first.
   */
  void twoAddress(int inst, Form form) {
    VReg x = l.use(dfg.arg(inst, 0));
    Form vex = avx(form);
    int yValue = dfg.arg(inst, 1);
    if (l.isVectorConst(yValue)) {
      DataFlowGraph.VectorConstant k = l.vectorConstValue(yValue);
      l.add(dfg.opcode(inst).text(), List.of(useReg(x),
          vex != null ? defReg(result(inst)) : defReuse(result(inst), 0)),
          (c, a) -> threeAddress(c, form, vex != null, xmm(a, 1), xmm(a, 0),
              c.constant(k.low(), k.high())));
      return;
    }
    VReg y = l.use(yValue);
    l.add(dfg.opcode(inst).text(), List.of(useReg(x), useReg(y),
        vex != null ? defReg(result(inst)) : defReuse(result(inst), 0)),
        (c, a) -> threeAddress(c, form, vex != null, xmm(a, 2), xmm(a, 0), xmm(a, 1)));
  }

  /**
   * {@code d = y op x} as {@code d := y; op x, d}, or with AVX {@code vop x, y, d}: for the forms
   * whose destination operand is read differently from their source (MINPS for pmin, PMADDUBSW).
   */
  void swapped(int inst, Form form) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    Opcode op = dfg.opcode(inst);
    String name = op.text() + (op.hasLanes() ? "." + dfg.lanes(inst).text() : "");
    Form vex = avx(form);
    if (vex != null) {
      l.add(name, List.of(useReg(x), useReg(y), defReg(result(inst))),
          (c, a) -> c.asm(vex, xmm(a, 2), xmm(a, 1), xmm(a, 0)));
      return;
    }
    l.add(name, List.of(useReg(x), useReg(y), defReuse(result(inst), 1)),
        (c, a) -> c.asm(form, xmm(a, 2), xmm(a, 0)));
  }

  /** The AVX form of SSE form {@code form} when the target has AVX and there is one, else null. */
  Form avx(Form form) {
    return l.cpu.has(X64Feature.AVX) ? VexForm.of(form) : null;
  }

  // ------------------------------------------------------------------ shifts

  /**
   * A lane-wise shift by a scalar count taken modulo the lane width (spec 4.4.3 "vishiftop"): an
   * immediate when the count is a constant, else the masked count moved into xmm15, which the
   * register forms read (SDM Vol. 2B "PSLLW/PSLLD/PSLLQ": the count is the low 64 bits). SSE has
   * no byte shifts and no 64-bit arithmetic shift; those are sequences ({@link #shiftBytes},
   * {@link #arithmeticShiftI64}).
   */
  private void shift(int inst, Opcode op, Lanes lanes) {
    int count = dfg.arg(inst, 1);
    int mask = lanes.laneBits() - 1;
    boolean constant = l.isConst(count);
    int n = constant ? (int) (l.constValue(count) & mask) : -1;
    if (lanes == Lanes.I8X16) {
      shiftBytes(inst, op, n);
      return;
    }
    if (lanes == Lanes.I64X2 && op == Opcode.VSSHR) {
      arithmeticShiftI64(inst, n);
      return;
    }
    Form[] forms = switch (op) {
      case VISHL -> new Form[] {VecIntForm.PSLLW_MI, VecIntForm.PSLLD_MI, VecIntForm.PSLLQ_MI,
          VecIntForm.PSLLW_RM, VecIntForm.PSLLD_RM, VecIntForm.PSLLQ_RM};
      case VUSHR -> new Form[] {VecIntForm.PSRLW_MI, VecIntForm.PSRLD_MI, VecIntForm.PSRLQ_MI,
          VecIntForm.PSRLW_RM, VecIntForm.PSRLD_RM, VecIntForm.PSRLQ_RM};
      default -> new Form[] {VecIntForm.PSRAW_MI, VecIntForm.PSRAD_MI, null,
          VecIntForm.PSRAW_RM, VecIntForm.PSRAD_RM, null};
    };
    int width = Integer.numberOfTrailingZeros(lanes.laneBits() / 16); // 0 words, 1 dwords, 2 qwords
    Form byImmediate = forms[width];
    Form byRegister = forms[3 + width];
    VReg x = l.use(dfg.arg(inst, 0));
    Form vex = avx(byImmediate);
    if (constant && vex != null && n != 0) {
      l.add(op.text() + "." + lanes.text(), List.of(useReg(x), defReg(result(inst))),
          (c, a) -> c.asm(vex, xmm(a, 1), xmm(a, 0), Imm.of(n)));
      return;
    }
    if (constant) {
      l.add(op.text() + "." + lanes.text(), List.of(useReg(x), defReuse(result(inst), 0)),
          (c, a) -> {
            if (n != 0) {
              c.asm(byImmediate, xmm(a, 1), Imm.of(n));
            }
          });
      return;
    }
    VReg y = l.use(count);
    boolean avx = hasAvx();
    l.add(op.text() + "." + lanes.text(), List.of(useReg(x), useReg(y),
        avx ? defReg(result(inst)) : defReuse(result(inst), 0)), (c, a) -> {
          maskedCount(c, gpr(a, 1), mask, 0);
          threeAddress(c, byRegister, avx, xmm(a, 2), avx ? xmm(a, 0) : xmm(a, 2), TMP);
        });
  }

  /** xmm15 = ({@code count} & {@code mask}) + {@code add}, through r11. */
  private static void maskedCount(EmitContext c, Gpr count, int mask, int add) {
    c.asm(MovForm.MOVL_RM, T0, count);
    c.asm(AluForm.ANDL_MI8, T0, Imm.of(mask));
    if (add != 0) {
      c.asm(AluForm.ADDL_MI8, T0, Imm.of(add));
    }
    c.asm(SseForm.MOVD_TO_XMM, TMP, T0);
  }

  /**
   * Byte shifts, which SSE lacks (Cranelift's sequences, cranelift/codegen/src/isa/x64/lower.isle):
   * a word shift moves bits across the bytes of each word, so a left or logical right shift clears
   * them with a mask of {@code 0xff << n} or {@code 0xff >> n} per byte, a pool constant for a
   * constant count and a row of an 8-row table indexed by {@code n << 4} otherwise; an arithmetic
   * right shift interleaves each byte with itself into a word, shifts the words right by {@code n +
   * 8} and packs them back with signed saturation, which cannot saturate.
   */
  private void shiftBytes(int inst, Opcode op, int n) {
    boolean constant = n >= 0;
    VReg x = l.use(dfg.arg(inst, 0));
    List<Operand> ops = new ArrayList<>(List.of(useReg(x)));
    if (!constant) {
      ops.add(useReg(l.use(dfg.arg(inst, 1))));
    }
    int at = ops.size();
    ops.add(defReuse(result(inst), 0));
    if (op == Opcode.VSSHR) {
      VReg high = l.vcode().newVReg(RegClass.FLOAT);
      ops.add(Operand.earlyDef(high, OperandConstraint.REG));
      l.add("vsshr.i8x16", ops, (c, a) -> {
        Xmm d = xmm(a, at);
        Xmm hi = xmm(a, at + 1);
        c.asm(SseForm.MOVAPS_RM, hi, d);
        c.asm(VecMoveForm.PUNPCKHBW_RM, hi, hi);
        c.asm(VecMoveForm.PUNPCKLBW_RM, d, d);
        if (constant) {
          c.asm(VecIntForm.PSRAW_MI, d, Imm.of(n + 8));
          c.asm(VecIntForm.PSRAW_MI, hi, Imm.of(n + 8));
        } else {
          maskedCount(c, gpr(a, 1), 7, 8);
          c.asm(VecIntForm.PSRAW_RM, d, TMP);
          c.asm(VecIntForm.PSRAW_RM, hi, TMP);
        }
        c.asm(VecMoveForm.PACKSSWB_RM, d, hi);
      });
      return;
    }
    boolean left = op == Opcode.VISHL;
    Form vex = avx(left ? VecIntForm.PSLLW_MI : VecIntForm.PSRLW_MI);
    if (constant && vex != null) {
      // vpsllw/vpsrlw $n, x, d; vpand mask, d, d: no copy of x.
      long row = splatByte(left ? 0xFF << n : 0xFF >>> n);
      l.add(op.text() + ".i8x16", List.of(useReg(x), defReg(result(inst))), (c, a) -> {
        c.asm(vex, xmm(a, 1), xmm(a, 0), Imm.of(n));
        c.asm(VexForm.VPAND, xmm(a, 1), xmm(a, 1), c.constant(row, row));
      });
      return;
    }
    if (!constant) {
      // The table's address: a register of the allocator's, since r11 holds the row offset.
      ops.add(Operand.earlyDef(l.vcode().newVReg(RegClass.INT), OperandConstraint.REG));
    }
    l.add(op.text() + ".i8x16", ops, (c, a) -> {
      Xmm d = xmm(a, at);
      if (constant) {
        c.asm(left ? VecIntForm.PSLLW_MI : VecIntForm.PSRLW_MI, d, Imm.of(n));
        long row = splatByte(left ? 0xFF << n : 0xFF >>> n);
        c.asm(VecIntForm.PAND_RM, d, c.constant(row, row));
        return;
      }
      Gpr table = gpr(a, at + 1);
      maskedCount(c, gpr(a, 1), 7, 0);
      c.asm(left ? VecIntForm.PSLLW_RM : VecIntForm.PSRLW_RM, d, TMP);
      c.asm(ShiftForm.SHLL_MI, T0, Imm.of(4)); // the row of this count
      c.asm(MovForm.LEAQ_RM, table, c.constantTable(byteMaskTable(left)));
      c.asm(VecIntForm.PAND_RM, d, Amode.baseIndex(table, T0, 1, 0));
    });
  }

  /** The eight 16-byte rows of {@code 0xff << n} (left) or {@code 0xff >> n} bytes, n = 0..7. */
  private static byte[] byteMaskTable(boolean left) {
    byte[] table = new byte[8 * 16];
    for (int n = 0; n < 8; n++) {
      java.util.Arrays.fill(table, 16 * n, 16 * n + 16, (byte) (left ? 0xFF << n : 0xFF >>> n));
    }
    return table;
  }

  /** {@code b} in each of the 8 bytes of a long. */
  static long splatByte(int b) {
    return 0x0101_0101_0101_0101L * (b & 0xFF);
  }

  /** {@code w} in each of the 4 16-bit words of a long. */
  private static long splatWord(int w) {
    return 0x0001_0001_0001_0001L * (w & 0xFFFF);
  }

  /**
   * i64x2 arithmetic right shift without AVX-512's VPSRAQ: the logical shift of x, with the sign
   * bit shifted the same way as m, gives {@code (x >>> n ^ m) - m}, which copies the sign into the
   * vacated bits (Cranelift's sequence). m is a pool constant for a constant count.
   */
  private void arithmeticShiftI64(int inst, int n) {
    VReg x = l.use(dfg.arg(inst, 0));
    if (n >= 0) {
      long m = Long.MIN_VALUE >>> n;
      l.add("vsshr.i64x2", List.of(useReg(x), defReuse(result(inst), 0)), (c, a) -> {
        c.asm(VecIntForm.PSRLQ_MI, xmm(a, 1), Imm.of(n));
        c.asm(SseForm.PXOR_RM, xmm(a, 1), c.constant(m, m));
        c.asm(VecIntForm.PSUBQ_RM, xmm(a, 1), c.constant(m, m));
      });
      return;
    }
    VReg y = l.use(dfg.arg(inst, 1));
    VReg t = l.vcode().newVReg(RegClass.FLOAT);
    l.add("vsshr.i64x2", List.of(useReg(x), useReg(y), defReuse(result(inst), 0),
        Operand.earlyDef(t, OperandConstraint.REG)), (c, a) -> {
          Xmm d = xmm(a, 2);
          Xmm m = xmm(a, 3);
          maskedCount(c, gpr(a, 1), 63, 0);
          c.asm(VecMoveForm.MOVDQU_RM, m, c.constant(Long.MIN_VALUE, Long.MIN_VALUE));
          c.asm(VecIntForm.PSRLQ_RM, m, TMP);
          c.asm(VecIntForm.PSRLQ_RM, d, TMP);
          c.asm(SseForm.PXOR_RM, d, m);
          c.asm(VecIntForm.PSUBQ_RM, d, m);
        });
  }

  // ------------------------------------------------------------------ widening

  /**
   * Half of the lanes, each extended to twice its width: PMOVSX/PMOVZX widen the low 8 bytes of
   * their source, and the high half is first moved down by PSHUFD into xmm15.
   */
  private void widen(int inst, Opcode op, Lanes lanes) {
    boolean signed = op == Opcode.VSWIDEN_LOW || op == Opcode.VSWIDEN_HIGH;
    boolean high = op == Opcode.VSWIDEN_HIGH || op == Opcode.VUWIDEN_HIGH;
    Form form = signed
        ? byLanes(lanes, null, VecMoveForm.PMOVSXBW_RM, VecMoveForm.PMOVSXWD_RM,
            VecMoveForm.PMOVSXDQ_RM)
        : byLanes(lanes, null, VecMoveForm.PMOVZXBW_RM, VecMoveForm.PMOVZXWD_RM,
            VecMoveForm.PMOVZXDQ_RM);
    VReg x = l.use(dfg.arg(inst, 0));
    l.add(op.text() + "." + lanes.text(), List.of(useReg(x), defReg(result(inst))), (c, a) -> {
      Xmm source = xmm(a, 0);
      if (high) {
        c.asm(VecMoveForm.PSHUFD_RMI, TMP, source, Imm.of(0xEE));
        source = TMP;
      }
      c.asm(form, xmm(a, 1), source);
    });
  }

  /**
   * Products of the low or high halves' lanes, twice as wide (Cranelift's sequences): bytes are
   * widened first and multiplied as words; words give the low and high halves of their products
   * (PMULLW, PMULHW or PMULHUW), interleaved into dwords; dwords are spread to the even lanes by
   * PSHUFD for PMULDQ or PMULUDQ, which multiply those. y is read before the result is written,
   * so the result may share a register with either operand.
   */
  private void extmul(int inst, Opcode op, Lanes lanes) {
    boolean signed = op == Opcode.VSEXTMUL_LOW || op == Opcode.VSEXTMUL_HIGH;
    boolean high = op == Opcode.VSEXTMUL_HIGH || op == Opcode.VUEXTMUL_HIGH;
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    String name = op.text() + "." + lanes.text();
    if (lanes == Lanes.I32X4) {
      l.add(name, List.of(useReg(x), useReg(y), defReuse(result(inst), 0)), (c, a) -> {
        Xmm d = xmm(a, 2);
        c.asm(SseForm.MOVAPS_RM, TMP, d);
        c.asm(VecIntForm.PMULLW_RM, d, xmm(a, 1));
        c.asm(signed ? VecIntForm.PMULHW_RM : VecIntForm.PMULHUW_RM, TMP, xmm(a, 1));
        c.asm(high ? VecMoveForm.PUNPCKHWD_RM : VecMoveForm.PUNPCKLWD_RM, d, TMP);
      });
      return;
    }
    l.add(name, List.of(useReg(x), useReg(y), defReg(result(inst))), (c, a) -> {
      Xmm d = xmm(a, 2);
      if (lanes == Lanes.I16X8) {
        Form widen = signed ? VecMoveForm.PMOVSXBW_RM : VecMoveForm.PMOVZXBW_RM;
        if (high) {
          c.asm(VecMoveForm.PSHUFD_RMI, TMP, xmm(a, 1), Imm.of(0xEE));
          c.asm(widen, TMP, TMP);
          c.asm(VecMoveForm.PSHUFD_RMI, d, xmm(a, 0), Imm.of(0xEE));
          c.asm(widen, d, d);
        } else {
          c.asm(widen, TMP, xmm(a, 1));
          c.asm(widen, d, xmm(a, 0));
        }
        c.asm(VecIntForm.PMULLW_RM, d, TMP);
      } else {
        int lanesOfHalf = high ? 0xFA : 0x50; // dwords 2,2,3,3 or 0,0,1,1
        c.asm(VecMoveForm.PSHUFD_RMI, TMP, xmm(a, 1), Imm.of(lanesOfHalf));
        c.asm(VecMoveForm.PSHUFD_RMI, d, xmm(a, 0), Imm.of(lanesOfHalf));
        c.asm(signed ? VecIntForm.PMULDQ_RM : VecIntForm.PMULUDQ_RM, d, TMP);
      }
    });
  }

  /**
   * Sums of adjacent lanes, widened, as multiply-adds by 1: PMADDUBSW multiplies unsigned bytes of
   * its destination by signed bytes of its source, so a signed x is the source with ones in the
   * destination (written first: an early def) and an unsigned x the destination; PMADDWD is
   * signed only, so an unsigned x is biased by -0x8000 per word (its top bit flipped) and the
   * two biases are added back to each sum (Cranelift's sequence).
   */
  private void extaddPairwise(int inst, boolean signed, Lanes lanes) {
    VReg x = l.use(dfg.arg(inst, 0));
    String name = dfg.opcode(inst).text() + "." + lanes.text();
    long ones = lanes == Lanes.I16X8 ? splatByte(1) : splatWord(1);
    if (lanes == Lanes.I16X8 && signed) {
      l.add(name, List.of(useReg(x), Operand.earlyDef(result(inst), OperandConstraint.REG)),
          (c, a) -> {
            c.asm(VecMoveForm.MOVDQU_RM, xmm(a, 1), c.constant(ones, ones));
            c.asm(VecIntForm.PMADDUBSW_RM, xmm(a, 1), xmm(a, 0));
          });
      return;
    }
    l.add(name, List.of(useReg(x), defReuse(result(inst), 0)), (c, a) -> {
      Xmm d = xmm(a, 1);
      if (lanes == Lanes.I16X8) {
        c.asm(VecIntForm.PMADDUBSW_RM, d, c.constant(ones, ones));
        return;
      }
      long bias = splatWord(0x8000);
      long unbias = 0x0001_0000_0001_0000L;
      if (!signed) {
        c.asm(SseForm.PXOR_RM, d, c.constant(bias, bias));
      }
      c.asm(VecIntForm.PMADDWD_RM, d, c.constant(ones, ones));
      if (!signed) {
        c.asm(VecIntForm.PADDD_RM, d, c.constant(unbias, unbias));
      }
    });
  }

  /**
   * PMULHRSW computes {@code (x*y + 0x4000) >> 15} exactly, but -0x8000 * -0x8000 wraps to -0x8000
   * where wasm saturates to 0x7fff: lanes equal to 0x8000 are flipped by XOR with their compare
   * mask.
   */
  private void q15mulr(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    long min = splatWord(0x8000);
    l.add("vq15mulr_sat.i16x8", List.of(useReg(x), useReg(y), defReuse(result(inst), 0)),
        (c, a) -> {
          Xmm d = xmm(a, 2);
          c.asm(VecIntForm.PMULHRSW_RM, d, xmm(a, 1));
          c.asm(VecMoveForm.MOVDQU_RM, TMP, c.constant(min, min));
          c.asm(VecIntForm.PCMPEQW_RM, TMP, d);
          c.asm(SseForm.PXOR_RM, d, TMP);
        });
  }

  /**
   * Bits per byte by a 16-entry table of the counts of 0..15, looked up by PSHUFB for the low and
   * the high nibble of each byte and added (Cranelift's SSSE3 sequence; the high nibbles are
   * word-shifted down, so the bits shifted in from the next byte are masked off).
   */
  private void popcnt(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg t = l.vcode().newVReg(RegClass.FLOAT);
    long nibble = splatByte(0x0F);
    long countsLow = 0x0302_0201_0201_0100L; // popcount of 0..7, byte n the count of n
    long countsHigh = 0x0403_0302_0302_0201L; // of 8..15
    l.add("vpopcnt.i8x16", List.of(useReg(x), defReuse(result(inst), 0),
        Operand.earlyDef(t, OperandConstraint.REG)), (c, a) -> {
          Xmm d = xmm(a, 1);
          Xmm counts = xmm(a, 2);
          c.asm(SseForm.MOVAPS_RM, TMP, d);
          c.asm(VecIntForm.PSRLW_MI, TMP, Imm.of(4));
          c.asm(VecIntForm.PAND_RM, TMP, c.constant(nibble, nibble));
          c.asm(VecIntForm.PAND_RM, d, c.constant(nibble, nibble));
          c.asm(VecMoveForm.MOVDQU_RM, counts, c.constant(countsLow, countsHigh));
          c.asm(VecMoveForm.PSHUFB_RM, counts, d);
          c.asm(VecMoveForm.MOVDQU_RM, d, c.constant(countsLow, countsHigh));
          c.asm(VecMoveForm.PSHUFB_RM, d, TMP);
          c.asm(VecIntForm.PADDB_RM, d, counts);
        });
  }

  // ------------------------------------------------------------------ comparisons

  /** The instructions of a comparison, into the result register from x and y. */
  @FunctionalInterface
  private interface CompareBody {
    /** {@code d = x cmp y}; without AVX d is x; y is a register or a pool constant. */
    void emit(EmitContext c, Xmm d, Xmm x, dev.kiln.codegen.x64.asm.Operand y);
  }

  /**
   * {@code d = x op y}: AVX's three-address form when {@code vex}, else the two-address SSE
   * {@code op y, d} with d already x. AVX code keeps to VEX forms even where the allocator made d
   * x: a legacy SSE instruction may wait on the upper halves of its register, which VEX.128 forms
   * zero (Intel Optimization Reference Manual, "Mixing AVX code with SSE code").
   */
  private static void threeAddress(EmitContext c, Form form, boolean vex, Xmm d, Xmm x,
      dev.kiln.codegen.x64.asm.Operand y) {
    if (vex) {
      c.asm(VexForm.of(form), d, x, y);
    } else {
      c.asm(form, d, y);
    }
  }

  /** Whether the lowering uses AVX's three-address forms. */
  boolean hasAvx() {
    return l.cpu.has(X64Feature.AVX);
  }

  /**
   * A lane comparison as one sequence {@code d = x cmp y}, with the operands swapped first
   * ({@code lt} as {@code gt} of y and x) and the result complemented after ({@code ne} as not
   * {@code eq}), as asked. SSE compares only for equality and signed greater-than, so the other
   * conditions are these rewrites or the min/max identities below. Without AVX d is x.
   */
  private void compare(int inst, boolean swap, boolean invert, CompareBody body) {
    VReg x = l.use(dfg.arg(inst, swap ? 1 : 0));
    int yValue = dfg.arg(inst, swap ? 0 : 1);
    boolean avx = hasAvx();
    Operand d = avx ? defReg(result(inst)) : defReuse(result(inst), 0);
    if (l.isVectorConst(yValue)) {
      DataFlowGraph.VectorConstant k = l.vectorConstValue(yValue);
      l.add(dfg.opcode(inst).text(), List.of(useReg(x), d), (c, a) -> {
        body.emit(c, xmm(a, 1), xmm(a, 0), c.constant(k.low(), k.high()));
        if (invert) {
          complement(c, xmm(a, 1), avx);
        }
      });
      return;
    }
    VReg y = l.use(yValue);
    l.add(dfg.opcode(inst).text(), List.of(useReg(x), useReg(y), d), (c, a) -> {
      body.emit(c, xmm(a, 2), avx ? xmm(a, 0) : xmm(a, 2), xmm(a, 1));
      if (invert) {
        complement(c, xmm(a, 2), avx);
      }
    });
  }

  /** {@code d = ~d} with an all-ones xmm15, in VEX forms when {@code vex}. */
  private static void complement(EmitContext c, Xmm d, boolean vex) {
    threeAddress(c, VecIntForm.PCMPEQD_RM, vex, TMP, TMP, TMP);
    threeAddress(c, SseForm.PXOR_RM, vex, d, d, TMP);
  }

  /** {@code d = op(x, y) == x}: with op a max, x >= y; with a min, x <= y (signed or not as op). */
  private CompareBody equalsItself(Form minOrMax, Form eq) {
    boolean avx = hasAvx();
    return (c, d, x, y) -> {
      if (avx) {
        c.asm(VexForm.of(minOrMax), TMP, x, y);
      } else {
        c.asm(SseForm.MOVAPS_RM, TMP, d);
        c.asm(minOrMax, TMP, y);
      }
      threeAddress(c, eq, avx, d, x, TMP);
    };
  }

  private void intCompare(int inst, Lanes lanes, IntCC cc) {
    Form eq = byLanes(lanes, VecIntForm.PCMPEQB_RM, VecIntForm.PCMPEQW_RM, VecIntForm.PCMPEQD_RM,
        VecIntForm.PCMPEQQ_RM);
    boolean avx = hasAvx();
    CompareBody equal = (c, d, x, y) -> threeAddress(c, eq, avx, d, x, y);
    if (lanes == Lanes.I64X2 && cc != IntCC.EQ && cc != IntCC.NE) {
      // Only signed comparisons exist for i64x2 (spec 4.4.3); all are greater-than rewrites.
      boolean swap = cc == IntCC.SLT || cc == IntCC.SGE;
      boolean invert = cc == IntCC.SLE || cc == IntCC.SGE;
      if (l.cpu.has(X64Feature.SSE4_2)) {
        compare(inst, swap, invert,
            (c, d, x, y) -> threeAddress(c, VecIntForm.PCMPGTQ_RM, avx, d, x, y));
      } else {
        greaterI64(inst, swap, invert);
      }
      return;
    }
    switch (cc) {
      case EQ -> compare(inst, false, false, equal);
      case NE -> compare(inst, false, true, equal);
      case SGT, SLT -> {
        Form gt = byLanes(lanes, VecIntForm.PCMPGTB_RM, VecIntForm.PCMPGTW_RM,
            VecIntForm.PCMPGTD_RM, null);
        compare(inst, cc == IntCC.SLT, false, (c, d, x, y) -> threeAddress(c, gt, avx, d, x, y));
      }
      case SGE -> compare(inst, false, false, equalsItself(byLanes(lanes, VecIntForm.PMAXSB_RM,
          VecIntForm.PMAXSW_RM, VecIntForm.PMAXSD_RM, null), eq));
      case SLE -> compare(inst, false, false, equalsItself(byLanes(lanes, VecIntForm.PMINSB_RM,
          VecIntForm.PMINSW_RM, VecIntForm.PMINSD_RM, null), eq));
      case UGE, ULT -> compare(inst, false, cc == IntCC.ULT, equalsItself(byLanes(lanes,
          VecIntForm.PMAXUB_RM, VecIntForm.PMAXUW_RM, VecIntForm.PMAXUD_RM, null), eq));
      case ULE, UGT -> compare(inst, false, cc == IntCC.UGT, equalsItself(byLanes(lanes,
          VecIntForm.PMINUB_RM, VecIntForm.PMINUW_RM, VecIntForm.PMINUD_RM, null), eq));
    }
  }

  /**
   * Signed i64x2 greater-than without SSE4.2's PCMPGTQ, from 32-bit halves: {@code hi(x) > hi(y)},
   * or equal high halves and {@code lo(x) > lo(y)} unsigned, which is a signed compare after the
   * low halves' sign bits are flipped (LLVM's lowering). {@code swap} and {@code invert} as in
   * {@link #compare}. The result is written before y is read, so it is an early def; a second
   * temporary joins xmm15.
   */
  private void greaterI64(int inst, boolean swap, boolean invert) {
    VReg x = l.use(dfg.arg(inst, swap ? 1 : 0));
    VReg y = l.use(dfg.arg(inst, swap ? 0 : 1));
    VReg t = l.vcode().newVReg(RegClass.FLOAT);
    l.add("vicmp.i64x2", List.of(useReg(x), useReg(y), Operand.earlyDef(result(inst),
        OperandConstraint.REG), Operand.earlyDef(t, OperandConstraint.REG)), (c, a) -> {
          Xmm d = xmm(a, 2);
          Xmm gt = xmm(a, 3);
          c.asm(VecMoveForm.MOVDQU_RM, TMP, c.constant(0x8000_0000L, 0x8000_0000L));
          c.asm(SseForm.MOVAPS_RM, d, xmm(a, 0));
          c.asm(SseForm.PXOR_RM, d, TMP); // x with its low halves' sign bits flipped
          c.asm(SseForm.PXOR_RM, TMP, xmm(a, 1)); // the same for y
          c.asm(SseForm.MOVAPS_RM, gt, d);
          c.asm(VecIntForm.PCMPGTD_RM, gt, TMP);
          c.asm(VecIntForm.PCMPEQD_RM, d, TMP);
          c.asm(VecMoveForm.PSHUFD_RMI, d, d, Imm.of(0xF5)); // high halves equal, in both halves
          c.asm(VecMoveForm.PSHUFD_RMI, TMP, gt, Imm.of(0xA0)); // low halves greater
          c.asm(VecIntForm.PAND_RM, d, TMP);
          c.asm(VecMoveForm.PSHUFD_RMI, TMP, gt, Imm.of(0xF5)); // high halves greater
          c.asm(VecIntForm.POR_RM, d, TMP);
          if (invert) {
            complement(c, d, false); // only without SSE4.2, so without AVX
          }
        });
  }

  /**
   * CMPPS/CMPPD have ordered eq, lt, le and unordered neq, which is wasm's set (spec 4.3.3 "flt",
   * "fne"); gt and ge are lt and le with the operands swapped.
   */
  private void floatCompare(int inst, boolean f64, FloatCC cc) {
    Form form = switch (cc) {
      case EQ -> f64 ? VecFloatForm.CMPEQPD_RM : VecFloatForm.CMPEQPS_RM;
      case NE -> f64 ? VecFloatForm.CMPNEQPD_RM : VecFloatForm.CMPNEQPS_RM;
      case LT, GT -> f64 ? VecFloatForm.CMPLTPD_RM : VecFloatForm.CMPLTPS_RM;
      case LE, GE -> f64 ? VecFloatForm.CMPLEPD_RM : VecFloatForm.CMPLEPS_RM;
      default -> throw new IllegalArgumentException("no wasm comparison " + cc);
    };
    boolean avx = hasAvx();
    compare(inst, cc == FloatCC.GT || cc == FloatCC.GE, false,
        (c, d, x, y) -> threeAddress(c, form, avx, d, x, y));
  }

  // ------------------------------------------------------------------ arithmetic

  /** {@code d = op x} where the form writes its destination whole ({@code pabsb d, x}). */
  void unary(int inst, Form form) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add(dfg.opcode(inst).text(), List.of(useReg(x), defReg(result(inst))),
        (c, a) -> c.asm(form, xmm(a, 1), xmm(a, 0)));
  }

  /** {@code 0 - x}: the result is zeroed first, so it is an early def, apart from x. */
  private void neg(int inst, Form sub) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add("vineg", List.of(useReg(x), Operand.earlyDef(result(inst), OperandConstraint.REG)),
        (c, a) -> {
          c.asm(SseForm.PXOR_RM, xmm(a, 1), xmm(a, 1));
          c.asm(sub, xmm(a, 1), xmm(a, 0));
        });
  }

  /**
   * i64x2 multiply without AVX-512's {@code vpmullq}: from 32-bit halves, {@code lo(x)*lo(y) +
   * ((hi(x)*lo(y) + lo(x)*hi(y)) << 32)}, each product a PMULUDQ (Cranelift's SSE sequence).
   */
  private void mulI64(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg t = l.vcode().newVReg(RegClass.FLOAT);
    l.add("vimul.i64x2", List.of(useReg(x), useReg(y), defReuse(result(inst), 0),
        Operand.earlyDef(t, OperandConstraint.REG)), (c, a) -> {
          Xmm d = xmm(a, 2);
          Xmm t2 = xmm(a, 3);
          c.asm(SseForm.MOVAPS_RM, TMP, d);
          c.asm(VecIntForm.PSRLQ_MI, TMP, Imm.of(32));
          c.asm(VecIntForm.PMULUDQ_RM, TMP, xmm(a, 1)); // hi(x) * lo(y)
          c.asm(SseForm.MOVAPS_RM, t2, xmm(a, 1));
          c.asm(VecIntForm.PSRLQ_MI, t2, Imm.of(32));
          c.asm(VecIntForm.PMULUDQ_RM, t2, d); // lo(x) * hi(y)
          c.asm(VecIntForm.PADDQ_RM, TMP, t2);
          c.asm(VecIntForm.PSLLQ_MI, TMP, Imm.of(32));
          c.asm(VecIntForm.PMULUDQ_RM, d, xmm(a, 1)); // lo(x) * lo(y)
          c.asm(VecIntForm.PADDQ_RM, d, TMP);
        });
  }

  /**
   * i64x2 abs without a 64-bit arithmetic shift: the high dword of each lane copied to both
   * halves and shifted right by 31 is the lane's sign mask s; {@code (x ^ s) - s}.
   */
  private void absI64(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add("viabs.i64x2", List.of(useReg(x), defReuse(result(inst), 0)), (c, a) -> {
      c.asm(VecMoveForm.PSHUFD_RMI, TMP, xmm(a, 1), Imm.of(0xF5));
      c.asm(VecIntForm.PSRAD_MI, TMP, Imm.of(31));
      c.asm(SseForm.PXOR_RM, xmm(a, 1), TMP);
      c.asm(VecIntForm.PSUBQ_RM, xmm(a, 1), TMP);
    });
  }

  /**
   * {@code x & ~y}: PANDN complements its destination, so the result starts as y; with AVX
   * {@code vpandn x, y, d}.
   */
  private void andNot(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    if (hasAvx()) {
      l.add("vand_not", List.of(useReg(x), useReg(y), defReg(result(inst))),
          (c, a) -> c.asm(VexForm.VPANDN, xmm(a, 2), xmm(a, 1), xmm(a, 0)));
      return;
    }
    l.add("vand_not", List.of(useReg(x), useReg(y), defReuse(result(inst), 1)),
        (c, a) -> c.asm(VecIntForm.PANDN_RM, xmm(a, 2), xmm(a, 0)));
  }

  /** {@code ~x}: XOR with all ones, which PCMPEQD of a register with itself makes. */
  private void not(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    boolean avx = hasAvx();
    l.add("vnot", List.of(useReg(x), avx ? defReg(result(inst)) : defReuse(result(inst), 0)),
        (c, a) -> {
          c.asm(VecIntForm.PCMPEQD_RM, TMP, TMP);
          threeAddress(c, SseForm.PXOR_RM, avx, xmm(a, 1), xmm(a, 0), TMP);
        });
  }

  /**
   * Relaxed laneselect (spec 4.3 "irelaxed_laneselect"): with AVX, VPBLENDVB, VBLENDVPS or
   * VBLENDVPD take each byte, dword or qword lane from x where the mask lane's top bit is set and
   * from y elsewhere (SDM Vol. 2B "PBLENDVB", Vol. 2A "BLENDVPS", "BLENDVPD"), one of the two
   * results the spec allows, in one instruction. i16x8 has no word blend (a byte blend would mix
   * the halves of a lane, which the spec does not allow), and the SSE4.1 forms read the mask from
   * xmm0 only; those are {@link #bitselect}, the other allowed result. The choice depends on the
   * AVX feature, which the artifact's compat header records.
   */
  private void laneselect(int inst, Lanes lanes) {
    if (!hasAvx() || lanes == Lanes.I16X8) {
      bitselect(inst);
      return;
    }
    Form blend = lanes == Lanes.I8X16 ? VexForm.VPBLENDVB
        : lanes == Lanes.I32X4 ? VexForm.VBLENDVPS : VexForm.VBLENDVPD;
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg m = l.use(dfg.arg(inst, 2));
    l.add("vrelaxed_laneselect." + lanes.text(), List.of(useReg(x), useReg(y), useReg(m),
        defReg(result(inst))), (c, a) -> c.asm(blend, xmm(a, 3), xmm(a, 1), xmm(a, 0), xmm(a, 2)));
  }

  /**
   * Relaxed dot-add (spec 4.3 "irelaxed_dot_mul"): PMADDUBSW multiplies the unsigned bytes of
   * its destination, here y (the 7-bit operand, so a byte of 128 or more is read unsigned), by
   * the signed bytes of x and adds pairs into words with signed saturation (SDM Vol. 2B
   * "PMADDUBSW"), which is {@code i16x8.relaxed_dot_i8x16_i7x16_s} in one instruction; PMADDWD
   * with ones then sums word pairs into dwords, and PADDD adds z. The result is written before z
   * is read, so it is an early def.
   */
  private void dotI8Add(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    VReg z = l.use(dfg.arg(inst, 2));
    long ones = splatWord(1);
    boolean avx = hasAvx();
    l.add("vrelaxed_dot_i8_add.i32x4", List.of(useReg(x), useReg(y), useReg(z),
        Operand.earlyDef(result(inst), OperandConstraint.REG)), (c, a) -> {
          Xmm d = xmm(a, 3);
          if (avx) {
            c.asm(VexForm.VPMADDUBSW, d, xmm(a, 1), xmm(a, 0));
          } else {
            c.asm(SseForm.MOVAPS_RM, d, xmm(a, 1));
            c.asm(VecIntForm.PMADDUBSW_RM, d, xmm(a, 0));
          }
          threeAddress(c, VecIntForm.PMADDWD_RM, avx, d, d, c.constant(ones, ones));
          threeAddress(c, VecIntForm.PADDD_RM, avx, d, d, xmm(a, 2));
        });
  }

  /**
   * {@code (x & m) | (y & ~m)}: the mask is read into xmm15 first, so the sequence is right even
   * when the mask shares the result's register. With AVX, a mask whose lanes are all ones or all
   * zeros ({@link dev.kiln.codegen.lower.LoweringDriver#isLaneMask}) selects whole bytes, which is
   * one {@code vpblendvb} (Cranelift's lowering of such a select); any other mask is three
   * three-address instructions.
   */
  private void bitselect(int inst) {
    int xValue = dfg.arg(inst, 0);
    boolean blend = hasAvx() && l.isLaneMask(dfg.arg(inst, 2));
    if (blend && l.isVectorConst(xValue)) {
      // vpblendvb reads the bytes it selects by the mask from its r/m operand: the pool constant.
      DataFlowGraph.VectorConstant k = l.vectorConstValue(xValue);
      VReg y = l.use(dfg.arg(inst, 1));
      VReg m = l.use(dfg.arg(inst, 2));
      l.add("vbitselect", List.of(useReg(y), useReg(m), defReg(result(inst))), (c, a) -> c.asm(
          VexForm.VPBLENDVB, xmm(a, 2), xmm(a, 0), c.constant(k.low(), k.high()), xmm(a, 1)));
      return;
    }
    VReg x = l.use(xValue);
    VReg y = l.use(dfg.arg(inst, 1));
    VReg m = l.use(dfg.arg(inst, 2));
    if (hasAvx()) {
      l.add("vbitselect", List.of(useReg(x), useReg(y), useReg(m), defReg(result(inst))),
          (c, a) -> {
            if (blend) {
              c.asm(VexForm.VPBLENDVB, xmm(a, 3), xmm(a, 1), xmm(a, 0), xmm(a, 2));
            } else {
              c.asm(VexForm.VPANDN, TMP, xmm(a, 2), xmm(a, 1));
              c.asm(VexForm.VPAND, xmm(a, 3), xmm(a, 0), xmm(a, 2));
              c.asm(VexForm.VPOR, xmm(a, 3), xmm(a, 3), TMP);
            }
          });
      return;
    }
    l.add("vbitselect", List.of(useReg(x), useReg(y), useReg(m), defReuse(result(inst), 0)),
        (c, a) -> {
          c.asm(SseForm.MOVAPS_RM, TMP, xmm(a, 2));
          c.asm(VecIntForm.PANDN_RM, TMP, xmm(a, 1));
          c.asm(VecIntForm.PAND_RM, xmm(a, 3), xmm(a, 2));
          c.asm(VecIntForm.POR_RM, xmm(a, 3), TMP);
        });
  }
}
