package dev.kiln.codegen.x64.asm.forms;

import static dev.kiln.codegen.x64.asm.Encoding.*;
import static dev.kiln.codegen.x64.asm.FormSpec.NO_DIGIT;
import static dev.kiln.codegen.x64.asm.FormSpec.NO_W;
import static dev.kiln.codegen.x64.asm.FormSpec.REX_W;
import static dev.kiln.codegen.x64.asm.FormSpec.of;
import static dev.kiln.codegen.x64.asm.OperandKind.*;
import static dev.kiln.codegen.x64.asm.Prefix.*;

import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.FormFlag;
import dev.kiln.codegen.x64.asm.FormSpec;

/**
 * Shifts and rotates by {@code %cl} or by an immediate count (SDM Vol. 2B, SAL/SAR/SHL/SHR; RCL/RCR/
 * ROL/ROR). The hardware masks the count to 5 bits (6 with REX.W), which is what wasm's shift semantics
 * ask for, so no masking instruction is needed. The by-one forms (D0/D1) are not used: C0/C1 with 1
 * has the same effect.
 */
public enum ShiftForm implements Form {
  // @formatter:off  one row per form, as the SDM opcode column reads
  // D2/D3 /digit: by %cl; C0/C1 /digit ib: by an immediate (SDM Vol. 2B, SAL/SAR/SHL/SHR and RCL/RCR/ROL/ROR)
  ROLB_CL(of("rolb", MC, NONE, NO_W, 0xD2, 0, RM8, CL)),
  ROLB_MI(of("rolb", MI, NONE, NO_W, 0xC0, 0, RM8, IMM8)),
  ROLW_CL(of("rolw", MC, P66, NO_W, 0xD3, 0, RM16, CL)),
  ROLW_MI(of("rolw", MI, P66, NO_W, 0xC1, 0, RM16, IMM8)),
  ROLL_CL(of("roll", MC, NONE, NO_W, 0xD3, 0, RM32, CL)),
  ROLL_MI(of("roll", MI, NONE, NO_W, 0xC1, 0, RM32, IMM8)),
  ROLQ_CL(of("rolq", MC, NONE, REX_W, 0xD3, 0, RM64, CL)),
  ROLQ_MI(of("rolq", MI, NONE, REX_W, 0xC1, 0, RM64, IMM8)),
  RORB_CL(of("rorb", MC, NONE, NO_W, 0xD2, 1, RM8, CL)),
  RORB_MI(of("rorb", MI, NONE, NO_W, 0xC0, 1, RM8, IMM8)),
  RORW_CL(of("rorw", MC, P66, NO_W, 0xD3, 1, RM16, CL)),
  RORW_MI(of("rorw", MI, P66, NO_W, 0xC1, 1, RM16, IMM8)),
  RORL_CL(of("rorl", MC, NONE, NO_W, 0xD3, 1, RM32, CL)),
  RORL_MI(of("rorl", MI, NONE, NO_W, 0xC1, 1, RM32, IMM8)),
  RORQ_CL(of("rorq", MC, NONE, REX_W, 0xD3, 1, RM64, CL)),
  RORQ_MI(of("rorq", MI, NONE, REX_W, 0xC1, 1, RM64, IMM8)),
  SHLB_CL(of("shlb", MC, NONE, NO_W, 0xD2, 4, RM8, CL)),
  SHLB_MI(of("shlb", MI, NONE, NO_W, 0xC0, 4, RM8, IMM8)),
  SHLW_CL(of("shlw", MC, P66, NO_W, 0xD3, 4, RM16, CL)),
  SHLW_MI(of("shlw", MI, P66, NO_W, 0xC1, 4, RM16, IMM8)),
  SHLL_CL(of("shll", MC, NONE, NO_W, 0xD3, 4, RM32, CL)),
  SHLL_MI(of("shll", MI, NONE, NO_W, 0xC1, 4, RM32, IMM8)),
  SHLQ_CL(of("shlq", MC, NONE, REX_W, 0xD3, 4, RM64, CL)),
  SHLQ_MI(of("shlq", MI, NONE, REX_W, 0xC1, 4, RM64, IMM8)),
  SHRB_CL(of("shrb", MC, NONE, NO_W, 0xD2, 5, RM8, CL)),
  SHRB_MI(of("shrb", MI, NONE, NO_W, 0xC0, 5, RM8, IMM8)),
  SHRW_CL(of("shrw", MC, P66, NO_W, 0xD3, 5, RM16, CL)),
  SHRW_MI(of("shrw", MI, P66, NO_W, 0xC1, 5, RM16, IMM8)),
  SHRL_CL(of("shrl", MC, NONE, NO_W, 0xD3, 5, RM32, CL)),
  SHRL_MI(of("shrl", MI, NONE, NO_W, 0xC1, 5, RM32, IMM8)),
  SHRQ_CL(of("shrq", MC, NONE, REX_W, 0xD3, 5, RM64, CL)),
  SHRQ_MI(of("shrq", MI, NONE, REX_W, 0xC1, 5, RM64, IMM8)),
  SARB_CL(of("sarb", MC, NONE, NO_W, 0xD2, 7, RM8, CL)),
  SARB_MI(of("sarb", MI, NONE, NO_W, 0xC0, 7, RM8, IMM8)),
  SARW_CL(of("sarw", MC, P66, NO_W, 0xD3, 7, RM16, CL)),
  SARW_MI(of("sarw", MI, P66, NO_W, 0xC1, 7, RM16, IMM8)),
  SARL_CL(of("sarl", MC, NONE, NO_W, 0xD3, 7, RM32, CL)),
  SARL_MI(of("sarl", MI, NONE, NO_W, 0xC1, 7, RM32, IMM8)),
  SARQ_CL(of("sarq", MC, NONE, REX_W, 0xD3, 7, RM64, CL)),
  SARQ_MI(of("sarq", MI, NONE, REX_W, 0xC1, 7, RM64, IMM8)),
  // BMI2, three-address and flags untouched: dst = src shifted by a count register in VEX.vvvv,
  // masked as the legacy forms mask %cl (SDM Vol. 2B "SARX/SHLX/SHRX": VEX.LZ.F3/66/F2.0F38.W0/W1
  // F7 /r), and a rotate right by an immediate (SDM Vol. 2B "RORX": VEX.LZ.F2.0F3A.W0/W1 F0 /r ib)
  SHLXL_RMV(of("shlxl", RMV, P66, NO_W, 0x0F38F7, NO_DIGIT, R32, RM32, R32)),
  SHLXQ_RMV(of("shlxq", RMV, P66, REX_W, 0x0F38F7, NO_DIGIT, R64, RM64, R64)),
  SARXL_RMV(of("sarxl", RMV, PF3, NO_W, 0x0F38F7, NO_DIGIT, R32, RM32, R32)),
  SARXQ_RMV(of("sarxq", RMV, PF3, REX_W, 0x0F38F7, NO_DIGIT, R64, RM64, R64)),
  SHRXL_RMV(of("shrxl", RMV, PF2, NO_W, 0x0F38F7, NO_DIGIT, R32, RM32, R32)),
  SHRXQ_RMV(of("shrxq", RMV, PF2, REX_W, 0x0F38F7, NO_DIGIT, R64, RM64, R64)),
  RORXL_RMI(of("rorxl", VRMI, PF2, NO_W, 0x0F3AF0, NO_DIGIT, R32, RM32, IMM8)),
  RORXQ_RMI(of("rorxq", VRMI, PF2, REX_W, 0x0F3AF0, NO_DIGIT, R64, RM64, IMM8));
  // @formatter:on

  private final FormSpec spec;

  ShiftForm(FormSpec spec) {
    this.spec = spec;
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
