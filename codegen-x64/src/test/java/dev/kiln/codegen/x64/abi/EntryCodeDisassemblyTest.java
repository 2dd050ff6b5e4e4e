package dev.kiln.codegen.x64.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.TrapSite;
import dev.kiln.codegen.FinishedCode;
import dev.kiln.codegen.abi.Frame;
import dev.kiln.codegen.Label;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Isa;
import dev.kiln.codegen.testsupport.CapstoneOracle;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.asm.FunctionTarget;
import dev.kiln.codegen.x64.asm.Gpr;
import dev.kiln.codegen.x64.asm.LabelTarget;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.ir.AbiParam;
import dev.kiln.ir.ParamPurpose;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The entry, exit and trap code read back through Capstone, instruction by instruction. The listings
 * are the design in package-info written out; a change to them is a change to the ABI.
 */
class EntryCodeDisassemblyTest {

  private static List<String> disassemble(byte[] code) {
    List<DisassembledInstruction> insts = CapstoneOracle.disassembler(Isa.X86_64).disassemble(code, 0);
    assertEquals(code.length, insts.stream().mapToInt(DisassembledInstruction::size).sum(),
        "Capstone decoded every byte");
    return insts.stream().map(DisassembledInstruction::text).collect(Collectors.toList());
  }

  private static String listing(byte[] code) {
    return String.join("\n", disassemble(code));
  }

  private static final String ENTRY = """
      pushq %rbp
      movq %rsp, %rbp
      pushq %rbx
      pushq %r12
      pushq %r13
      pushq %r14
      pushq %r15
      movq (%rdi), %r12
      pushq 0x20(%r12)
      pushq 0x28(%r12)
      pushq (%r12)
      movq %rsp, 0x20(%r12)
      movq %rbp, 0x28(%r12)
      pushq %r12
      pushq %r12
      movq %rsp, %rax
      subq 0x38(%r12), %rax
      cmovbq 0x30(%r12), %rax
      cmpq 0x30(%r12), %rax
      cmovbq 0x30(%r12), %rax
      cmpq (%r12), %rax
      cmovbq (%r12), %rax
      movq %rax, (%r12)
      movq %rdx, %r13
      """;

  private static final String EXIT = """
      leaq -0x40(%rbp), %rsp
      popq (%r12)
      popq 0x28(%r12)
      popq 0x20(%r12)
      popq %r15
      popq %r14
      popq %r13
      popq %r12
      popq %rbx
      popq %rbp
      movl $1, %eax
      retq""";

  private static final long CALLEE = FuncKey.definedWasmFunction(0, 3).raw();

  @Test
  void addTrampolineLoadsTwoI32sCallsTheCalleeAndStoresOneResult() {
    CodeBuffer buf = new CodeBuffer();
    ArrayToWasmTrampoline.emit(buf, List.of(Type.I32, Type.I32),
        List.of(Type.I32), new FunctionTarget(CALLEE));
    FinishedCode code = buf.finish();
    assertEquals(ENTRY + """
        movl (%r13), %edx
        movl 0x10(%r13), %ecx
        callq 0x62
        movl %eax, (%r13)
        """ + EXIT, listing(code.code()));
    // The call's rel32 (after E8 at 0x5d; the next instruction is at 0x62) is left to the linker, pointing at the callee's key.
    assertEquals(List.of(new Reloc(0x5e, RelocKind.X86_CALL_PC_REL4, CALLEE, -4)), code.relocs());
  }

  @Test
  void stackArgumentsAndTheReturnAreaLiveBelowTheSavedEntryState() {
    CodeBuffer buf = new CodeBuffer();
    ArrayToWasmTrampoline.emit(buf,
        List.of(Type.I32, Type.I64, Type.F64, Type.V128, Type.I64, Type.I64,
            Type.I64),
        List.of(Type.I32, Type.I64, Type.I64, Type.F64, Type.F64, Type.F32,
            Type.V128), new FunctionTarget(CALLEE));
    assertEquals(ENTRY + """
        subq $0x30, %rsp
        movl (%r13), %ecx
        movq 0x10(%r13), %r8
        movsd 0x20(%r13), %xmm0
        movaps 0x30(%r13), %xmm1
        movq 0x40(%r13), %r9
        movq 0x50(%r13), %r11
        movq %r11, (%rsp)
        movq 0x60(%r13), %r11
        movq %r11, 8(%rsp)
        leaq 0x10(%rsp), %rdx
        callq 0x8b
        movl %eax, (%r13)
        movq %rdx, 0x10(%r13)
        movq (%rsp), %r11
        movq %r11, 0x20(%r13)
        movsd %xmm0, 0x30(%r13)
        movsd %xmm1, 0x40(%r13)
        movq 8(%rsp), %r11
        movq %r11, 0x50(%r13)
        movq 0x10(%rsp), %r11
        movq %r11, 0x60(%r13)
        movq 0x18(%rsp), %r11
        movq %r11, 0x68(%r13)
        """ + EXIT, listing(buf.finish().code()));
  }

  @Test
  void trapStubRecordsTheTrapWalksTheFrameChainAndLeavesThroughTheEntrysOwnExit() {
    CodeBuffer buf = new CodeBuffer();
    TrapStub.emit(buf);
    String stub = listing(buf.finish().code());
    assertEquals("""
        movq (%rdi), %rax
        movl %edx, 8(%rax)
        movq (%rsp), %rcx
        movq %rcx, 0x10(%rax)
        movq %rbp, 0x18(%rax)
        movq %rbp, %rcx
        xorl %r8d, %r8d
        movq (%rcx), %r9
        cmpq 0x28(%rax), %r9
        je 0x39
        cmpl $0x40, %r8d
        jae 0x39
        movq 8(%rcx), %r10
        movq %r10, 0x48(%rax, %r8, 8)
        addl $1, %r8d
        movq %r9, %rcx
        jmp 0x18
        movl %r8d, 0x40(%rax)
        movq 0x20(%rax), %rsp
        popq (%rax)
        popq 0x28(%rax)
        popq 0x20(%rax)
        popq %r15
        popq %r14
        popq %r13
        popq %r12
        popq %rbx
        popq %rbp
        xorl %eax, %eax
        retq""", stub);
    // The unwind must mirror the entry exactly: same pops, the store in rax instead of r12.
    String entryExit = EXIT.substring(EXIT.indexOf("popq (%r12)"), EXIT.indexOf("movl $1"))
        .replace("(%r12)", "(%rax)");
    assertTrue(stub.contains(entryExit), stub);
  }

  @Test
  void unsupportedStubKeepsAFrameChecksTheStackAndRaisesUnsupportedWhateverItsSignature() {
    X64Backend backend = new X64Backend(CpuFeatures.baseline(), true);
    // f64 and v128 parameters and results: types the backend refuses to lower, which the stub ignores.
    Signature floats = new Signature(List.of(new AbiParam(Type.I64, ParamPurpose.VMCTX),
        new AbiParam(Type.I64, ParamPurpose.CALLER_VMCTX), AbiParam.of(Type.F64), AbiParam.of(Type.V128)),
        List.of(AbiParam.of(Type.F32)));
    CompiledFunction stub = backend.unsupportedStub(floats);
    assertEquals("""
        pushq %rbp
        movq %rsp, %rbp
        movq (%rdi), %r11
        cmpq (%r11), %rsp
        jb 0x1c
        movl $0xe, %edx
        callq 0x1a
        ud2
        movl $0, %edx
        callq 0x26
        ud2""", listing(stub.code()));
    long raiseTrap = FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()).raw();
    assertEquals(List.of(new Reloc(0x16, RelocKind.X86_CALL_PC_REL4, raiseTrap, -4),
        new Reloc(0x22, RelocKind.X86_CALL_PC_REL4, raiseTrap, -4)), stub.relocs());
    // The recorded pcs are the calls' return addresses, as for every other trap block.
    assertEquals(List.of(new TrapSite(0x1a, TrapCode.UNSUPPORTED.code()),
        new TrapSite(0x26, TrapCode.STACK_OVERFLOW.code())), stub.trapSites());
    assertEquals(stub.code().length, backend.unsupportedStub(new Signature(List.of(), List.of())).size(),
        "one body for every signature");
  }

  @Test
  void tableGrowTrampolineShiftsTheArgumentsPastTheCallerVmctxAndCallsTheSlot() {
    CodeBuffer buf = new CodeBuffer();
    BuiltinTrampoline.emit(buf, Builtin.TABLE_GROW, 0x58);
    FinishedCode code = buf.finish();
    // Wasm (rdi vmctx, rsi caller vmctx, edx table, rcx delta, r8 init) becomes C (rdi vmctx, esi
    // table, rdx delta, rcx init); the push of rbp keeps the frame chain and realigns rsp to 16.
    assertEquals("""
        pushq %rbp
        movq %rsp, %rbp
        movq %rdx, %rsi
        movq %rcx, %rdx
        movq %r8, %rcx
        callq *0x58(%rdi)
        popq %rbp
        retq""", listing(code.code()));
    assertEquals(List.of(), code.relocs());
  }

  @Test
  void trapHasNoTrampolineBecauseItsEntryIsTheTrapStubNorDoCompiledOrDirectBuiltins() {
    assertThrows(IllegalArgumentException.class,
        () -> BuiltinTrampoline.emit(new CodeBuffer(), Builtin.TRAP, 0x60));
    assertThrows(IllegalArgumentException.class,
        () -> BuiltinTrampoline.emit(new CodeBuffer(), Builtin.MEMORY_GROW, 0x60));
    assertThrows(IllegalArgumentException.class,
        () -> BuiltinTrampoline.emit(new CodeBuffer(), Builtin.MEMORY_PROTECT, 0x60));
  }

  @Test
  void prologueChecksTheWholeFrameAgainstTheStackLimitBeforeBuildingIt() {
    CodeBuffer buf = new CodeBuffer();
    Label overflow = buf.createLabel();
    Frame<Gpr> frame = FrameEmitter.frame(List.of(Gpr.RBX, Gpr.R12), 40);
    FrameEmitter.PROLOGUE.emitChecked(buf, frame, overflow);
    FrameEmitter.emitEpilogue(buf, frame);
    long trap = FuncKey.wasmToBuiltinTrampoline(1).raw();
    int returnAddress = FrameEmitter.emitTrapBlock(buf, overflow, TrapCode.STACK_OVERFLOW,
        new FunctionTarget(trap));
    FinishedCode code = buf.finish();
    assertEquals("""
        pushq %rbp
        movq %rsp, %rbp
        movq (%rdi), %r11
        leaq -0x40(%rsp), %r10
        cmpq (%r11), %r10
        jb 0x25
        pushq %rbx
        pushq %r12
        subq $0x30, %rsp
        leaq -0x10(%rbp), %rsp
        popq %r12
        popq %rbx
        popq %rbp
        retq
        movl $0, %edx
        callq 0x2f
        ud2""", listing(code.code()));
    assertEquals(List.of(new Reloc(0x2b, RelocKind.X86_CALL_PC_REL4, trap, -4)), code.relocs());
    assertEquals(0x2f, returnAddress, "the recorded pc is the ud2 after the call, inside the function");
  }

  @Test
  void aLeafFramesPrologueComparesRspItself() {
    CodeBuffer buf = new CodeBuffer();
    Label overflow = buf.createLabel();
    FrameEmitter.PROLOGUE.emitChecked(buf, FrameEmitter.LEAF, overflow);
    FrameEmitter.emitEpilogue(buf, FrameEmitter.LEAF);
    FrameEmitter.emitTrapBlock(buf, overflow, TrapCode.STACK_OVERFLOW, new LabelTarget(overflow));
    assertEquals("""
        pushq %rbp
        movq %rsp, %rbp
        movq (%rdi), %r11
        cmpq (%r11), %rsp
        jb 0x12
        popq %rbp
        retq
        movl $0, %edx
        callq 0x12
        ud2""", listing(buf.finish().code()));
  }

  @Test
  void callTargetsMustBeLabelsOrFunctions() {
    CodeBuffer buf = new CodeBuffer();
    assertThrows(IllegalArgumentException.class, () -> ArrayToWasmTrampoline.emit(buf,
        List.of(), List.of(), Gpr.RAX));
  }
}
