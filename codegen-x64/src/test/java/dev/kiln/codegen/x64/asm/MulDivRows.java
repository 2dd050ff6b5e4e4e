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

import dev.kiln.codegen.x64.asm.forms.MulDivForm;
import java.util.List;

/** Golden rows for {@link MulDivForm}: (expected bytes in memory order, expected AT&amp;T text, instruction). */
final class MulDivRows {
  private MulDivRows() {}

  static final List<EncodingRow> ROWS = List.of(
      row("41f6d1", "notb %r9b", MulDivForm.NOTB_M, R9),
      row("f65309", "notb 9(%rbx)", MulDivForm.NOTB_M, mem(RBX, 9)),
      row("66f7d3", "notw %bx", MulDivForm.NOTW_M, RBX),
      row("66f710", "notw (%rax)", MulDivForm.NOTW_M, mem(RAX)),
      row("41f7d3", "notl %r11d", MulDivForm.NOTL_M, R11),
      row("f7542408", "notl 8(%rsp)", MulDivForm.NOTL_M, mem(RSP, 8)),
      row("49f7d2", "notq %r10", MulDivForm.NOTQ_M, R10),
      row("48f75500", "notq (%rbp)", MulDivForm.NOTQ_M, mem(RBP)),
      row("41f6de", "negb %r14b", MulDivForm.NEGB_M, R14),
      row("41f65d80", "negb -0x80(%r13)", MulDivForm.NEGB_M, mem(R13, -128)),
      row("66f7d8", "negw %ax", MulDivForm.NEGW_M, RAX),
      row("6641f79c2400100000", "negw 0x1000(%r12)", MulDivForm.NEGW_M, mem(R12, 4096)),
      row("41f7d8", "negl %r8d", MulDivForm.NEGL_M, R8),
      row("f71c88", "negl (%rax, %rcx, 4)", MulDivForm.NEGL_M, mem(RAX, RCX, 4, 0)),
      row("48f7d9", "negq %rcx", MulDivForm.NEGQ_M, RCX),
      row("4bf75ce57f", "negq 0x7f(%r13, %r12, 8)", MulDivForm.NEGQ_M, mem(R13, R12, 8, 127)),
      row("41f6e7", "mulb %r15b", MulDivForm.MULB_M, R15),
      row("42f6a40d7fffffff", "mulb -0x81(%rbp, %r9)", MulDivForm.MULB_M, mem(RBP, R9, 1, -129)),
      row("66f7e6", "mulw %si", MulDivForm.MULW_M, RSI),
      row("66f725f9ffffff", "mulw -7(%rip)", MulDivForm.MULW_M, rip(L)),
      row("f7e4", "mull %esp", MulDivForm.MULL_M, RSP),
      row("41f7a300000080", "mull -0xffffffff80000000(%r11)", MulDivForm.MULL_M, mem(R11, -2147483648)),
      row("49f7e4", "mulq %r12", MulDivForm.MULQ_M, R12),
      row("4af7a47c78563412", "mulq 0x12345678(%rsp, %r15, 2)", MulDivForm.MULQ_M, mem(RSP, R15, 2, 305419896)),
      row("40f6ef", "imulb %dil", MulDivForm.IMULB_M, RDI),
      row("f66b09", "imulb 9(%rbx)", MulDivForm.IMULB_M, mem(RBX, 9)),
      row("66f7ed", "imulw %bp", MulDivForm.IMULW_M, RBP),
      row("66f728", "imulw (%rax)", MulDivForm.IMULW_M, mem(RAX)),
      row("41f7ed", "imull %r13d", MulDivForm.IMULL_M, R13),
      row("f76c2408", "imull 8(%rsp)", MulDivForm.IMULL_M, mem(RSP, 8)),
      row("48f7ea", "imulq %rdx", MulDivForm.IMULQ_M, RDX),
      row("48f76d00", "imulq (%rbp)", MulDivForm.IMULQ_M, mem(RBP)),
      row("41f6f1", "divb %r9b", MulDivForm.DIVB_M, R9),
      row("41f67580", "divb -0x80(%r13)", MulDivForm.DIVB_M, mem(R13, -128)),
      row("66f7f3", "divw %bx", MulDivForm.DIVW_M, RBX),
      row("6641f7b42400100000", "divw 0x1000(%r12)", MulDivForm.DIVW_M, mem(R12, 4096)),
      row("41f7f3", "divl %r11d", MulDivForm.DIVL_M, R11),
      row("f73488", "divl (%rax, %rcx, 4)", MulDivForm.DIVL_M, mem(RAX, RCX, 4, 0)),
      row("49f7f2", "divq %r10", MulDivForm.DIVQ_M, R10),
      row("4bf774e57f", "divq 0x7f(%r13, %r12, 8)", MulDivForm.DIVQ_M, mem(R13, R12, 8, 127)),
      row("41f6fe", "idivb %r14b", MulDivForm.IDIVB_M, R14),
      row("42f6bc0d7fffffff", "idivb -0x81(%rbp, %r9)", MulDivForm.IDIVB_M, mem(RBP, R9, 1, -129)),
      row("66f7f8", "idivw %ax", MulDivForm.IDIVW_M, RAX),
      row("66f73df9ffffff", "idivw -7(%rip)", MulDivForm.IDIVW_M, rip(L)),
      row("41f7f8", "idivl %r8d", MulDivForm.IDIVL_M, R8),
      row("41f7bb00000080", "idivl -0xffffffff80000000(%r11)", MulDivForm.IDIVL_M, mem(R11, -2147483648)),
      row("48f7f9", "idivq %rcx", MulDivForm.IDIVQ_M, RCX),
      row("4af7bc7c78563412", "idivq 0x12345678(%rsp, %r15, 2)", MulDivForm.IDIVQ_M, mem(RSP, R15, 2, 305419896)),
      row("66440faffe", "imulw %si, %r15w", MulDivForm.IMULW_RM, R15, RSI),
      row("660faf6309", "imulw 9(%rbx), %sp", MulDivForm.IMULW_RM, RSP, mem(RBX, 9)),
      row("440fafe7", "imull %edi, %r12d", MulDivForm.IMULL_RM, R12, RDI),
      row("0faf28", "imull (%rax), %ebp", MulDivForm.IMULL_RM, RBP, mem(RAX)),
      row("4c0fafea", "imulq %rdx, %r13", MulDivForm.IMULQ_RM, R13, RDX),
      row("4c0faf4c2408", "imulq 8(%rsp), %r9", MulDivForm.IMULQ_RM, R9, mem(RSP, 8)),
      row("66416bdb80", "imulw $-0x80, %r11w, %bx", MulDivForm.IMULW_RMI8, RBX, R11, imm(-128)),
      row("66446b55007f", "imulw $0x7f, (%rbp), %r10w", MulDivForm.IMULW_RMI8, R10, mem(RBP), imm(127)),
      row("664469f03412", "imulw $0x1234, %ax, %r14w", MulDivForm.IMULW_RMI, R14, RAX, imm(4660)),
      row("6645694580ffff", "imulw $0xffff, -0x80(%r13), %r8w", MulDivForm.IMULW_RMI, R8, mem(R13, -128), imm(-1)),
      row("416bcf05", "imull $5, %r15d, %ecx", MulDivForm.IMULL_RMI8, RCX, R15, imm(5)),
      row("416bb4240010000080", "imull $-0x80, 0x1000(%r12), %esi", MulDivForm.IMULL_RMI8, RSI, mem(R12, 4096), imm(-128)),
      row("4169e4ffffffff", "imull $0xffffffff, %r12d, %esp", MulDivForm.IMULL_RMI, RSP, R12, imm(-1)),
      row("693c88ffffffff", "imull $0xffffffff, (%rax, %rcx, 4), %edi", MulDivForm.IMULL_RMI, RDI, mem(RAX, RCX, 4, 0), imm(4294967295L)),
      row("496bed0a", "imulq $0xa, %r13, %rbp", MulDivForm.IMULQ_RMI8, RBP, R13, imm(10)),
      row("4b6b54e57f05", "imulq $5, 0x7f(%r13, %r12, 8), %rdx", MulDivForm.IMULQ_RMI8, RDX, mem(R13, R12, 8, 127), imm(5)),
      row("4c69cb00000080", "imulq $-0x80000000, %rbx, %r9", MulDivForm.IMULQ_RMI, R9, RBX, imm(-2147483648)),
      row("4e699c0d7ffffffffeffffff", "imulq $-2, -0x81(%rbp, %r9), %r11", MulDivForm.IMULQ_RMI, R11, mem(RBP, R9, 1, -129), imm(-2)),
      row("99", "cltd", MulDivForm.CLTD),
      row("4899", "cqto", MulDivForm.CQTO)
  );
}
