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

import dev.kiln.codegen.x64.asm.forms.BitForm;
import java.util.List;

/** Golden rows for {@link BitForm}: (expected bytes in memory order, expected AT&amp;T text, instruction). */
final class BitRows {
  private BitRows() {}

  static final List<EncodingRow> ROWS = List.of(
      row("450fbcd6", "bsfl %r14d, %r10d", BitForm.BSFL_RM, R10, R14),
      row("0fbc05f9ffffff", "bsfl -7(%rip), %eax", BitForm.BSFL_RM, RAX, rip(L)),
      row("4c0fbcc1", "bsfq %rcx, %r8", BitForm.BSFQ_RM, R8, RCX),
      row("4d0fbcbb00000080", "bsfq -0xffffffff80000000(%r11), %r15", BitForm.BSFQ_RM, R15, mem(R11, -2147483648)),
      row("0fbdf4", "bsrl %esp, %esi", BitForm.BSRL_RM, RSI, RSP),
      row("460fbda47c78563412", "bsrl 0x12345678(%rsp, %r15, 2), %r12d", BitForm.BSRL_RM, R12, mem(RSP, R15, 2, 305419896)),
      row("480fbdfd", "bsrq %rbp, %rdi", BitForm.BSRQ_RM, RDI, RBP),
      row("4c0fbd6b09", "bsrq 9(%rbx), %r13", BitForm.BSRQ_RM, R13, mem(RBX, 9)),
      row("f3410fbdd1", "lzcntl %r9d, %edx", BitForm.LZCNTL_RM, RDX, R9),
      row("f30fbd18", "lzcntl (%rax), %ebx", BitForm.LZCNTL_RM, RBX, mem(RAX)),
      row("f34d0fbdda", "lzcntq %r10, %r11", BitForm.LZCNTQ_RM, R11, R10),
      row("f34c0fbd742408", "lzcntq 8(%rsp), %r14", BitForm.LZCNTQ_RM, R14, mem(RSP, 8)),
      row("f3410fbcc0", "tzcntl %r8d, %eax", BitForm.TZCNTL_RM, RAX, R8),
      row("f30fbc4d00", "tzcntl (%rbp), %ecx", BitForm.TZCNTL_RM, RCX, mem(RBP)),
      row("f34c0fbcfe", "tzcntq %rsi, %r15", BitForm.TZCNTQ_RM, R15, RSI),
      row("f3490fbc6580", "tzcntq -0x80(%r13), %rsp", BitForm.TZCNTQ_RM, RSP, mem(R13, -128)),
      row("f3440fb8e7", "popcntl %edi, %r12d", BitForm.POPCNTL_RM, R12, RDI),
      row("f3410fb8ac2400100000", "popcntl 0x1000(%r12), %ebp", BitForm.POPCNTL_RM, RBP, mem(R12, 4096)),
      row("f34c0fb8ea", "popcntq %rdx, %r13", BitForm.POPCNTQ_RM, R13, RDX),
      row("f34c0fb80c88", "popcntq (%rax, %rcx, 4), %r9", BitForm.POPCNTQ_RM, R9, mem(RAX, RCX, 4, 0)),
      row("0fcb", "bswapl %ebx", BitForm.BSWAPL_O, RBX),
      row("490fcb", "bswapq %r11", BitForm.BSWAPQ_O, R11)
  );
}
