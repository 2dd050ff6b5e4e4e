package dev.kiln.codegen.x64.asm;

import static dev.kiln.codegen.x64.asm.EncodingRow.fn;
import static dev.kiln.codegen.x64.asm.EncodingRow.imm;
import static dev.kiln.codegen.x64.asm.EncodingRow.mem;
import static dev.kiln.codegen.x64.asm.EncodingRow.rip;
import static dev.kiln.codegen.x64.asm.EncodingRow.row;
import static dev.kiln.codegen.x64.asm.EncodingRow.to;
import static dev.kiln.codegen.x64.asm.EncodingRow.L;
import static dev.kiln.codegen.x64.asm.Gpr.*;
import static dev.kiln.codegen.x64.asm.Xmm.*;

import dev.kiln.codegen.x64.asm.forms.ControlForm;
import java.util.List;

/** Golden rows for {@link ControlForm}: (expected bytes in memory order, expected AT&amp;T text, instruction). */
final class ControlRows {
  private ControlRows() {}

  static final List<EncodingRow> ROWS = List.of(
      row("410f90c2", "seto %r10b", ControlForm.SETCC_M, Cond.O, R10),
      row("430f9144e57f", "setno 0x7f(%r13, %r12, 8)", ControlForm.SETCC_M, Cond.NO, mem(R13, R12, 8, 127)),
      row("410f92c6", "setb %r14b", ControlForm.SETCC_M, Cond.B, R14),
      row("66410f43c0", "cmovaew %r8w, %ax", ControlForm.CMOVW_RM, Cond.AE, RAX, R8),
      row("66420f448c0d7fffffff", "cmovew -0x81(%rbp, %r9), %cx", ControlForm.CMOVW_RM, Cond.E, RCX, mem(RBP, R9, 1, -129)),
      row("66440f45fe", "cmovnew %si, %r15w", ControlForm.CMOVW_RM, Cond.NE, R15, RSI),
      row("410f46e4", "cmovbel %r12d, %esp", ControlForm.CMOVL_RM, Cond.BE, RSP, R12),
      row("0f473df9ffffff", "cmoval -7(%rip), %edi", ControlForm.CMOVL_RM, Cond.A, RDI, rip(L)),
      row("410f48ed", "cmovsl %r13d, %ebp", ControlForm.CMOVL_RM, Cond.S, RBP, R13),
      row("490f49d1", "cmovnsq %r9, %rdx", ControlForm.CMOVQ_RM, Cond.NS, RDX, R9),
      row("490f4a9b00000080", "cmovpq -0xffffffff80000000(%r11), %rbx", ControlForm.CMOVQ_RM, Cond.P, RBX, mem(R11, -2147483648)),
      row("4d0f4bda", "cmovnpq %r10, %r11", ControlForm.CMOVQ_RM, Cond.NP, R11, R10),
      row("7cfe", "jl 0", ControlForm.JCC_REL8, Cond.L, to(L)),
      row("7dfe", "jge 0", ControlForm.JCC_REL8, Cond.GE, to(L)),
      row("7efe", "jle 0", ControlForm.JCC_REL8, Cond.LE, to(L)),
      row("0f8ffaffffff", "jg 0", ControlForm.JCC_REL32, Cond.G, to(L)),
      row("0f8100000000", "jno 6", ControlForm.JCC_REL32, Cond.NO, fn(0x1000000007L)),
      row("0f83faffffff", "jae 0", ControlForm.JCC_REL32, Cond.AE, to(L)),
      row("ebfe", "jmp 0", ControlForm.JMP_REL8, to(L)),
      row("e900000000", "jmp 5", ControlForm.JMP_REL32, fn(0x1000000007L)),
      row("41ffe6", "jmpq *%r14", ControlForm.JMPQ_M, R14),
      row("42ffa47c78563412", "jmpq *0x12345678(%rsp, %r15, 2)", ControlForm.JMPQ_M, mem(RSP, R15, 2, 305419896)),
      row("e8fbffffff", "callq 0", ControlForm.CALLQ_REL32, to(L)),
      row("ffd0", "callq *%rax", ControlForm.CALLQ_M, RAX),
      row("ff5309", "callq *9(%rbx)", ControlForm.CALLQ_M, mem(RBX, 9)),
      row("c3", "retq", ControlForm.RETQ),
      row("c23000", "retq $0x30", ControlForm.RETQ_I16, imm(48)),
      row("c2ffff", "retq $0xffff", ControlForm.RETQ_I16, imm(0xFFFF)),
      row("4150", "pushq %r8", ControlForm.PUSHQ_O, R8),
      row("fff1", "pushq %rcx", ControlForm.PUSHQ_M, RCX),
      row("ff30", "pushq (%rax)", ControlForm.PUSHQ_M, mem(RAX)),
      row("6aff", "pushq $-1", ControlForm.PUSHQ_I8, imm(-1)),
      row("6800010000", "pushq $0x100", ControlForm.PUSHQ_I32, imm(256)),
      row("415f", "popq %r15", ControlForm.POPQ_O, R15),
      row("8fc6", "popq %rsi", ControlForm.POPQ_M, RSI),
      row("8f442408", "popq 8(%rsp)", ControlForm.POPQ_M, mem(RSP, 8)),
      row("0f0b", "ud2", ControlForm.UD2),
      row("cc", "int3", ControlForm.INT3),
      row("90", "nop", ControlForm.NOP),
      row("0f1f440000", "nopl (%rax, %rax)", ControlForm.NOP_N, imm(5)),
      row("660f1f440000", "nopw (%rax, %rax)", ControlForm.NOP_N, imm(6)),
      row("0f1f8000000000", "nopl (%rax)", ControlForm.NOP_N, imm(7)),
      row("0f1f840000000000", "nopl (%rax, %rax)", ControlForm.NOP_N, imm(8)),
      row("660f1f840000000000", "nopw (%rax, %rax)", ControlForm.NOP_N, imm(9)),
      row("90", "nop", ControlForm.NOP_N, imm(1)),
      row("6690", "nop", ControlForm.NOP_N, imm(2)),
      row("0f1f00", "nopl (%rax)", ControlForm.NOP_N, imm(3)),
      row("0f1f4000", "nopl (%rax)", ControlForm.NOP_N, imm(4))
  );
}
