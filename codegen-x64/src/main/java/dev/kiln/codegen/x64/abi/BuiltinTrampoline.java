package dev.kiln.codegen.x64.abi;

import static dev.kiln.codegen.x64.abi.Asm.asm;
import static dev.kiln.codegen.x64.abi.Asm.mem;

import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.abi.BuiltinBridge;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import java.util.List;

/**
 * A builtin's WASM_TO_BUILTIN trampoline: the bridge from Kiln's wasm calling convention to the
 * System V C ABI of the function pointer the loader stores in the VMContext's builtin slot
 * ({@link dev.kiln.artifact.vm.VmLayout#builtin(Builtin)}). Compiled code calls it as
 * {@code (callee vmctx, caller vmctx, params...)}; the builtin expects {@code (vmctx, params...)}.
 * Both conventions put integer arguments in rdi, rsi, rdx, rcx, r8, r9 (psABI section 3.2.3), so
 * the bridge drops the caller vmctx by moving every parameter one register down, and the first
 * integer result is rax in both. For table.grow:
 *
 * <pre>
 *   pushq %rbp ; movq %rsp, %rbp       frame link, so the trap backtrace walk passes through
 *   movq %rdx, %rsi                    table index (i32; the callee reads the low half)
 *   movq %rcx, %rdx                    delta (i64)
 *   movq %r8, %rcx                     initial value (i64)
 *   callq *slot(%rdi)                  rdi is already the vmctx; rsp is 16-aligned here
 *   popq %rbp ; retq                   the old size (or -1) stays in rax
 * </pre>
 *
 * <p>Alignment: the wasm caller's call leaves rsp at 8 mod 16 and the push of rbp restores 0 mod 16,
 * the psABI requirement at a call (section 3.2.2). The caller-saved sets of the two conventions are
 * the same ({@link WasmCallConv#CALLEE_SAVED}), so nothing else needs saving.
 *
 * <p>A builtin that {@link Builtin#recordsFrame() records its frame} (the GC heap's slow path)
 * also stores {@code %rbp}, this trampoline's frame, in the store context's {@code trap_fp}
 * before the call: the runtime walks the wasm frames from there.
 */
public final class BuiltinTrampoline {
  private BuiltinTrampoline() {}

  /**
   * Emits the trampoline of {@code builtin} at the current offset of {@code buf}.
   *
   * @param slotOffset byte offset of the builtin's pointer in the module's VMContext, or in the store
   *     context for a builtin that is not {@link Builtin#slotted()}
   */
  public static void emit(CodeBuffer buf, Builtin builtin, int slotOffset) {
    BuiltinBridge.check(builtin, WasmCallConv.CONVENTION);
    List<Gpr> regs = WasmCallConv.INT_PARAMS;
    asm(buf, ControlForm.PUSHQ_O, Gpr.RBP);
    asm(buf, MovForm.MOVQ_RM, Gpr.RBP, Gpr.RSP);
    // Ascending order is safe: each destination is the register the previous move just read.
    for (int p = 0; p < builtin.params().size(); p++) {
      asm(buf, MovForm.MOVQ_RM, regs.get(p + 1), regs.get(p + 2));
    }
    if (builtin.slotted()) {
      asm(buf, ControlForm.CALLQ_M, mem(WasmCallConv.CALLEE_VMCTX, slotOffset));
    } else {
      // The pointer is the store's (Builtin#storeSlot): rax is no parameter register.
      asm(buf, MovForm.MOVQ_RM, Gpr.RAX, mem(WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT));
      if (builtin.recordsFrame()) {
        // this frame's record links to the wasm caller's: where the runtime's frame walk starts
        asm(buf, MovForm.MOVQ_MR, mem(Gpr.RAX, StoreLayout.TRAP_FP), Gpr.RBP);
      }
      asm(buf, ControlForm.CALLQ_M, mem(Gpr.RAX, slotOffset));
    }
    asm(buf, ControlForm.POPQ_O, Gpr.RBP);
    asm(buf, ControlForm.RETQ);
  }
}
