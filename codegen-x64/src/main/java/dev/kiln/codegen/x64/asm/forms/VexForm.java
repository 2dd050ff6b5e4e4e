package dev.kiln.codegen.x64.asm.forms;

import dev.kiln.codegen.x64.asm.Encoding;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.FormSpec;
import dev.kiln.codegen.x64.asm.OperandKind;
import dev.kiln.codegen.x64.asm.Prefix;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The AVX (VEX.128) forms of SSE instructions the vector lowering uses two-address: each is its
 * SSE form's opcode, mandatory prefix and W in a VEX prefix, with the first source in VEX.vvvv,
 * so the destination is a third register (SDM Vol. 2A section 2.3; Vol. 2B, each instruction's
 * VEX.128 row). {@code op src, dst} becomes {@code vop src2, src1, dst}; a shift by an immediate
 * {@code op $n, dst} becomes {@code vop $n, src, dst}. Derived from the SSE rows, so the two
 * cannot disagree on an opcode; a form without an SSE counterpart of the same shape has its own row.
 */
public enum VexForm implements Form {
  // @formatter:off  one row per form: the SSE form it extends
  VPAND(VecIntForm.PAND_RM), VPANDN(VecIntForm.PANDN_RM), VPOR(VecIntForm.POR_RM),
  VPXOR(SseForm.PXOR_RM),
  VPADDB(VecIntForm.PADDB_RM), VPADDW(VecIntForm.PADDW_RM), VPADDD(VecIntForm.PADDD_RM),
  VPADDQ(VecIntForm.PADDQ_RM),
  VPSUBB(VecIntForm.PSUBB_RM), VPSUBW(VecIntForm.PSUBW_RM), VPSUBD(VecIntForm.PSUBD_RM),
  VPSUBQ(VecIntForm.PSUBQ_RM),
  VPMULLW(VecIntForm.PMULLW_RM), VPMULLD(VecIntForm.PMULLD_RM),
  VPMINSB(VecIntForm.PMINSB_RM), VPMINSW(VecIntForm.PMINSW_RM), VPMINSD(VecIntForm.PMINSD_RM),
  VPMINUB(VecIntForm.PMINUB_RM), VPMINUW(VecIntForm.PMINUW_RM), VPMINUD(VecIntForm.PMINUD_RM),
  VPMAXSB(VecIntForm.PMAXSB_RM), VPMAXSW(VecIntForm.PMAXSW_RM), VPMAXSD(VecIntForm.PMAXSD_RM),
  VPMAXUB(VecIntForm.PMAXUB_RM), VPMAXUW(VecIntForm.PMAXUW_RM), VPMAXUD(VecIntForm.PMAXUD_RM),
  VPAVGB(VecIntForm.PAVGB_RM), VPAVGW(VecIntForm.PAVGW_RM),
  VPADDSB(VecIntForm.PADDSB_RM), VPADDSW(VecIntForm.PADDSW_RM), VPADDUSB(VecIntForm.PADDUSB_RM),
  VPADDUSW(VecIntForm.PADDUSW_RM), VPSUBSB(VecIntForm.PSUBSB_RM), VPSUBSW(VecIntForm.PSUBSW_RM),
  VPSUBUSB(VecIntForm.PSUBUSB_RM), VPSUBUSW(VecIntForm.PSUBUSW_RM),
  VPMADDWD(VecIntForm.PMADDWD_RM), VPMADDUBSW(VecIntForm.PMADDUBSW_RM),
  VPMULHRSW(VecIntForm.PMULHRSW_RM), VPSHUFB(VecMoveForm.PSHUFB_RM),
  VPACKSSWB(VecMoveForm.PACKSSWB_RM), VPACKSSDW(VecMoveForm.PACKSSDW_RM),
  VPACKUSWB(VecMoveForm.PACKUSWB_RM), VPACKUSDW(VecMoveForm.PACKUSDW_RM),
  VPUNPCKLBW(VecMoveForm.PUNPCKLBW_RM), VPUNPCKHBW(VecMoveForm.PUNPCKHBW_RM),
  VPUNPCKLWD(VecMoveForm.PUNPCKLWD_RM), VPUNPCKHWD(VecMoveForm.PUNPCKHWD_RM),
  VPUNPCKLDQ(VecMoveForm.PUNPCKLDQ_RM), VPUNPCKHDQ(VecMoveForm.PUNPCKHDQ_RM),
  VPUNPCKLQDQ(VecMoveForm.PUNPCKLQDQ_RM), VPUNPCKHQDQ(VecMoveForm.PUNPCKHQDQ_RM),
  VPALIGNR(VecMoveForm.PALIGNR_RMI), VSHUFPS(VecFloatForm.SHUFPS_RMI),
  VADDPS(VecFloatForm.ADDPS_RM), VADDPD(VecFloatForm.ADDPD_RM),
  VSUBPS(VecFloatForm.SUBPS_RM), VSUBPD(VecFloatForm.SUBPD_RM),
  VMULPS(VecFloatForm.MULPS_RM), VMULPD(VecFloatForm.MULPD_RM),
  VDIVPS(VecFloatForm.DIVPS_RM), VDIVPD(VecFloatForm.DIVPD_RM),
  VMINPS(VecFloatForm.MINPS_RM), VMINPD(VecFloatForm.MINPD_RM),
  VMAXPS(VecFloatForm.MAXPS_RM), VMAXPD(VecFloatForm.MAXPD_RM),
  VPSLLW_IMM(VecIntForm.PSLLW_MI), VPSLLD_IMM(VecIntForm.PSLLD_MI), VPSLLQ_IMM(VecIntForm.PSLLQ_MI),
  VPSRLW_IMM(VecIntForm.PSRLW_MI), VPSRLD_IMM(VecIntForm.PSRLD_MI), VPSRLQ_IMM(VecIntForm.PSRLQ_MI),
  VPSRAW_IMM(VecIntForm.PSRAW_MI), VPSRAD_IMM(VecIntForm.PSRAD_MI),
  VPSLLW(VecIntForm.PSLLW_RM), VPSLLD(VecIntForm.PSLLD_RM), VPSLLQ(VecIntForm.PSLLQ_RM),
  VPSRLW(VecIntForm.PSRLW_RM), VPSRLD(VecIntForm.PSRLD_RM), VPSRLQ(VecIntForm.PSRLQ_RM),
  VPSRAW(VecIntForm.PSRAW_RM), VPSRAD(VecIntForm.PSRAD_RM),
  VPCMPEQB(VecIntForm.PCMPEQB_RM), VPCMPEQW(VecIntForm.PCMPEQW_RM), VPCMPEQD(VecIntForm.PCMPEQD_RM),
  VPCMPEQQ(VecIntForm.PCMPEQQ_RM),
  VPCMPGTB(VecIntForm.PCMPGTB_RM), VPCMPGTW(VecIntForm.PCMPGTW_RM), VPCMPGTD(VecIntForm.PCMPGTD_RM),
  VPCMPGTQ(VecIntForm.PCMPGTQ_RM),
  VCMPEQPS(VecFloatForm.CMPEQPS_RM), VCMPLTPS(VecFloatForm.CMPLTPS_RM), VCMPLEPS(VecFloatForm.CMPLEPS_RM),
  VCMPNEQPS(VecFloatForm.CMPNEQPS_RM),
  VCMPEQPD(VecFloatForm.CMPEQPD_RM), VCMPLTPD(VecFloatForm.CMPLTPD_RM), VCMPLEPD(VecFloatForm.CMPLEPD_RM),
  VCMPNEQPD(VecFloatForm.CMPNEQPD_RM),
  /**
   * {@code vpblendvb m, b, a, d}: each byte from a where the byte of m has its top bit set, else
   * from b (VEX.128.66.0F3A.W0 4C /r /is4); SSE4.1's PBLENDVB has m fixed in xmm0.
   */
  VPBLENDVB(FormSpec.of("vpblendvb", Encoding.RVMR, Prefix.P66, FormSpec.NO_W, 0x0F3A4C,
      FormSpec.NO_DIGIT, OperandKind.X, OperandKind.X, OperandKind.XM128, OperandKind.X)),
  /**
   * {@code vblendvps m, b, a, d} and {@code vblendvpd}: as {@link #VPBLENDVB} with each dword or
   * qword chosen by its top bit (VEX.128.66.0F3A.W0 4A and 4B /r /is4, SDM Vol. 2A "BLENDVPS",
   * "BLENDVPD").
   */
  VBLENDVPS(FormSpec.of("vblendvps", Encoding.RVMR, Prefix.P66, FormSpec.NO_W, 0x0F3A4A,
      FormSpec.NO_DIGIT, OperandKind.X, OperandKind.X, OperandKind.XM128, OperandKind.X)),
  VBLENDVPD(FormSpec.of("vblendvpd", Encoding.RVMR, Prefix.P66, FormSpec.NO_W, 0x0F3A4B,
      FormSpec.NO_DIGIT, OperandKind.X, OperandKind.X, OperandKind.XM128, OperandKind.X)),
  // AVX2: lane 0 of the source in every lane (VEX.128.66.0F38.W0 78/79/58/59 /r), for splats
  VPBROADCASTB(FormSpec.of("vpbroadcastb", Encoding.VRM, Prefix.P66, FormSpec.NO_W, 0x0F3878,
      FormSpec.NO_DIGIT, OperandKind.X, OperandKind.X)),
  VPBROADCASTW(FormSpec.of("vpbroadcastw", Encoding.VRM, Prefix.P66, FormSpec.NO_W, 0x0F3879,
      FormSpec.NO_DIGIT, OperandKind.X, OperandKind.X)),
  VPBROADCASTD(FormSpec.of("vpbroadcastd", Encoding.VRM, Prefix.P66, FormSpec.NO_W, 0x0F3858,
      FormSpec.NO_DIGIT, OperandKind.X, OperandKind.X)),
  VPBROADCASTQ(FormSpec.of("vpbroadcastq", Encoding.VRM, Prefix.P66, FormSpec.NO_W, 0x0F3859,
      FormSpec.NO_DIGIT, OperandKind.X, OperandKind.X));
  // @formatter:on

  private static final Map<Form, VexForm> BY_SSE = bySse();

  private final Form sse;
  private final FormSpec spec;

  VexForm(FormSpec spec) {
    this.sse = null;
    this.spec = spec;
  }

  VexForm(Form sse) {
    this.sse = sse;
    FormSpec s = sse.spec();
    List<OperandKind> ops = s.operands();
    Encoding encoding = switch (s.encoding()) {
      case RM -> Encoding.RVM;
      case RMI -> Encoding.RVMI;
      case MI -> Encoding.VMI;
      default -> throw new IllegalArgumentException(sse + " has no VEX form of this kind");
    };
    // RM/RMI: dst, src -> dst, src1 (vvvv), src2; MI: dst, imm -> dst (vvvv), src, imm.
    List<OperandKind> operands = encoding == Encoding.RVMI
        ? List.of(ops.get(0), ops.get(0), ops.get(1), ops.get(2))
        : List.of(ops.get(0), ops.get(0), ops.get(1));
    this.spec = new FormSpec("v" + s.mnemonic(), encoding, s.prefix(), s.rexW(), s.opcode(),
        s.digit(), operands, Set.of(), s.fixedImm8());
  }

  private static Map<Form, VexForm> bySse() {
    Map<Form, VexForm> m = new HashMap<>();
    for (VexForm f : values()) {
      if (f.sse != null) {
        m.put(f.sse, f);
      }
    }
    return Map.copyOf(m);
  }

  /** The AVX form of SSE form {@code sse}, or null when it has none here. */
  public static VexForm of(Form sse) {
    return BY_SSE.get(sse);
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
