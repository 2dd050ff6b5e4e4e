package dev.kiln.codegen.aarch64.abi;

import dev.kiln.codegen.aarch64.asm.FpReg;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.abi.CallConvention;
import java.util.List;

/**
 * Kiln's wasm calling convention on AArch64, used by every call between wasm functions, direct or
 * indirect, and by trampolines and builtins reached from wasm. Registers follow the AAPCS64
 * (Procedure Call Standard for the Arm 64-bit Architecture, section 6.1 "Machine Registers" and 6.8
 * "Parameter Passing") with the same two differences as Kiln's x86-64 convention: several results
 * come back in registers, then in a caller-provided return area, whose pointer is the third
 * integer argument. The package documentation has the frame diagram.
 */
public final class WasmCallConv {
  private WasmCallConv() {}

  /** First parameter: the callee's own VMContext. */
  public static final Gpr CALLEE_VMCTX = Gpr.X0;
  /** Second parameter: the caller's VMContext. */
  public static final Gpr CALLER_VMCTX = Gpr.X1;
  /** Third parameter, only when the results overflow the result registers: the return area. */
  public static final Gpr RETURN_AREA_POINTER = Gpr.X2;

  /** Integer parameter registers in order (AAPCS64 x0-x7); the first two carry the vmctx pair. */
  public static final List<Gpr> INT_PARAMS =
      List.of(Gpr.X0, Gpr.X1, Gpr.X2, Gpr.X3, Gpr.X4, Gpr.X5, Gpr.X6, Gpr.X7);
  /** Float parameter registers in order (AAPCS64 v0-v7). */
  public static final List<FpReg> FLOAT_PARAMS = List.of(FpReg.V0, FpReg.V1, FpReg.V2, FpReg.V3,
      FpReg.V4, FpReg.V5, FpReg.V6, FpReg.V7);
  /** Integer result registers in order; further integer results go to the return area. */
  public static final List<Gpr> INT_RESULTS = List.of(Gpr.X0, Gpr.X1);
  /** Float result registers in order; further ones go to the return area. */
  public static final List<FpReg> FLOAT_RESULTS = List.of(FpReg.V0, FpReg.V1);

  /**
   * General registers a callee preserves (AAPCS64 6.1.1: x19-x28; x29 and x30 are saved by every
   * frame record). x0-x17 are caller-saved; x18, the platform register, is never used.
   */
  public static final List<Gpr> CALLEE_SAVED = List.of(Gpr.X19, Gpr.X20, Gpr.X21, Gpr.X22,
      Gpr.X23, Gpr.X24, Gpr.X25, Gpr.X26, Gpr.X27, Gpr.X28);

  /**
   * The intra-procedure-call scratch registers (AAPCS64 6.1.1, IP0 and IP1): no parameter uses them,
   * so prologues, trampolines and the code inside one lowered instruction use them freely. IP1 is
   * also the register allocator's scratch between instructions.
   */
  public static final Gpr SCRATCH0 = Gpr.X16;
  public static final Gpr SCRATCH1 = Gpr.X17;
  /** The FP register the allocator may use between instructions (never allocated). */
  public static final FpReg FLOAT_SCRATCH = FpReg.V31;

  /** SP alignment at all times (AAPCS64 6.4.5.1: SP mod 16 = 0 at a public interface). */
  public static final int STACK_ALIGNMENT = 16;

  /** The convention's registers; the shared rule decides which value goes where. */
  public static final CallConvention<Gpr, FpReg> CONVENTION =
      new CallConvention<>(INT_PARAMS, FLOAT_PARAMS, INT_RESULTS, FLOAT_RESULTS, STACK_ALIGNMENT);
}
