package dev.kiln.codegen.aarch64.abi;

import static dev.kiln.codegen.aarch64.abi.Asm.asm;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.abi.BuiltinBridge;
import dev.kiln.codegen.aarch64.asm.Form;
import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.aarch64.asm.PairOffset;
import java.util.List;

/**
 * A builtin's WASM_TO_BUILTIN trampoline: the bridge from Kiln's wasm calling convention to the
 * AAPCS64 function pointer the loader stores in the VMContext's builtin slot ({@link
 * dev.kiln.artifact.vm.VmLayout#builtin(Builtin)}). Compiled code calls it as {@code (callee vmctx,
 * caller vmctx, params...)}; the builtin expects {@code (vmctx, params...)}. Both put integer
 * arguments in x0-x7 (AAPCS64 6.8.2), so the bridge drops the caller vmctx by moving every
 * parameter one register down, and the first integer result is x0 in both. For table.grow:
 *
 * <pre>
 *   stp x29, x30, [sp, #-16]! ; mov x29, sp    frame record, for the trap backtrace walk
 *   mov x1, x2 ; mov x2, x3 ; mov x3, x4       table index, delta, initial value
 *   ldr x16, [x0, #slot] ; blr x16             x0 is already the vmctx
 *   ldp x29, x30, [sp], #16 ; ret              the result stays in x0
 * </pre>
 *
 * <p>The callee-saved sets of the two conventions are the same ({@link
 * WasmCallConv#CALLEE_SAVED}), so nothing else needs saving.
 *
 * <p>A builtin that {@link Builtin#recordsFrame() records its frame} (the GC heap's slow path)
 * also stores {@code x29}, this trampoline's frame, in the store context's {@code trap_fp} before
 * the call: the runtime walks the wasm frames from there.
 */
public final class BuiltinTrampoline {
  private BuiltinTrampoline() {}

  /**
   * Emits the trampoline of {@code builtin} at the current offset of {@code buf}.
   *
   * @param slotOffset byte offset of the builtin's pointer in the module's VMContext
   */
  public static void emit(CodeBuffer buf, Builtin builtin, int slotOffset) {
    BuiltinBridge.check(builtin, WasmCallConv.CONVENTION);
    List<Gpr> regs = WasmCallConv.INT_PARAMS;
    asm(buf, Form.STP_X_PRE, Gpr.X29, Gpr.X30, Gpr.SP, new PairOffset(-16));
    asm(buf, Form.MOV_X_SP, Gpr.X29, Gpr.SP);
    // Ascending order is safe: each destination is the register the previous move just read.
    for (int p = 0; p < builtin.params().size(); p++) {
      asm(buf, Form.MOV_X, regs.get(p + 1), regs.get(p + 2));
    }
    // A builtin without a VMContext slot has its pointer in the store context (Builtin#storeSlot).
    Gpr base = WasmCallConv.CALLEE_VMCTX;
    if (!builtin.slotted()) {
      Asm.access(buf, Form.LDR_X_IMM, WasmCallConv.SCRATCH1, base, VmLayout.STORE_CONTEXT,
          WasmCallConv.SCRATCH0);
      base = WasmCallConv.SCRATCH1;
      if (builtin.recordsFrame()) {
        // this frame's record links to the wasm caller's: where the runtime's frame walk starts
        Asm.access(buf, Form.STR_X_IMM, Gpr.X29, base, StoreLayout.TRAP_FP, WasmCallConv.SCRATCH0);
      }
    }
    Asm.access(buf, Form.LDR_X_IMM, WasmCallConv.SCRATCH0, base, slotOffset, WasmCallConv.SCRATCH0);
    asm(buf, Form.BLR, WasmCallConv.SCRATCH0);
    asm(buf, Form.LDP_X_POST, Gpr.X29, Gpr.X30, Gpr.SP, new PairOffset(16));
    asm(buf, Form.RET);
  }
}
