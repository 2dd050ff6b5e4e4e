package dev.kiln.tests.backend;

import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.FinishedCode;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.x64.asm.Amode;
import dev.kiln.codegen.x64.asm.Cond;
import dev.kiln.codegen.x64.asm.Form;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.Imm;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.asm.Operand;
import dev.kiln.codegen.x64.asm.X64Encoder;
import dev.kiln.codegen.x64.asm.X64Inst;
import dev.kiln.codegen.x64.asm.forms.AluForm;
import dev.kiln.codegen.x64.asm.forms.ControlForm;
import dev.kiln.codegen.x64.asm.forms.MovForm;
import dev.kiln.codegen.x64.asm.forms.ShiftForm;
import java.util.List;

/**
 * A stand-in for the memory.grow builtin (the runtime's real one is not written yet), reached by
 * compiled code as {@code wasmToBuiltinTrampoline(MEMORY_GROW)} with the wasm convention:
 * {@code (vmctx rdi, caller vmctx rsi, memory index edx, delta pages rcx) -> old pages or -1 in rax}.
 * The test reserves the memory's whole reachable size read-write up front (fresh pages read as
 * zero), so growing only moves the length field in the VMContext.
 */
final class MemoryGrowStub {
  private MemoryGrowStub() {}

  /**
   * @param lengthOffset vmctx offset of memory 0's byte length
   * @param maxPages pages the reservation holds
   */
  static CompiledFunction emit(int lengthOffset, long maxPages) {
    CodeBuffer buf = new CodeBuffer();
    Label fail = buf.createLabel();
    Amode length = Amode.baseDisp(Gpr.RDI, lengthOffset);
    asm(buf, MovForm.MOVQ_RM, Gpr.RAX, length);
    asm(buf, ShiftForm.SHRQ_MI, Gpr.RAX, Imm.of(16));
    asm(buf, MovForm.MOVQ_RM, Gpr.R8, Gpr.RCX);
    asm(buf, AluForm.ADDQ_RM, Gpr.R8, Gpr.RAX);
    asm(buf, ControlForm.JCC_REL32, Cond.B, new LabelTarget(fail));
    asm(buf, AluForm.CMPQ_MI, Gpr.R8, Imm.of(maxPages));
    asm(buf, ControlForm.JCC_REL32, Cond.A, new LabelTarget(fail));
    asm(buf, ShiftForm.SHLQ_MI, Gpr.R8, Imm.of(16));
    asm(buf, MovForm.MOVQ_MR, length, Gpr.R8);
    asm(buf, ControlForm.RETQ);
    buf.bind(fail);
    asm(buf, MovForm.MOVQ_MI, Gpr.RAX, Imm.of(-1));
    asm(buf, ControlForm.RETQ);
    FinishedCode done = buf.finish();
    return new CompiledFunction(done.code(), done.relocs(), done.trapSites(), List.of());
  }

  private static void asm(CodeBuffer buf, Form form, Operand... operands) {
    X64Encoder.encode(X64Inst.of(form, operands), buf);
  }
}
