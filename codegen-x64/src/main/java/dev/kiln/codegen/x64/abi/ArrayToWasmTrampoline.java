package dev.kiln.codegen.x64.abi;

import static dev.kiln.codegen.x64.abi.Asm.asm;
import static dev.kiln.codegen.x64.abi.Asm.copy;
import static dev.kiln.codegen.x64.abi.Asm.loadForm;
import static dev.kiln.codegen.x64.abi.Asm.mem;
import static dev.kiln.codegen.x64.abi.Asm.storeForm;

import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.abi.CallLayout;
import dev.kiln.codegen.abi.ValueLocation;
import dev.kiln.codegen.abi.WasmCallAssignment;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.Operand;
import dev.kiln.codegen.x64.asm.Xmm;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.ir.Type;
import java.util.List;

/**
 * Generates the ARRAY_TO_WASM trampoline of one signature: the host's way into wasm. Its C signature
 * (System V AMD64 psABI) is {@code bool f(void* callee_vmctx, void* caller_vmctx, ValRaw* values,
 * size_t len)}; {@code values} holds the arguments on entry and the results on return, 16 bytes per
 * value, little-endian, and must be 16-byte aligned (v128 values move with {@code movaps}). It
 * returns 1 in al, or 0 from {@link TrapStub} when the call trapped.
 *
 * <p>Its frame is the same for every signature, because the trap stub unwinds into it without knowing
 * which one it is:
 *
 * <pre>
 *   rbp + 8    return address into the host
 *   rbp + 0    host rbp
 *   rbp - 8    rbx        rbp - 16  r12      rbp - 24  r13      rbp - 32  r14      rbp - 40  r15
 *   rbp - 48   previous entry_sp
 *   rbp - 56   previous entry_fp
 *   rbp - 64   previous stack_limit   &lt;- entry_sp points here (16-aligned)
 *   rbp - 72   this entry's store context
 *   rbp - 80   (alignment)
 *   ...        return area, then stack arguments at rsp + 0 (the callee pops them)
 * </pre>
 *
 * <p>The store context at {@code rbp - 72} is for the SIGSEGV handler (loader {@code
 * FaultHandlerCode}): a fault at a null reference's field in wasm code knows no vmctx, so the handler
 * walks the frame chain up to the innermost entry and passes this slot to the trap stub as the vmctx
 * whose word 0 is the store context. It lies below entry_sp, so both exits drop it with the frame.
 *
 * <p>While wasm runs, r12 holds the store context and r13 the values pointer; both are callee-saved
 * under {@link WasmCallConv}, so they survive the call.
 */
public final class ArrayToWasmTrampoline {
  private ArrayToWasmTrampoline() {}

  /** Callee-saved registers the entry pushes after rbp, in push order. */
  public static final List<Gpr> SAVED = List.of(Gpr.RBX, Gpr.R12, Gpr.R13, Gpr.R14, Gpr.R15);
  /** rbp-relative offset entry_sp points at: below the saved registers and the three saved fields. */
  public static final int ENTRY_SP_FROM_FP = -8 * (SAVED.size() + 3);
  /** rbp-relative offset of the slot holding the entry's store context, just below entry_sp. */
  public static final int STORE_CONTEXT_FROM_FP = ENTRY_SP_FROM_FP - 8;

  private static final Gpr STORE = Gpr.R12;
  private static final Gpr VALUES = Gpr.R13;

  /**
   * Emits the trampoline for the signature {@code params -> results} calling {@code callee}, a label in {@code buf} or a
   * {@code FunctionTarget} (the callee's DEFINED_WASM_FUNCTION key, resolved by the linker).
   */
  public static void emit(CodeBuffer buf, List<Type> params, List<Type> results, Operand callee) {
    Operand target = Asm.callTarget(callee);
    CallLayout<Gpr, Xmm> layout = WasmCallConv.CONVENTION.layout(params, results);

    // Host frame, callee-saved registers (psABI table 3.4: the host expects them preserved).
    asm(buf, ControlForm.PUSHQ_O, Gpr.RBP);
    asm(buf, MovForm.MOVQ_MR, Gpr.RBP, Gpr.RSP);
    for (Gpr r : SAVED) {
      asm(buf, ControlForm.PUSHQ_O, r);
    }
    // Save the enclosing entry's state, so a nested entry (wasm -> host -> wasm) restores it.
    asm(buf, MovForm.MOVQ_RM, STORE, mem(WasmCallConv.CALLEE_VMCTX, VmLayout.STORE_CONTEXT));
    asm(buf, ControlForm.PUSHQ_M, mem(STORE, StoreLayout.ENTRY_SP));
    asm(buf, ControlForm.PUSHQ_M, mem(STORE, StoreLayout.ENTRY_FP));
    asm(buf, ControlForm.PUSHQ_M, mem(STORE, StoreLayout.STACK_LIMIT));
    asm(buf, MovForm.MOVQ_MR, mem(STORE, StoreLayout.ENTRY_SP), Gpr.RSP);
    asm(buf, MovForm.MOVQ_MR, mem(STORE, StoreLayout.ENTRY_FP), Gpr.RBP);
    asm(buf, ControlForm.PUSHQ_O, STORE); // at STORE_CONTEXT_FROM_FP
    asm(buf, ControlForm.PUSHQ_O, STORE); // keeps rsp 16-aligned
    emitStackLimit(buf);

    asm(buf, MovForm.MOVQ_RM, VALUES, Gpr.RDX);
    FrameEmitter.subtractFromRsp(buf, layout.stackArgBytes() + layout.returnAreaBytes());

    // Arguments: ValRaw slot i -> the convention's location. rdi and rsi already hold the vmctx
    // pair; rdx (values) and rcx (len) are free now.
    for (int i = 0; i < params.size(); i++) {
      Amode slot = mem(VALUES, CallLayout.VALRAW_SIZE * i);
      switch (layout.params().get(i)) {
        case ValueLocation.InGpr(Gpr r) ->
            asm(buf, params.get(i) == Type.I32 ? MovForm.MOVL_RM : MovForm.MOVQ_RM, r, slot);
        case ValueLocation.InFpr(Xmm x) -> asm(buf, loadForm(params.get(i)), x, slot);
        case ValueLocation.OnStack(int offset) -> copy(buf, slot, mem(Gpr.RSP, offset),
            WasmCallAssignment.slotBytes(params.get(i)));
        case ValueLocation.InReturnArea<?, ?> r -> throw new IllegalStateException("parameter in " + r);
      }
    }
    if (layout.hasReturnArea()) {
      asm(buf, MovForm.LEAQ_RM, WasmCallConv.RETURN_AREA_POINTER,
          mem(Gpr.RSP, layout.stackArgBytes()));
    }

    asm(buf, ControlForm.CALLQ_REL32, target);

    // Results: the convention's location -> ValRaw slot j. The callee popped its stack arguments
    // (callee-pops, ArgumentArea), so the return area is at rsp now; the exit restores rsp from rbp.
    for (int j = 0; j < results.size(); j++) {
      Amode slot = mem(VALUES, CallLayout.VALRAW_SIZE * j);
      switch (layout.results().get(j)) {
        case ValueLocation.InGpr(Gpr r) ->
            asm(buf, results.get(j) == Type.I32 ? MovForm.MOVL_MR : MovForm.MOVQ_MR, slot, r);
        case ValueLocation.InFpr(Xmm x) -> asm(buf, storeForm(results.get(j)), slot, x);
        case ValueLocation.InReturnArea(int offset) ->
            copy(buf, mem(Gpr.RSP, offset), slot, WasmCallAssignment.slotBytes(results.get(j)));
        case ValueLocation.OnStack<?, ?> s -> throw new IllegalStateException("result in " + s);
      }
    }

    asm(buf, MovForm.LEAQ_RM, Gpr.RSP, mem(Gpr.RBP, ENTRY_SP_FROM_FP));
    emitExit(buf, STORE);
    asm(buf, MovForm.MOVL_OI, Gpr.RAX, Imm.of(1));
    asm(buf, ControlForm.RETQ);
  }

  /**
   * {@code stack_limit = max(stack_floor, rsp - max_wasm_stack, previous stack_limit)}, unsigned; a
   * borrow in the subtraction (an SP below max_wasm_stack) falls back to the floor.
   */
  private static void emitStackLimit(CodeBuffer buf) {
    Gpr limit = Gpr.RAX;
    Amode floor = mem(STORE, StoreLayout.STACK_FLOOR);
    Amode current = mem(STORE, StoreLayout.STACK_LIMIT);
    asm(buf, MovForm.MOVQ_RM, limit, Gpr.RSP);
    asm(buf, AluForm.SUBQ_RM, limit, mem(STORE, StoreLayout.MAX_WASM_STACK));
    asm(buf, ControlForm.CMOVQ_RM, Cond.B, limit, floor);
    asm(buf, AluForm.CMPQ_RM, limit, floor);
    asm(buf, ControlForm.CMOVQ_RM, Cond.B, limit, floor);
    asm(buf, AluForm.CMPQ_RM, limit, current);
    asm(buf, ControlForm.CMOVQ_RM, Cond.B, limit, current);
    asm(buf, MovForm.MOVQ_MR, current, limit);
  }

  /**
   * The entry's exit, shared by the normal return and {@link TrapStub}: with rsp at entry_sp and
   * {@code store} holding the store context, restore the enclosing entry's stack limit, entry_sp and
   * entry_fp, then the host's callee-saved registers and rbp. The caller sets al and returns.
   */
  static void emitExit(CodeBuffer buf, Gpr store) {
    asm(buf, ControlForm.POPQ_M, mem(store, StoreLayout.STACK_LIMIT));
    asm(buf, ControlForm.POPQ_M, mem(store, StoreLayout.ENTRY_FP));
    asm(buf, ControlForm.POPQ_M, mem(store, StoreLayout.ENTRY_SP));
    for (int i = SAVED.size() - 1; i >= 0; i--) {
      asm(buf, ControlForm.POPQ_O, SAVED.get(i));
    }
    asm(buf, ControlForm.POPQ_O, Gpr.RBP);
  }
}
