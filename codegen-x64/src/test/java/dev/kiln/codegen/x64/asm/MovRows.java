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

import dev.kiln.codegen.x64.asm.forms.MovForm;
import java.util.List;

/** Golden rows for {@link MovForm}: (expected bytes in memory order, expected AT&amp;T text, instruction). */
final class MovRows {
  private MovRows() {}

  static final List<EncodingRow> ROWS = List.of(
      row("4488ed", "movb %r13b, %bpl", MovForm.MOVB_MR, RBP, R13),
      row("8815faffffff", "movb %dl, -6(%rip)", MovForm.MOVB_MR, rip(L), RDX),
      row("448acb", "movb %bl, %r9b", MovForm.MOVB_RM, R9, RBX),
      row("458a9b00000080", "movb -0xffffffff80000000(%r11), %r11b", MovForm.MOVB_RM, R11, mem(R11, -2147483648)),
      row("41c6c27f", "movb $0x7f, %r10b", MovForm.MOVB_MI, R10, imm(127)),
      row("42c6847c78563412ff", "movb $0xff, 0x12345678(%rsp, %r15, 2)", MovForm.MOVB_MI, mem(RSP, R15, 2, 305419896), imm(255)),
      row("664189c6", "movw %ax, %r14w", MovForm.MOVW_MR, R14, RAX),
      row("6644894309", "movw %r8w, 9(%rbx)", MovForm.MOVW_MR, mem(RBX, 9), R8),
      row("66418bcf", "movw %r15w, %cx", MovForm.MOVW_RM, RCX, R15),
      row("668b30", "movw (%rax), %si", MovForm.MOVW_RM, RSI, mem(RAX)),
      row("66c7c4ffff", "movw $0xffff, %sp", MovForm.MOVW_MI, RSP, imm(65535)),
      row("66c74424080700", "movw $7, 8(%rsp)", MovForm.MOVW_MI, mem(RSP, 8), imm(7)),
      row("4189fc", "movl %edi, %r12d", MovForm.MOVL_MR, R12, RDI),
      row("896d00", "movl %ebp, (%rbp)", MovForm.MOVL_MR, mem(RBP), RBP),
      row("448bea", "movl %edx, %r13d", MovForm.MOVL_RM, R13, RDX),
      row("458b4d80", "movl -0x80(%r13), %r9d", MovForm.MOVL_RM, R9, mem(R13, -128)),
      row("c7c303000000", "movl $3, %ebx", MovForm.MOVL_MI, RBX, imm(3)),
      row("41c784240010000078563412", "movl $0x12345678, 0x1000(%r12)", MovForm.MOVL_MI, mem(R12, 4096), imm(305419896)),
      row("4d89d3", "movq %r10, %r11", MovForm.MOVQ_MR, R11, R10),
      row("4c893488", "movq %r14, (%rax, %rcx, 4)", MovForm.MOVQ_MR, mem(RAX, RCX, 4, 0), R14),
      row("498bc0", "movq %r8, %rax", MovForm.MOVQ_RM, RAX, R8),
      row("4b8b4ce57f", "movq 0x7f(%r13, %r12, 8), %rcx", MovForm.MOVQ_RM, RCX, mem(R13, R12, 8, 127)),
      row("49c7c7ffffff7f", "movq $0x7fffffff, %r15", MovForm.MOVQ_MI, R15, imm(2147483647)),
      row("4ac7840d7fffffff00010000", "movq $0x100, -0x81(%rbp, %r9)", MovForm.MOVQ_MI, mem(RBP, R9, 1, -129), imm(256)),
      row("be00000080", "movl $0x80000000, %esi", MovForm.MOVL_OI, RSI, imm(2147483648L)),
      row("48bc8877665544332211", "movabsq $0x1122334455667788, %rsp", MovForm.MOVABSQ_OI, RSP, imm(1234605616436508552L)),
      // Capstone 5.0 prints negative mov immediates as unsigned decimal (X64Printer.immediateText).
      row("48c7c0ffffffff", "movq $18446744073709551615, %rax", MovForm.MOVQ_MI, RAX, imm(-1)),
      row("48b8f6ffffffffffffff", "movabsq $18446744073709551606, %rax", MovForm.MOVABSQ_OI, RAX, imm(-10)),
      row("48b80500000000000000", "movabsq $5, %rax", MovForm.MOVABSQ_OI, RAX, imm(5)),
      row("440fb6e7", "movzbl %dil, %r12d", MovForm.MOVZBL_RM, R12, RDI),
      row("0fb62df9ffffff", "movzbl -7(%rip), %ebp", MovForm.MOVZBL_RM, RBP, rip(L)),
      row("4c0fb6ea", "movzbq %dl, %r13", MovForm.MOVZBQ_RM, R13, RDX),
      row("4d0fb68b00000080", "movzbq -0xffffffff80000000(%r11), %r9", MovForm.MOVZBQ_RM, R9, mem(R11, -2147483648)),
      row("410fb7db", "movzwl %r11w, %ebx", MovForm.MOVZWL_RM, RBX, R11),
      row("460fb7947c78563412", "movzwl 0x12345678(%rsp, %r15, 2), %r10d", MovForm.MOVZWL_RM, R10, mem(RSP, R15, 2, 305419896)),
      row("4c0fb7f0", "movzwq %ax, %r14", MovForm.MOVZWQ_RM, R14, RAX),
      row("4c0fb74309", "movzwq 9(%rbx), %r8", MovForm.MOVZWQ_RM, R8, mem(RBX, 9)),
      row("410fbecf", "movsbl %r15b, %ecx", MovForm.MOVSBL_RM, RCX, R15),
      row("0fbe30", "movsbl (%rax), %esi", MovForm.MOVSBL_RM, RSI, mem(RAX)),
      row("490fbee4", "movsbq %r12b, %rsp", MovForm.MOVSBQ_RM, RSP, R12),
      row("480fbe7c2408", "movsbq 8(%rsp), %rdi", MovForm.MOVSBQ_RM, RDI, mem(RSP, 8)),
      row("410fbfed", "movswl %r13w, %ebp", MovForm.MOVSWL_RM, RBP, R13),
      row("0fbf5500", "movswl (%rbp), %edx", MovForm.MOVSWL_RM, RDX, mem(RBP)),
      row("4c0fbfcb", "movswq %bx, %r9", MovForm.MOVSWQ_RM, R9, RBX),
      row("4d0fbf5d80", "movswq -0x80(%r13), %r11", MovForm.MOVSWQ_RM, R11, mem(R13, -128)),
      row("4d63d6", "movslq %r14d, %r10", MovForm.MOVSLQ_RM, R10, R14),
      row("4963842400100000", "movslq 0x1000(%r12), %rax", MovForm.MOVSLQ_RM, RAX, mem(R12, 4096)),
      row("448d0488", "leal (%rax, %rcx, 4), %r8d", MovForm.LEAL_RM, R8, mem(RAX, RCX, 4, 0)),
      row("4b8d4ce57f", "leaq 0x7f(%r13, %r12, 8), %rcx", MovForm.LEAQ_RM, RCX, mem(R13, R12, 8, 127))
  );
}
