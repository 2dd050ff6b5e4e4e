package dev.kiln.codegen.x64.abi;

import static dev.kiln.codegen.x64.abi.Asm.asm;
import static dev.kiln.codegen.x64.abi.Asm.copy;
import static dev.kiln.codegen.x64.abi.Asm.loadForm;
import static dev.kiln.codegen.x64.abi.Asm.mem;
import static dev.kiln.codegen.x64.abi.Asm.storeForm;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.HostContextLayout;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.abi.CallLayout;
import dev.kiln.codegen.abi.HostCallFailure;
import dev.kiln.codegen.abi.ValueLocation;
import dev.kiln.codegen.abi.WasmCallAssignment;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.FunctionTarget;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.asm.Operand;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.ir.Type;
import java.util.List;

/**
 * Generates the WASM_TO_ARRAY trampoline of one signature: wasm's way out to a host function
 * (docs/ARCHITECTURE.md section 4, "Array calling convention"). Compiled code calls it like any
 * wasm function of that signature under {@link WasmCallConv}; the callee vmctx in rdi is a {@link
 * HostContextLayout} block whose {@code array_call} is the host function's C-ABI entry (an FFM
 * upcall stub) {@code bool f(void* callee_vmctx, void* caller_vmctx, ValRaw* values, size_t len)}.
 *
 * <pre>
 *   push %rbp ; mov %rsp, %rbp              frame link: backtraces walk through this frame
 *   stack check against the store's limit   (the host needs stack too; see FrameEmitter)
 *   mov %rbp, exit_fp(store context)        where the suspended wasm frames begin (StoreLayout.EXIT_FP)
 *   push %rdi ; push %rdx                   callee vmctx at rbp-8, return-area pointer at rbp-16
 *   sub $16*slots, %rsp                     the ValRaw array, 16-aligned at rsp
 *   parameter i (register or caller's stack) -> 16*i(%rsp)
 *   lea (%rsp), %rdx ; mov $slots, %ecx ; callq *array_call(%rdi)    rdi, rsi still the vmctx pair
 *   test %al, %al ; jz failed
 *   16*j(%rsp) -> result j's register or return-area slot
 *   mov %rbp, %rsp ; pop %rbp ; ret $stack_argument_bytes     callee-pops, as every wasm function
 * failed:
 *   mov -8(%rbp), %rdi ; mov 0(%rdi), %rax ; mov pending_exception(%rax), %rdx
 *   test %rdx, %rdx ; jz host_trap
 *   movq $0, pending_exception(%rax) ; call throw_stub ; ud2     a wasm exception the host threw
 * host_trap:
 *   mov $HOST_FUNCTION_FAILED, %edx ; call raise_trap ; ud2
 * </pre>
 *
 * <p>Alignment: the wasm caller's call leaves rsp at 8 mod 16; the three pushes (rbp, rdi, rdx)
 * make it 0 mod 16 and the ValRaw area is a multiple of 16, so rsp is 16-aligned at the C call
 * (psABI section 3.2.2) and so is each ValRaw (v128 moves with {@code movaps}). The host keeps the
 * psABI's callee-saved registers (rbx, rbp, r12-r15, the same set as {@link WasmCallConv}) and may
 * clobber the rest, which the wasm caller already assumes of any call.
 *
 * <p>A host function that throws a wasm exception into its caller returns {@code false} with the
 * exception in the store's {@code pending_exception}; the trampoline throws it from its own frame
 * ({@link HostCallFailure}). A host function that fails otherwise (a Java exception, or a trap of a
 * nested wasm call it made) returns {@code false} with none; the trampoline then raises {@link TrapCode#HOST_FUNCTION_FAILED} from its own frame
 * with the host context as vmctx, whose store context the trap stub needs. The loader, which
 * recorded the host's failure, reports it instead of the generic code. The host never unwinds
 * across wasm frames itself.
 */
public final class WasmToArrayTrampoline {
  private WasmToArrayTrampoline() {}

  /** rbp-relative slot of the saved callee vmctx (the host context). */
  private static final int SAVED_VMCTX = -8;
  /** rbp-relative slot of the saved return-area pointer (junk when the signature has none). */
  private static final int SAVED_RETURN_AREA = -16;
  private static final Gpr SCRATCH = WasmCallConv.SCRATCH0;
  private static final Gpr RETURN_AREA = WasmCallConv.SCRATCH1;

  /**
   * Emits the trampoline of the signature {@code params -> results} into {@code buf}, recording its two trap sites.
   *
   * @param raiseTrap the trap handler: a {@code FunctionTarget} of the TRAP builtin's key
   */
  public static void emit(CodeBuffer buf, List<Type> params, List<Type> results, Operand raiseTrap) {
    CallLayout<Gpr, Xmm> layout = WasmCallConv.CONVENTION.layout(params, results);
    int slots = layout.valRawSlots();
    int area = layout.valRawArrayBytes();
    Label stackOverflow = buf.createLabel();
    Label failed = buf.createLabel();

    asm(buf, ControlForm.PUSHQ_O, Gpr.RBP);
    asm(buf, MovForm.MOVQ_MR, Gpr.RBP, Gpr.RSP);
    // The frame's lowest address against the store's stack limit, as in every wasm prologue
    // (FrameEmitter.PROLOGUE): the host context holds the store context at offset 0.
    asm(buf, MovForm.MOVQ_RM, SCRATCH, mem(WasmCallConv.CALLEE_VMCTX, HostContextLayout.STORE_CONTEXT));
    asm(buf, MovForm.LEAQ_RM, RETURN_AREA, mem(Gpr.RSP, -(16 + area)));
    asm(buf, AluForm.CMPQ_RM, RETURN_AREA, mem(SCRATCH, StoreLayout.STACK_LIMIT));
    asm(buf, ControlForm.JCC_REL32, Cond.B, new LabelTarget(stackOverflow));
    // Where this activation's wasm frames begin while the host runs: the collector walks them from
    // here if the host function enters wasm of the store again (StoreLayout.EXIT_FP).
    asm(buf, MovForm.MOVQ_MR, mem(SCRATCH, StoreLayout.EXIT_FP), Gpr.RBP);
    asm(buf, ControlForm.PUSHQ_O, WasmCallConv.CALLEE_VMCTX);
    asm(buf, ControlForm.PUSHQ_O, WasmCallConv.RETURN_AREA_POINTER);
    FrameEmitter.subtractFromRsp(buf, area);

    for (int i = 0; i < params.size(); i++) {
      Amode slot = mem(Gpr.RSP, CallLayout.VALRAW_SIZE * i);
      switch (layout.params().get(i)) {
        case ValueLocation.InGpr(Gpr r) -> {
          if (params.get(i) == Type.I32) {
            // The upper half of an i32 register is undefined (ValueLocation.InGpr); a ValRaw's
            // i32 is zero-extended, so clear the slot's upper half explicitly.
            asm(buf, MovForm.MOVQ_MI, slot, Imm.of(0));
            asm(buf, MovForm.MOVL_MR, slot, r);
          } else {
            asm(buf, MovForm.MOVQ_MR, slot, r);
          }
        }
        case ValueLocation.InFpr(Xmm x) -> {
          if (params.get(i) != Type.V128) {
            asm(buf, MovForm.MOVQ_MI, slot, Imm.of(0));
          }
          asm(buf, storeForm(params.get(i)), slot, x);
        }
        case ValueLocation.OnStack(int offset) ->
            copy(buf, mem(Gpr.RBP, 16 + offset), slot, WasmCallAssignment.slotBytes(params.get(i)));
        case ValueLocation.InReturnArea<?, ?> r -> throw new IllegalStateException("parameter in " + r);
      }
    }

    asm(buf, MovForm.LEAQ_RM, Gpr.RDX, mem(Gpr.RSP, 0));
    asm(buf, MovForm.MOVL_OI, Gpr.RCX, Imm.of(slots));
    asm(buf, ControlForm.CALLQ_M, mem(WasmCallConv.CALLEE_VMCTX, HostContextLayout.ARRAY_CALL));
    asm(buf, AluForm.TESTB_MR, Gpr.RAX, Gpr.RAX);
    asm(buf, ControlForm.JCC_REL32, Cond.E, new LabelTarget(failed));

    if (layout.hasReturnArea()) {
      asm(buf, MovForm.MOVQ_RM, RETURN_AREA, mem(Gpr.RBP, SAVED_RETURN_AREA));
    }
    for (int j = 0; j < results.size(); j++) {
      Amode slot = mem(Gpr.RSP, CallLayout.VALRAW_SIZE * j);
      switch (layout.results().get(j)) {
        case ValueLocation.InGpr(Gpr r) ->
            asm(buf, results.get(j) == Type.I32 ? MovForm.MOVL_RM : MovForm.MOVQ_RM, r, slot);
        case ValueLocation.InFpr(Xmm x) -> asm(buf, loadForm(results.get(j)), x, slot);
        case ValueLocation.InReturnArea(int offset) ->
            copy(buf, slot, mem(RETURN_AREA, offset), WasmCallAssignment.slotBytes(results.get(j)));
        case ValueLocation.OnStack<?, ?> s -> throw new IllegalStateException("result in " + s);
      }
    }
    asm(buf, MovForm.MOVQ_RM, Gpr.RSP, Gpr.RBP);
    asm(buf, ControlForm.POPQ_O, Gpr.RBP);
    // Called as a wasm function, it pops its stack arguments as one (ArgumentArea).
    FrameEmitter.emitReturn(buf, layout.stackArgBytes());

    // The host reported a failure: a pending wasm exception is thrown from this frame, anything
    // else raises the trap from it, with the host context as vmctx either way (HostCallFailure).
    buf.bind(failed);
    Label hostTrap = buf.createLabel();
    asm(buf, MovForm.MOVQ_RM, WasmCallConv.CALLEE_VMCTX, mem(Gpr.RBP, SAVED_VMCTX));
    asm(buf, MovForm.MOVQ_RM, SCRATCH, mem(WasmCallConv.CALLEE_VMCTX, HostContextLayout.STORE_CONTEXT));
    asm(buf, MovForm.MOVQ_RM, ThrowStub.EXCEPTION_REGISTER, mem(SCRATCH, HostCallFailure.PENDING_EXCEPTION));
    asm(buf, AluForm.TESTQ_MR, ThrowStub.EXCEPTION_REGISTER, ThrowStub.EXCEPTION_REGISTER);
    asm(buf, ControlForm.JCC_REL32, Cond.E, new LabelTarget(hostTrap));
    asm(buf, MovForm.MOVQ_MI, mem(SCRATCH, HostCallFailure.PENDING_EXCEPTION), Imm.of(0));
    asm(buf, ControlForm.CALLQ_REL32, Asm.callTarget(new FunctionTarget(HostCallFailure.THROW_STUB.raw())));
    asm(buf, ControlForm.UD2); // the throw stub never returns
    int hostFailed = FrameEmitter.emitTrapBlock(buf, hostTrap, TrapCode.HOST_FUNCTION_FAILED, raiseTrap);
    buf.addTrap(hostFailed, TrapCode.HOST_FUNCTION_FAILED.code());
    // rdi still holds the host context here: the check runs before anything clobbers it.
    int overflow = FrameEmitter.emitTrapBlock(buf, stackOverflow, TrapCode.STACK_OVERFLOW, raiseTrap);
    buf.addTrap(overflow, TrapCode.STACK_OVERFLOW.code());
  }
}
