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

import dev.kiln.codegen.x64.asm.forms.ShiftForm;
import java.util.List;

/** Golden rows for {@link ShiftForm}: (expected bytes in memory order, expected AT&amp;T text, instruction). */
final class ShiftRows {
  private ShiftRows() {}

  static final List<EncodingRow> ROWS = List.of(
      row("41d2c7", "rolb %cl, %r15b", ShiftForm.ROLB_CL, R15, RCX),
      row("42d2840d7fffffff", "rolb %cl, -0x81(%rbp, %r9)", ShiftForm.ROLB_CL, mem(RBP, R9, 1, -129), RCX),
      row("40c0c67f", "rolb $0x7f, %sil", ShiftForm.ROLB_MI, RSI, imm(127)),
      row("c005f9ffffffff", "rolb $0xff, -7(%rip)", ShiftForm.ROLB_MI, rip(L), imm(255)),
      row("66d3c4", "rolw %cl, %sp", ShiftForm.ROLW_CL, RSP, RCX),
      row("6641d38300000080", "rolw %cl, -0xffffffff80000000(%r11)", ShiftForm.ROLW_CL, mem(R11, -2147483648), RCX),
      row("6641c1c4ff", "rolw $0xff, %r12w", ShiftForm.ROLW_MI, R12, imm(-1)),
      row("6642c1847c7856341209", "rolw $9, 0x12345678(%rsp, %r15, 2)", ShiftForm.ROLW_MI, mem(RSP, R15, 2, 305419896), imm(9)),
      row("d3c7", "roll %cl, %edi", ShiftForm.ROLL_CL, RDI, RCX),
      row("d34309", "roll %cl, 9(%rbx)", ShiftForm.ROLL_CL, mem(RBX, 9), RCX),
      row("c1c510", "roll $0x10, %ebp", ShiftForm.ROLL_MI, RBP, imm(16)),
      row("c1007f", "roll $0x7f, (%rax)", ShiftForm.ROLL_MI, mem(RAX), imm(127)),
      row("49d3c5", "rolq %cl, %r13", ShiftForm.ROLQ_CL, R13, RCX),
      row("48d3442408", "rolq %cl, 8(%rsp)", ShiftForm.ROLQ_CL, mem(RSP, 8), RCX),
      row("48c1c2ff", "rolq $0xff, %rdx", ShiftForm.ROLQ_MI, RDX, imm(255)),
      row("48c14500ff", "rolq $0xff, (%rbp)", ShiftForm.ROLQ_MI, mem(RBP), imm(-1)),
      row("41d2c9", "rorb %cl, %r9b", ShiftForm.RORB_CL, R9, RCX),
      row("41d24d80", "rorb %cl, -0x80(%r13)", ShiftForm.RORB_CL, mem(R13, -128), RCX),
      row("c0cb09", "rorb $9, %bl", ShiftForm.RORB_MI, RBX, imm(9)),
      row("41c08c240010000010", "rorb $0x10, 0x1000(%r12)", ShiftForm.RORB_MI, mem(R12, 4096), imm(16)),
      row("6641d3cb", "rorw %cl, %r11w", ShiftForm.RORW_CL, R11, RCX),
      row("66d30c88", "rorw %cl, (%rax, %rcx, 4)", ShiftForm.RORW_CL, mem(RAX, RCX, 4, 0), RCX),
      row("6641c1ca7f", "rorw $0x7f, %r10w", ShiftForm.RORW_MI, R10, imm(127)),
      row("6643c14ce57fff", "rorw $0xff, 0x7f(%r13, %r12, 8)", ShiftForm.RORW_MI, mem(R13, R12, 8, 127), imm(255)),
      row("41d3ce", "rorl %cl, %r14d", ShiftForm.RORL_CL, R14, RCX),
      row("42d38c0d7fffffff", "rorl %cl, -0x81(%rbp, %r9)", ShiftForm.RORL_CL, mem(RBP, R9, 1, -129), RCX),
      row("c1c8ff", "rorl $0xff, %eax", ShiftForm.RORL_MI, RAX, imm(-1)),
      row("c10df9ffffff09", "rorl $9, -7(%rip)", ShiftForm.RORL_MI, rip(L), imm(9)),
      row("49d3c8", "rorq %cl, %r8", ShiftForm.RORQ_CL, R8, RCX),
      row("49d38b00000080", "rorq %cl, -0xffffffff80000000(%r11)", ShiftForm.RORQ_CL, mem(R11, -2147483648), RCX),
      row("48c1c910", "rorq $0x10, %rcx", ShiftForm.RORQ_MI, RCX, imm(16)),
      row("4ac18c7c785634127f", "rorq $0x7f, 0x12345678(%rsp, %r15, 2)", ShiftForm.RORQ_MI, mem(RSP, R15, 2, 305419896), imm(127)),
      row("41d2e7", "shlb %cl, %r15b", ShiftForm.SHLB_CL, R15, RCX),
      row("d26309", "shlb %cl, 9(%rbx)", ShiftForm.SHLB_CL, mem(RBX, 9), RCX),
      row("40c0e6ff", "shlb $0xff, %sil", ShiftForm.SHLB_MI, RSI, imm(255)),
      row("c020ff", "shlb $0xff, (%rax)", ShiftForm.SHLB_MI, mem(RAX), imm(-1)),
      row("66d3e4", "shlw %cl, %sp", ShiftForm.SHLW_CL, RSP, RCX),
      row("66d3642408", "shlw %cl, 8(%rsp)", ShiftForm.SHLW_CL, mem(RSP, 8), RCX),
      row("6641c1e409", "shlw $9, %r12w", ShiftForm.SHLW_MI, R12, imm(9)),
      row("66c1650010", "shlw $0x10, (%rbp)", ShiftForm.SHLW_MI, mem(RBP), imm(16)),
      row("d3e7", "shll %cl, %edi", ShiftForm.SHLL_CL, RDI, RCX),
      row("41d36580", "shll %cl, -0x80(%r13)", ShiftForm.SHLL_CL, mem(R13, -128), RCX),
      row("c1e57f", "shll $0x7f, %ebp", ShiftForm.SHLL_MI, RBP, imm(127)),
      row("41c1a42400100000ff", "shll $0xff, 0x1000(%r12)", ShiftForm.SHLL_MI, mem(R12, 4096), imm(255)),
      row("49d3e5", "shlq %cl, %r13", ShiftForm.SHLQ_CL, R13, RCX),
      row("48d32488", "shlq %cl, (%rax, %rcx, 4)", ShiftForm.SHLQ_CL, mem(RAX, RCX, 4, 0), RCX),
      row("48c1e2ff", "shlq $0xff, %rdx", ShiftForm.SHLQ_MI, RDX, imm(-1)),
      row("4bc164e57f09", "shlq $9, 0x7f(%r13, %r12, 8)", ShiftForm.SHLQ_MI, mem(R13, R12, 8, 127), imm(9)),
      row("41d2e9", "shrb %cl, %r9b", ShiftForm.SHRB_CL, R9, RCX),
      row("42d2ac0d7fffffff", "shrb %cl, -0x81(%rbp, %r9)", ShiftForm.SHRB_CL, mem(RBP, R9, 1, -129), RCX),
      row("c0eb10", "shrb $0x10, %bl", ShiftForm.SHRB_MI, RBX, imm(16)),
      row("c02df9ffffff7f", "shrb $0x7f, -7(%rip)", ShiftForm.SHRB_MI, rip(L), imm(127)),
      row("6641d3eb", "shrw %cl, %r11w", ShiftForm.SHRW_CL, R11, RCX),
      row("6641d3ab00000080", "shrw %cl, -0xffffffff80000000(%r11)", ShiftForm.SHRW_CL, mem(R11, -2147483648), RCX),
      row("6641c1eaff", "shrw $0xff, %r10w", ShiftForm.SHRW_MI, R10, imm(255)),
      row("6642c1ac7c78563412ff", "shrw $0xff, 0x12345678(%rsp, %r15, 2)", ShiftForm.SHRW_MI, mem(RSP, R15, 2, 305419896), imm(-1)),
      row("41d3ee", "shrl %cl, %r14d", ShiftForm.SHRL_CL, R14, RCX),
      row("d36b09", "shrl %cl, 9(%rbx)", ShiftForm.SHRL_CL, mem(RBX, 9), RCX),
      row("c1e809", "shrl $9, %eax", ShiftForm.SHRL_MI, RAX, imm(9)),
      row("c12810", "shrl $0x10, (%rax)", ShiftForm.SHRL_MI, mem(RAX), imm(16)),
      row("49d3e8", "shrq %cl, %r8", ShiftForm.SHRQ_CL, R8, RCX),
      row("48d36c2408", "shrq %cl, 8(%rsp)", ShiftForm.SHRQ_CL, mem(RSP, 8), RCX),
      row("48c1e97f", "shrq $0x7f, %rcx", ShiftForm.SHRQ_MI, RCX, imm(127)),
      row("48c16d00ff", "shrq $0xff, (%rbp)", ShiftForm.SHRQ_MI, mem(RBP), imm(255)),
      row("41d2ff", "sarb %cl, %r15b", ShiftForm.SARB_CL, R15, RCX),
      row("41d27d80", "sarb %cl, -0x80(%r13)", ShiftForm.SARB_CL, mem(R13, -128), RCX),
      row("40c0feff", "sarb $0xff, %sil", ShiftForm.SARB_MI, RSI, imm(-1)),
      row("41c0bc240010000009", "sarb $9, 0x1000(%r12)", ShiftForm.SARB_MI, mem(R12, 4096), imm(9)),
      row("66d3fc", "sarw %cl, %sp", ShiftForm.SARW_CL, RSP, RCX),
      row("66d33c88", "sarw %cl, (%rax, %rcx, 4)", ShiftForm.SARW_CL, mem(RAX, RCX, 4, 0), RCX),
      row("6641c1fc10", "sarw $0x10, %r12w", ShiftForm.SARW_MI, R12, imm(16)),
      row("6643c17ce57f7f", "sarw $0x7f, 0x7f(%r13, %r12, 8)", ShiftForm.SARW_MI, mem(R13, R12, 8, 127), imm(127)),
      row("d3ff", "sarl %cl, %edi", ShiftForm.SARL_CL, RDI, RCX),
      row("42d3bc0d7fffffff", "sarl %cl, -0x81(%rbp, %r9)", ShiftForm.SARL_CL, mem(RBP, R9, 1, -129), RCX),
      row("c1fdff", "sarl $0xff, %ebp", ShiftForm.SARL_MI, RBP, imm(255)),
      row("c13df9ffffffff", "sarl $0xff, -7(%rip)", ShiftForm.SARL_MI, rip(L), imm(-1)),
      row("49d3fd", "sarq %cl, %r13", ShiftForm.SARQ_CL, R13, RCX),
      row("49d3bb00000080", "sarq %cl, -0xffffffff80000000(%r11)", ShiftForm.SARQ_CL, mem(R11, -2147483648), RCX),
      row("48c1fa09", "sarq $9, %rdx", ShiftForm.SARQ_MI, RDX, imm(9)),
      row("4ac1bc7c7856341210", "sarq $0x10, 0x12345678(%rsp, %r15, 2)", ShiftForm.SARQ_MI, mem(RSP, R15, 2, 305419896), imm(16)),
      row("c4e269f74810", "shlxl %edx, 0x10(%rax), %ecx", ShiftForm.SHLXL_RMV, RCX, mem(RAX, 16), RDX),
      row("c4e2f1f7c3", "shlxq %rcx, %rbx, %rax", ShiftForm.SHLXQ_RMV, RAX, RBX, RCX),
      row("c46202f7c6", "sarxl %r15d, %esi, %r8d", ShiftForm.SARXL_RMV, R8, RSI, R15),
      row("c4e2faf7d7", "sarxq %rax, %rdi, %rdx", ShiftForm.SARXQ_RMV, RDX, RDI, RAX),
      row("c4e273f7d0", "shrxl %ecx, %eax, %edx", ShiftForm.SHRXL_RMV, RDX, RAX, RCX),
      row("c442a3f7ca", "shrxq %r11, %r10, %r9", ShiftForm.SHRXQ_RMV, R9, R10, R11),
      row("c4e37bf0c307", "rorxl $7, %ebx, %eax", ShiftForm.RORXL_RMI, RAX, RBX, imm(7)),
      row("c463fbf0d13f", "rorxq $0x3f, %rcx, %r10", ShiftForm.RORXQ_RMI, R10, RCX, imm(63))
  );
}
