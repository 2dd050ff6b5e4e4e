package dev.kiln.codegen.x64.abi;

import dev.kiln.codegen.abi.CallConvention;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Xmm;
import java.util.List;

/**
 * Kiln's wasm calling convention on x86-64, used by every call between wasm functions, direct or
 * indirect, and by trampolines and builtins reached from wasm. The register assignment follows the
 * System V AMD64 psABI (section 3.2.3) so that a host-side C function of the same shape could be
 * called directly, with two differences: multiple results are returned in registers, then in a
 * caller-provided return area, and the stack-argument area holds v128 values in 16-byte slots. The
 * package documentation has the frame diagram.
 */
public final class WasmCallConv {
  private WasmCallConv() {}

  /** First parameter: the callee's own VMContext. */
  public static final Gpr CALLEE_VMCTX = Gpr.RDI;
  /** Second parameter: the caller's VMContext (the same as the callee's for calls inside one instance). */
  public static final Gpr CALLER_VMCTX = Gpr.RSI;
  /** Third parameter, only when the results overflow the result registers: the return-area address. */
  public static final Gpr RETURN_AREA_POINTER = Gpr.RDX;

  /** Integer parameter registers in order; the first two carry the vmctx pair. */
  public static final List<Gpr> INT_PARAMS =
      List.of(Gpr.RDI, Gpr.RSI, Gpr.RDX, Gpr.RCX, Gpr.R8, Gpr.R9);
  /** Float and vector parameter registers in order. */
  public static final List<Xmm> FLOAT_PARAMS = List.of(Xmm.XMM0, Xmm.XMM1, Xmm.XMM2, Xmm.XMM3,
      Xmm.XMM4, Xmm.XMM5, Xmm.XMM6, Xmm.XMM7);
  /** Integer result registers in order; further integer results go to the return area. */
  public static final List<Gpr> INT_RESULTS = List.of(Gpr.RAX, Gpr.RDX);
  /** Float and vector result registers in order; further ones go to the return area. */
  public static final List<Xmm> FLOAT_RESULTS = List.of(Xmm.XMM0, Xmm.XMM1);

  /**
   * Registers a callee must preserve (psABI table 3.4, identical): rbx, rbp, r12-r15. Every other
   * general-purpose register and all of xmm0-xmm15 are caller-saved.
   */
  public static final List<Gpr> CALLEE_SAVED =
      List.of(Gpr.RBX, Gpr.RBP, Gpr.R12, Gpr.R13, Gpr.R14, Gpr.R15);
  /**
   * Scratch registers no parameter uses, free in prologues and trampolines: the stack-limit check
   * holds the store pointer in r11 and the lowest frame address in r10. Inside a function body only
   * r11 stays scratch (the allocator's, for moves between instructions); r10 is allocated.
   */
  public static final Gpr SCRATCH0 = Gpr.R11;
  public static final Gpr SCRATCH1 = Gpr.R10;
  /**
   * The xmm register the allocator never hands out: its scratch for moves between instructions,
   * and free inside one instruction (a temporary of a vector sequence).
   */
  public static final Xmm FLOAT_SCRATCH = Xmm.XMM15;

  /** Stack pointer alignment at every call instruction (psABI section 3.2.2). */
  public static final int STACK_ALIGNMENT = 16;

  /** The convention's registers; the shared rule decides which value goes where. */
  public static final CallConvention<Gpr, Xmm> CONVENTION =
      new CallConvention<>(INT_PARAMS, FLOAT_PARAMS, INT_RESULTS, FLOAT_RESULTS, STACK_ALIGNMENT);
}
