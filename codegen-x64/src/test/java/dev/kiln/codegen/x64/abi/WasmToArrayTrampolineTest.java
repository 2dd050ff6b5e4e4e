package dev.kiln.codegen.x64.abi;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.codegen.CodeBuffer;
import dev.kiln.codegen.FinishedCode;
import dev.kiln.codegen.Reloc;
import dev.kiln.codegen.RelocKind;
import dev.kiln.codegen.TrapSite;
import dev.kiln.disasm.DisassembledInstruction;
import dev.kiln.disasm.Isa;
import dev.kiln.codegen.testsupport.CapstoneOracle;
import dev.kiln.codegen.x64.asm.FunctionTarget;
import dev.kiln.ir.Type;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The WASM_TO_ARRAY trampoline read back through Capstone: the design in its javadoc written out. */
class WasmToArrayTrampolineTest {
  private static final long RAISE_TRAP = FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index()).raw();
  private static final long THROW_STUB = FuncKey.wasmToBuiltinTrampoline(Builtin.THROW.index()).raw();


  private static String listing(byte[] code) {
    List<DisassembledInstruction> insts = CapstoneOracle.disassembler(Isa.X86_64).disassemble(code, 0);
    assertEquals(code.length, insts.stream().mapToInt(DisassembledInstruction::size).sum(),
        "Capstone decoded every byte");
    return insts.stream().map(DisassembledInstruction::text).collect(Collectors.joining("\n"));
  }

  private static FinishedCode emit(List<Type> params, List<Type> results) {
    CodeBuffer buf = new CodeBuffer();
    WasmToArrayTrampoline.emit(buf, params, results, new FunctionTarget(RAISE_TRAP));
    return buf.finish();
  }

  @Test
  void registerParametersGoToValRawsAndResultsComeBackFromThemWithTwoTrapExits() {
    // (i32, f64, i64) -> (i64, f32): i32 in edx, f64 in xmm0, i64 in rcx; results in rax and xmm0.
    FinishedCode code = emit(List.of(Type.I32, Type.F64, Type.I64),
        List.of(Type.I64, Type.F32));
    assertEquals("""
        pushq %rbp
        movq %rsp, %rbp
        movq (%rdi), %r11
        leaq -0x40(%rsp), %r10
        cmpq (%r11), %r10
        jb 0x99
        movq %rbp, 0x2e0(%r11)
        pushq %rdi
        pushq %rdx
        subq $0x30, %rsp
        movq $0, (%rsp)
        movl %edx, (%rsp)
        movq $0, 0x10(%rsp)
        movsd %xmm0, 0x10(%rsp)
        movq %rcx, 0x20(%rsp)
        leaq (%rsp), %rdx
        movl $3, %ecx
        callq *8(%rdi)
        testb %al, %al
        je 0x64
        movq (%rsp), %rax
        movss 0x10(%rsp), %xmm0
        movq %rbp, %rsp
        popq %rbp
        retq
        movq -8(%rbp), %rdi
        movq (%rdi), %r11
        movq 0x2d0(%r11), %rdx
        testq %rdx, %rdx
        je 0x8d
        movq $0, 0x2d0(%r11)
        callq 0x8b
        ud2
        movl $0xd, %edx
        callq 0x97
        ud2
        movl $0, %edx
        callq 0xa3
        ud2""", listing(code.code()));
    // A failure with a pending exception (store context + pending_exception) clears it and calls the
    // throw stub with it in rdx; one without, and the stack check, call the trap handler. The linker
    // resolves all three; each trap handler call's return address is a trap site.
    assertEquals(List.of(new Reloc(0x87, RelocKind.X86_CALL_PC_REL4, THROW_STUB, -4),
        new Reloc(0x93, RelocKind.X86_CALL_PC_REL4, RAISE_TRAP, -4),
        new Reloc(0x9f, RelocKind.X86_CALL_PC_REL4, RAISE_TRAP, -4)), code.relocs());
    assertEquals(List.of(new TrapSite(0x97, TrapCode.HOST_FUNCTION_FAILED.code()),
        new TrapSite(0xa3, TrapCode.STACK_OVERFLOW.code())), code.trapSites());
    assertEquals(0x2d0, StoreLayout.PENDING_EXCEPTION);
    // after the stack check, the frame pointer goes to exit_fp: where the collector walks this
    // activation's wasm frames from while the host runs
    assertEquals(0x2e0, StoreLayout.EXIT_FP);
  }

  @Test
  void stackParametersAreReadAboveTheFrameAndAThirdIntegerResultGoesToTheReturnArea() {
    // Four i64s and an i32: with a return area rdx carries its pointer, so the parameters take rcx,
    // r8, r9 and two stack slots (rbp+16, rbp+24); results: eax, rdx, then the area at -16(%rbp).
    // It pops the 16 bytes of stack arguments (callee-pops).
    FinishedCode code = emit(
        List.of(Type.I64, Type.I64, Type.I64, Type.I64, Type.I32),
        List.of(Type.I32, Type.I64, Type.I64));
    assertEquals("""
        pushq %rbp
        movq %rsp, %rbp
        movq (%rdi), %r11
        leaq -0x60(%rsp), %r10
        cmpq (%r11), %r10
        jb 0xa6
        movq %rbp, 0x2e0(%r11)
        pushq %rdi
        pushq %rdx
        subq $0x50, %rsp
        movq %rcx, (%rsp)
        movq %r8, 0x10(%rsp)
        movq %r9, 0x20(%rsp)
        movq 0x10(%rbp), %r11
        movq %r11, 0x30(%rsp)
        movq 0x18(%rbp), %r11
        movq %r11, 0x40(%rsp)
        leaq (%rsp), %rdx
        movl $5, %ecx
        callq *8(%rdi)
        testb %al, %al
        je 0x71
        movq -0x10(%rbp), %r10
        movl (%rsp), %eax
        movq 0x10(%rsp), %rdx
        movq 0x20(%rsp), %r11
        movq %r11, (%r10)
        movq %rbp, %rsp
        popq %rbp
        retq $0x10
        movq -8(%rbp), %rdi
        movq (%rdi), %r11
        movq 0x2d0(%r11), %rdx
        testq %rdx, %rdx
        je 0x9a
        movq $0, 0x2d0(%r11)
        callq 0x98
        ud2
        movl $0xd, %edx
        callq 0xa4
        ud2
        movl $0, %edx
        callq 0xb0
        ud2""", listing(code.code()));
  }
}
