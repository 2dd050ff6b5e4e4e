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
 * Bit scanning and counting and byte swapping (SDM Vol. 2A BSF, BSR, BSWAP, LZCNT; Vol. 2B POPCNT,
 * TZCNT). Only 32- and 64-bit forms: wasm has no narrower counts. LZCNT and TZCNT share opcodes with
 * BSR and BSF and differ by the F3 prefix; on a CPU without them the prefix is ignored and the result
 * differs for a zero input, so lowering must check CPU features before choosing them.
 */
public enum BitForm implements Form {
  // @formatter:off  one row per form, as the SDM opcode column reads
  // BSF 0F BC, BSR 0F BD; LZCNT F3 0F BD, TZCNT F3 0F BC, POPCNT F3 0F B8 (SDM Vol. 2A/2B; the F3 forms need ABM/BMI1/POPCNT)
  BSFL_RM(of("bsfl", RM, NONE, NO_W, 0x0FBC, NO_DIGIT, R32, RM32)),
  BSFQ_RM(of("bsfq", RM, NONE, REX_W, 0x0FBC, NO_DIGIT, R64, RM64)),
  BSRL_RM(of("bsrl", RM, NONE, NO_W, 0x0FBD, NO_DIGIT, R32, RM32)),
  BSRQ_RM(of("bsrq", RM, NONE, REX_W, 0x0FBD, NO_DIGIT, R64, RM64)),
  LZCNTL_RM(of("lzcntl", RM, PF3, NO_W, 0x0FBD, NO_DIGIT, R32, RM32)),
  LZCNTQ_RM(of("lzcntq", RM, PF3, REX_W, 0x0FBD, NO_DIGIT, R64, RM64)),
  TZCNTL_RM(of("tzcntl", RM, PF3, NO_W, 0x0FBC, NO_DIGIT, R32, RM32)),
  TZCNTQ_RM(of("tzcntq", RM, PF3, REX_W, 0x0FBC, NO_DIGIT, R64, RM64)),
  POPCNTL_RM(of("popcntl", RM, PF3, NO_W, 0x0FB8, NO_DIGIT, R32, RM32)),
  POPCNTQ_RM(of("popcntq", RM, PF3, REX_W, 0x0FB8, NO_DIGIT, R64, RM64)),
  // BSWAP 0F C8+rd (SDM Vol. 2A, BSWAP)
  BSWAPL_O(of("bswapl", O, NONE, NO_W, 0x0FC8, NO_DIGIT, R32)),
  BSWAPQ_O(of("bswapq", O, NONE, REX_W, 0x0FC8, NO_DIGIT, R64));
  // @formatter:on

  private final FormSpec spec;

  BitForm(FormSpec spec) {
    this.spec = spec;
  }

  @Override
  public FormSpec spec() {
    return spec;
  }
}
