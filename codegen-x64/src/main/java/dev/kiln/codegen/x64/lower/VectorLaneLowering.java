package dev.kiln.codegen.x64.lower;

import static dev.kiln.codegen.regalloc.Operand.defReg;
import static dev.kiln.codegen.regalloc.Operand.defReuse;
import static dev.kiln.codegen.regalloc.Operand.useReg;
import static dev.kiln.codegen.x64.lower.Lowering.gpr;
import static dev.kiln.codegen.x64.lower.Lowering.xmm;

import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.codegen.lower.FamilyLowering;
import dev.kiln.codegen.lower.ShuffleMask;
import dev.kiln.codegen.regalloc.VReg;
import dev.kiln.codegen.x64.abi.WasmCallConv;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.ShiftForm;
import dev.kiln.codegen.x64.asm.forms.SseForm;
import dev.kiln.codegen.x64.asm.forms.VecIntForm;
import dev.kiln.codegen.x64.asm.forms.VecMoveForm;
import dev.kiln.codegen.x64.asm.forms.VecFloatForm;
import dev.kiln.codegen.x64.asm.forms.VexForm;
import dev.kiln.ir.Lanes;
import java.util.List;

/**
 * The v128 operations that move lanes rather than compute on them: shuffles, swizzles, bit masks,
 * splats and lane extraction and insertion. A shuffle takes one instruction where its indexes
 * allow (a PUNPCK interleave, PALIGNR or SHUFPS of two operands, a one-operand shuffle of one),
 * else two PSHUFBs with masks from the constant pool, ORed; the shared helpers (two-address forms,
 * the AVX choice, the result register) are {@link VectorLowering}'s.
 */
final class VectorLaneLowering extends FamilyLowering<Lowering> {
  private static final Xmm TMP = WasmCallConv.FLOAT_SCRATCH;
  /** The general-purpose temporary inside one instruction (never allocated): r11. */
  private static final Gpr T0 = WasmCallConv.SCRATCH0;

  private final VectorLowering v;

  VectorLaneLowering(Lowering l, VectorLowering v) {
    super(l);
    this.v = v;
  }

  // ------------------------------------------------------------------ permutations and masks

  /**
   * {@code i8x16.swizzle}: PSHUFB zeroes a byte whose index has bit 7 set, and only the low 4 bits
   * select otherwise; adding 0x70 with unsigned saturation keeps 0..15 in the low bits and sets
   * bit 7 for every index of 16 or more (Cranelift's sequence).
   */
  void swizzle(int inst) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    long bias = VectorLowering.splatByte(0x70);
    l.add("vswizzle", List.of(useReg(x), useReg(y), defReuse(v.result(inst), 0)), (c, a) -> {
      c.asm(SseForm.MOVAPS_RM, TMP, xmm(a, 1));
      c.asm(VecIntForm.PADDUSB_RM, TMP, c.constant(bias, bias));
      c.asm(VecMoveForm.PSHUFB_RM, xmm(a, 2), TMP);
    });
  }

  /**
   * {@code i8x16.shuffle} by constant indexes, as the one instruction of a known pattern where
   * there is one ({@link ShuffleMask}): from one input PSHUFD (whole dwords), PSHUFLW or PSHUFHW
   * (words within one half, the other kept), PALIGNR of the input with itself (a rotation); from
   * two PUNPCKL/PUNPCKH (interleaved lanes), PALIGNR (16 consecutive bytes of the two), SHUFPS (two
   * whole dwords of one input, then two of the other). Otherwise PSHUFB of each input with a pool
   * mask in which 0x80 zeroes the bytes the other supplies, the two ORed (Cranelift's fallback).
   */
  void shuffle(int inst) {
    ShuffleMask m = ShuffleMask.of(dfg, inst);
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    if (m.firstOnly() || m.secondOnly()) {
      oneInputShuffle(inst, x, y, m.secondOnly() ? 1 : 0, m.oneInput());
      return;
    }
    for (boolean swap : new boolean[] {false, true}) {
      ShuffleMask s = swap ? m.swapped() : m;
      int first = swap ? 1 : 0; // the operand the pattern reads first (the destination)
      Form unpack = unpackFor(s);
      int offset = s.concatOffset();
      int dwords = shufpsImmediate(s);
      if (unpack != null || offset > 0 || dwords >= 0) {
        Form form = unpack != null ? unpack
            : offset > 0 ? VecMoveForm.PALIGNR_RMI : VecFloatForm.SHUFPS_RMI;
        Imm imm = unpack != null ? null : Imm.of(offset > 0 ? offset : dwords);
        // PALIGNR takes the high half in its destination: the second operand of the pattern.
        int destination = form == VecMoveForm.PALIGNR_RMI ? 1 - first : first;
        Form vex = v.avx(form);
        if (vex != null) {
          l.add("vshuffle", List.of(useReg(x), useReg(y), defReg(v.result(inst))), (c, a) -> {
            if (imm == null) {
              c.asm(vex, xmm(a, 2), xmm(a, destination), xmm(a, 1 - destination));
            } else {
              c.asm(vex, xmm(a, 2), xmm(a, destination), xmm(a, 1 - destination), imm);
            }
          });
          return;
        }
        l.add("vshuffle", List.of(useReg(x), useReg(y), defReuse(v.result(inst), destination)),
            (c, a) -> {
              if (imm == null) {
                c.asm(form, xmm(a, 2), xmm(a, 1 - destination));
              } else {
                c.asm(form, xmm(a, 2), xmm(a, 1 - destination), imm);
              }
            });
        return;
      }
    }
    byte[] fromX = maskFor(m, 0);
    byte[] fromY = maskFor(m, 16);
    l.add("vshuffle", List.of(useReg(x), useReg(y), defReuse(v.result(inst), 0)), (c, a) -> {
      c.asm(SseForm.MOVAPS_RM, TMP, xmm(a, 1));
      c.asm(VecMoveForm.PSHUFB_RM, TMP, c.constantTable(fromY));
      c.asm(VecMoveForm.PSHUFB_RM, xmm(a, 2), c.constantTable(fromX));
      c.asm(VecIntForm.POR_RM, xmm(a, 2), TMP);
    });
  }

  /** A shuffle of operand {@code from} alone, {@code m} its indexes (0-15). */
  private void oneInputShuffle(int inst, VReg x, VReg y, int from, ShuffleMask m) {
    int[] dwords = m.lanes(4);
    int[] words = m.lanes(2);
    boolean lowKept = words != null && words[0] == 0 && words[1] == 1 && words[2] == 2
        && words[3] == 3;
    boolean highKept = words != null && words[4] == 4 && words[5] == 5 && words[6] == 6
        && words[7] == 7;
    int rotation = m.rotation();
    Form threeOperand = dwords != null ? VecMoveForm.PSHUFD_RMI
        : highKept && words[0] < 4 && words[1] < 4 && words[2] < 4 && words[3] < 4
            ? VecMoveForm.PSHUFLW_RMI
        : lowKept && words[4] >= 4 && words[5] >= 4 && words[6] >= 4 && words[7] >= 4
            ? VecMoveForm.PSHUFHW_RMI : null;
    if (threeOperand != null) {
      int imm = threeOperand == VecMoveForm.PSHUFD_RMI ? fourLanes(dwords, 0)
          : threeOperand == VecMoveForm.PSHUFLW_RMI ? fourLanes(words, 0) : fourLanes(words, 4);
      l.add("vshuffle", List.of(useReg(x), useReg(y), defReg(v.result(inst))),
          (c, a) -> c.asm(threeOperand, xmm(a, 2), xmm(a, from), Imm.of(imm)));
      return;
    }
    byte[] mask = maskFor(m, 0);
    l.add("vshuffle", List.of(useReg(x), useReg(y), defReuse(v.result(inst), from)), (c, a) -> {
      if (rotation > 0) {
        c.asm(VecMoveForm.PALIGNR_RMI, xmm(a, 2), xmm(a, 2), Imm.of(rotation));
      } else {
        c.asm(VecMoveForm.PSHUFB_RM, xmm(a, 2), c.constantTable(mask));
      }
    });
  }

  /** The shuffle immediate of four lanes {@code lanes[first..first+3]}, each less {@code first}. */
  private static int fourLanes(int[] lanes, int first) {
    int imm = 0;
    for (int k = 0; k < 4; k++) {
      imm |= (lanes[first + k] - first) << (2 * k);
    }
    return imm;
  }

  /** The PUNPCKL/PUNPCKH form whose interleaving {@code m} is, or null. */
  private static Form unpackFor(ShuffleMask m) {
    Form[][] forms = {
        {VecMoveForm.PUNPCKLBW_RM, VecMoveForm.PUNPCKHBW_RM},
        {VecMoveForm.PUNPCKLWD_RM, VecMoveForm.PUNPCKHWD_RM},
        {VecMoveForm.PUNPCKLDQ_RM, VecMoveForm.PUNPCKHDQ_RM},
        {VecMoveForm.PUNPCKLQDQ_RM, VecMoveForm.PUNPCKHQDQ_RM}};
    for (int size = 0; size < 4; size++) {
      for (int high = 0; high < 2; high++) {
        if (m.equals(ShuffleMask.interleave(1 << size, high == 1))) {
          return forms[size][high];
        }
      }
    }
    return null;
  }

  /**
   * The SHUFPS immediate when the result is two whole dwords of the first operand then two of the
   * second (SDM Vol. 2B "SHUFPS"), else -1.
   */
  private static int shufpsImmediate(ShuffleMask m) {
    int[] d = m.lanes(4);
    if (d == null || d[0] >= 4 || d[1] >= 4 || d[2] < 4 || d[3] < 4) {
      return -1;
    }
    return d[0] | d[1] << 2 | (d[2] - 4) << 4 | (d[3] - 4) << 6;
  }

  /** The PSHUFB mask taking the bytes indexed {@code base..base+15}, 0x80 (zero) for the others. */
  private static byte[] maskFor(ShuffleMask m, int base) {
    byte[] mask = new byte[16];
    for (int i = 0; i < 16; i++) {
      int k = m.index(i) - base;
      mask[i] = k >= 0 && k < 16 ? (byte) k : (byte) 0x80;
    }
    return mask;
  }

  /**
   * The top bit of each lane into a general register: PMOVMSKB, MOVMSKPS and MOVMSKPD for bytes,
   * dwords and qwords; words are packed to bytes first (signed saturation keeps the sign), both
   * halves the same, so the byte mask's upper 8 bits repeat the lower and are shifted out.
   */
  void bitmask(int inst, Lanes lanes) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add("vbitmask." + lanes.text(), List.of(useReg(x), defReg(v.result(inst))), (c, a) -> {
      Gpr r = gpr(a, 1);
      switch (lanes) {
        case I8X16 -> c.asm(VecMoveForm.PMOVMSKB_RM, r, xmm(a, 0));
        case I16X8 -> {
          c.asm(SseForm.MOVAPS_RM, TMP, xmm(a, 0));
          c.asm(VecMoveForm.PACKSSWB_RM, TMP, TMP);
          c.asm(VecMoveForm.PMOVMSKB_RM, r, TMP);
          c.asm(ShiftForm.SHRL_MI, r, Imm.of(8));
        }
        case I32X4 -> c.asm(VecMoveForm.MOVMSKPS_RM, r, xmm(a, 0));
        default -> c.asm(VecMoveForm.MOVMSKPD_RM, r, xmm(a, 0));
      }
    });
  }

  // ------------------------------------------------------------------ lanes

  /**
   * Every lane set to a scalar: an integer moves into lane 0 ({@code movd}/{@code movq}) and is
   * spread by a shuffle (PSHUFB with an all-zero mask for bytes, PSHUFLW then PSHUFD for words,
   * PSHUFD for dwords and qwords), or with AVX2 by one VPBROADCASTB/W/D/Q; a float is in lane 0
   * already.
   */
  void splat(int inst, Lanes lanes) {
    VReg x = l.use(dfg.arg(inst, 0));
    boolean avx2 = l.cpu.has(X64Feature.AVX2);
    l.add("vsplat." + lanes.text(), List.of(useReg(x), defReg(v.result(inst))), (c, a) -> {
      Xmm d = xmm(a, 1);
      if (avx2 && !lanes.isFloat()) {
        c.asm(lanes == Lanes.I64X2 ? SseForm.MOVQ_TO_XMM : SseForm.MOVD_TO_XMM, d, gpr(a, 0));
        c.asm(switch (lanes) {
          case I8X16 -> VexForm.VPBROADCASTB;
          case I16X8 -> VexForm.VPBROADCASTW;
          case I32X4 -> VexForm.VPBROADCASTD;
          default -> VexForm.VPBROADCASTQ;
        }, d, d);
        return;
      }
      switch (lanes) {
        case I8X16 -> {
          c.asm(SseForm.MOVD_TO_XMM, d, gpr(a, 0));
          c.asm(SseForm.PXOR_RM, TMP, TMP);
          c.asm(VecMoveForm.PSHUFB_RM, d, TMP);
        }
        case I16X8 -> {
          c.asm(SseForm.MOVD_TO_XMM, d, gpr(a, 0));
          c.asm(VecMoveForm.PSHUFLW_RMI, d, d, Imm.of(0));
          c.asm(VecMoveForm.PSHUFD_RMI, d, d, Imm.of(0));
        }
        case I32X4 -> {
          c.asm(SseForm.MOVD_TO_XMM, d, gpr(a, 0));
          c.asm(VecMoveForm.PSHUFD_RMI, d, d, Imm.of(0));
        }
        case I64X2 -> {
          c.asm(SseForm.MOVQ_TO_XMM, d, gpr(a, 0));
          c.asm(VecMoveForm.PSHUFD_RMI, d, d, Imm.of(0x44));
        }
        case F32X4 -> c.asm(VecMoveForm.PSHUFD_RMI, d, xmm(a, 0), Imm.of(0));
        case F64X2 -> c.asm(VecMoveForm.PSHUFD_RMI, d, xmm(a, 0), Imm.of(0x44));
      }
    });
  }

  /**
   * One lane as a scalar: PEXTRB/W/D/Q into a general register, zero-extended, then sign-extended
   * for {@code _s}; lane 0 of an i32x4 or i64x2 by {@code movd}/{@code movq}. A float lane other
   * than 0 is shuffled down with PSHUFD (lane 0 is the same register, see {@code aliasOperand},
   * unless a use came first).
   */
  void extractLane(int inst, Lanes lanes, int lane, boolean signed) {
    VReg x = l.use(dfg.arg(inst, 0));
    l.add(dfg.opcode(inst).text() + "." + lanes.text(), List.of(useReg(x), defReg(v.result(inst))),
        (c, a) -> {
          Xmm v = xmm(a, 0);
          switch (lanes) {
            case I8X16 -> {
              c.asm(VecMoveForm.PEXTRB_MRI, gpr(a, 1), v, Imm.of(lane));
              if (signed) {
                c.asm(MovForm.MOVSBL_RM, gpr(a, 1), gpr(a, 1));
              }
            }
            case I16X8 -> {
              c.asm(VecMoveForm.PEXTRW_RMI, gpr(a, 1), v, Imm.of(lane));
              if (signed) {
                c.asm(MovForm.MOVSWL_RM, gpr(a, 1), gpr(a, 1));
              }
            }
            case I32X4 -> {
              if (lane == 0) {
                c.asm(SseForm.MOVD_FROM_XMM, gpr(a, 1), v);
              } else {
                c.asm(VecMoveForm.PEXTRD_MRI, gpr(a, 1), v, Imm.of(lane));
              }
            }
            case I64X2 -> {
              if (lane == 0) {
                c.asm(SseForm.MOVQ_FROM_XMM, gpr(a, 1), v);
              } else {
                c.asm(VecMoveForm.PEXTRQ_MRI, gpr(a, 1), v, Imm.of(lane));
              }
            }
            case F32X4 -> c.asm(VecMoveForm.PSHUFD_RMI, xmm(a, 1), v, Imm.of(lane));
            case F64X2 -> c.asm(VecMoveForm.PSHUFD_RMI, xmm(a, 1), v, Imm.of(lane == 0 ? 0x44 : 0xEE));
          }
        });
  }

  /**
   * A vector with one lane replaced, in place in the result (which starts as the vector): PINSRB/W/D/Q
   * from a general register, INSERTPS for an f32 (imm bits 5:4 the lane), MOVSD (register to
   * register keeps the high lane) or MOVLHPS for an f64.
   */
  void insertLane(int inst, Lanes lanes, int lane) {
    VReg x = l.use(dfg.arg(inst, 0));
    VReg y = l.use(dfg.arg(inst, 1));
    l.add("vinsertlane." + lanes.text(), List.of(useReg(x), useReg(y), defReuse(v.result(inst), 0)),
        (c, a) -> {
          Xmm d = xmm(a, 2);
          switch (lanes) {
            case I8X16 -> c.asm(VecMoveForm.PINSRB_RMI, d, gpr(a, 1), Imm.of(lane));
            case I16X8 -> c.asm(VecMoveForm.PINSRW_RMI, d, gpr(a, 1), Imm.of(lane));
            case I32X4 -> c.asm(VecMoveForm.PINSRD_RMI, d, gpr(a, 1), Imm.of(lane));
            case I64X2 -> c.asm(VecMoveForm.PINSRQ_RMI, d, gpr(a, 1), Imm.of(lane));
            case F32X4 -> c.asm(VecMoveForm.INSERTPS_RMI, d, xmm(a, 1), Imm.of(lane << 4));
            case F64X2 -> c.asm(lane == 0 ? SseForm.MOVSD_RM : VecMoveForm.MOVLHPS_RM, d, xmm(a, 1));
          }
        });
  }
}
