package dev.kiln.loader.sys;

import java.util.List;
import java.util.Optional;

/**
 * The machine code of the SIGSEGV handler {@link WasmFaults} installs, one {@link CodeRow} per
 * instruction, followed by the 8-byte registry literal ({@link CodeRow#assemble}). The loader
 * depends on no code generator, and the handler is small and fixed, so it is written out here
 * rather than assembled.
 *
 * <p>The kernel calls it as {@code void handler(int sig, siginfo_t* info, ucontext_t* uc)} (System
 * V AMD64: rdi, rsi, rdx). It reads the registry ({@link WasmFaults}: header
 * offsets {@code 0} code table, {@code 8} code count, {@code 16} reservation table, {@code 24}
 * reservation count, {@code 32} previous handler, {@code 40} and {@code 48} trap codes) through the
 * 8-byte literal that follows the code. A fault is the guest's when the kernel reports it as a fault
 * ({@code info->si_code} SEGV_MAPERR or SEGV_ACCERR: a SIGSEGV sent with {@code kill} or {@code
 * tgkill} carries the sender's pid and uid where the address would be, and a general-protection
 * fault carries 0), the interrupted pc lies in a registered module's {@code .text}, and either
 *
 * <ul>
 *   <li>{@code info->si_addr} lies in a registered memory reservation: a wasm access past the end of
 *       its memory, {@code heap_out_of_bounds}, with the reservation's entry as the vmctx (its word 0
 *       is the store context); or
 *   <li>{@code info->si_addr} lies below {@link WasmFaults#NULL_PAGES_END}: a field of a null
 *       reference whose check the compiler left out, a compiler bug, {@code null_reference} rather
 *       than the end of the process. The vmctx is found on the stack: the handler follows the
 *       frame-pointer chain from the interrupted rbp (every wasm frame keeps the {@code push rbp;
 *       mov rsp, rbp} link) up to the first frame whose return address lies in no registered code,
 *       the innermost array-to-wasm entry's, and passes the slot where that entry keeps its store
 *       context ({@link #ENTRY_STORE_CONTEXT_FROM_FP}), if that store's {@code entry_fp} is the
 *       frame; a chain that does not climb, or ends elsewhere, is not the guest's.
 * </ul>
 *
 * <p>For either, the handler rewrites the interrupted context into a call of that module's trap
 * stub ({@code (vmctx, _, code)}, the stub reading only {@code vmctx+0}, the store context) with a
 * return address just after the faulting instruction's first byte, and returns; the kernel resumes
 * in the stub, which records the trap and unwinds to the wasm entry. Anything else goes on to the
 * previous handler (the JVM's) with the arguments untouched, so the JVM's own uses of SIGSEGV
 * (implicit null checks, safepoint polls) are unchanged.
 *
 * <p>Context offsets (glibc {@code <sys/ucontext.h>}): {@code uc_mcontext} at 40 (after {@code
 * uc_flags}, {@code uc_link} and the 24-byte {@code uc_stack}), {@code gregs[REG_RDI=8]} at 104,
 * {@code [REG_RBP=10]} 120, {@code [REG_RDX=12]} 136, {@code [REG_RSP=15]} 160, {@code
 * [REG_RIP=16]} 168; {@code si_code} at 8 and {@code si_addr} at 16 of {@code siginfo_t}.
 *
 * <p>It runs on the interrupted thread's stack (the JVM installs SIGSEGV without an alternate
 * stack); the push lands in the 128-byte red zone the kernel leaves below the interrupted rsp,
 * above the signal frame (System V AMD64 ABI 3.2.2).
 */
final class FaultHandlerCode {
  private FaultHandlerCode() {}

  /**
   * Where the array-to-wasm entry keeps its store context, from its rbp (codegen-x64's {@code
   * ArrayToWasmTrampoline.STORE_CONTEXT_FROM_FP}; a test compares the two).
   */
  static final int ENTRY_STORE_CONTEXT_FROM_FP = -0x48;

  static final List<CodeRow> X86_64 = List.of(
      new CodeRow("4c 8b 05 09 01 00 00", "movq 0x109(%rip), %r8"), // r8 = the registry literal at 0x110
      new CodeRow("48 8b 82 a8 00 00 00", "movq 0xa8(%rdx), %rax"), // rax = interrupted rip
      new CodeRow("4d 8b 50 08", "movq 8(%r8), %r10"), // code count first: growth publishes the table before it
      new CodeRow("4d 8b 08", "movq (%r8), %r9"), // r9 = code table
      new CodeRow("4d 6b d2 18", "imulq $0x18, %r10, %r10"),
      new CodeRow("4d 01 ca", "addq %r9, %r10"), // r10 = end of the table; walk down
      new CodeRow("4d 39 ca", "cmpq %r9, %r10"), // 0x1c: code loop
      new CodeRow("0f 84 e7 00 00 00", "je 0x10c"), // none left: not ours
      new CodeRow("49 83 ea 18", "subq $0x18, %r10"),
      new CodeRow("49 3b 02", "cmpq (%r10), %rax"),
      new CodeRow("72 ee", "jb 0x1c"), // rip below start
      new CodeRow("49 3b 42 08", "cmpq 8(%r10), %rax"),
      new CodeRow("73 e8", "jae 0x1c"), // rip at or past end (a removed entry is start = end = 0)
      new CodeRow("4d 8b 5a 10", "movq 0x10(%r10), %r11"), // r11 = the module's trap stub
      new CodeRow("8b 4e 08", "movl 8(%rsi), %ecx"), // si_code: SEGV_MAPERR (1) or SEGV_ACCERR (2), a
      new CodeRow("83 e9 01", "subl $1, %ecx"), // fault; kill or tgkill (SI_USER, SI_TKILL) and a #GP
      new CodeRow("83 f9 01", "cmpl $1, %ecx"), // (SI_KERNEL) put no faulting address in si_addr
      new CodeRow("0f 87 c5 00 00 00", "ja 0x10c"),
      new CodeRow("48 8b 4e 10", "movq 0x10(%rsi), %rcx"), // rcx = si_addr
      new CodeRow("4d 8b 50 18", "movq 0x18(%r8), %r10"), // reservation count, then table
      new CodeRow("4d 8b 48 10", "movq 0x10(%r8), %r9"),
      new CodeRow("4d 6b d2 18", "imulq $0x18, %r10, %r10"),
      new CodeRow("4d 01 ca", "addq %r9, %r10"),
      new CodeRow("4d 39 ca", "cmpq %r9, %r10"), // 0x5a: reservation loop
      new CodeRow("74 41", "je 0xa0"), // none left: perhaps a null reference
      new CodeRow("49 83 ea 18", "subq $0x18, %r10"),
      new CodeRow("49 3b 4a 08", "cmpq 8(%r10), %rcx"),
      new CodeRow("72 f1", "jb 0x5a"), // address below start
      new CodeRow("49 3b 4a 10", "cmpq 0x10(%r10), %rcx"),
      new CodeRow("73 eb", "jae 0x5a"), // address at or past end
      new CodeRow("4c 89 52 68", "movq %r10, 0x68(%rdx)"), // rdi = the entry; its word 0 is the store context
      new CodeRow("49 8b 48 28", "movq 0x28(%r8), %rcx"), // rcx = heap_out_of_bounds
      new CodeRow("48 89 8a 88 00 00 00", "movq %rcx, 0x88(%rdx)"), // 0x77: rdx = the trap code
      new CodeRow("48 8b 8a a0 00 00 00", "movq 0xa0(%rdx), %rcx"), // rcx = interrupted rsp
      new CodeRow("4c 8d 48 01", "leaq 1(%rax), %r9"), // return address inside the faulting instruction
      new CodeRow("4c 89 49 f8", "movq %r9, -8(%rcx)"), // pushed where the stub reads it
      new CodeRow("48 83 e9 08", "subq $8, %rcx"),
      new CodeRow("48 89 8a a0 00 00 00", "movq %rcx, 0xa0(%rdx)"),
      new CodeRow("4c 89 9a a8 00 00 00", "movq %r11, 0xa8(%rdx)"), // rip = the trap stub
      new CodeRow("c3", "retq"),
      new CodeRow("48 81 f9 00 00 10 00", "cmpq $0x100000, %rcx"), // 0xa0: WasmFaults.NULL_PAGES_END
      new CodeRow("73 63", "jae 0x10c"), // not a null reference's field: not ours
      new CodeRow("56", "pushq %rsi"), // two scratch registers, given back to the previous handler
      new CodeRow("57", "pushq %rdi"),
      new CodeRow("4c 8b 4a 78", "movq 0x78(%rdx), %r9"), // r9 = interrupted rbp, the faulting frame
      new CodeRow("48 8b 8a a0 00 00 00", "movq 0xa0(%rdx), %rcx"), // rcx = interrupted rsp: frames lie at or above
      new CodeRow("49 39 c9", "cmpq %rcx, %r9"), // 0xb6: frame loop; at or above rsp, then each frame above the last
      new CodeRow("72 4f", "jb 0x10a"),
      new CodeRow("41 f6 c1 07", "testb $7, %r9b"), // and 8-aligned, or the chain is not one
      new CodeRow("75 49", "jne 0x10a"),
      new CodeRow("4d 8b 51 08", "movq 8(%r9), %r10"), // r10 = the frame's return address
      new CodeRow("49 8b 70 08", "movq 8(%r8), %rsi"), // rsi = code count, an index walking down
      new CodeRow("48 83 ee 01", "subq $1, %rsi"), // 0xc9: search the code table for the return address
      new CodeRow("72 1f", "jb 0xee"), // in no registered code: the frame is the entry's
      new CodeRow("48 8d 3c 76", "leaq (%rsi, %rsi, 2), %rdi"), // the table read again per entry: a
      new CodeRow("48 c1 e7 03", "shlq $3, %rdi"), // grown one holds every entry the count covers
      new CodeRow("49 03 38", "addq (%r8), %rdi"),
      new CodeRow("4c 3b 17", "cmpq (%rdi), %r10"),
      new CodeRow("72 ea", "jb 0xc9"),
      new CodeRow("4c 3b 57 08", "cmpq 8(%rdi), %r10"),
      new CodeRow("73 e4", "jae 0xc9"),
      new CodeRow("49 8d 49 08", "leaq 8(%r9), %rcx"), // returns into wasm code: up to the caller's frame
      new CodeRow("4d 8b 09", "movq (%r9), %r9"),
      new CodeRow("eb c8", "jmp 0xb6"),
      new CodeRow("49 8d 79 b8", "leaq -0x48(%r9), %rdi"), // 0xee: ENTRY_STORE_CONTEXT_FROM_FP
      new CodeRow("48 8b 37", "movq (%rdi), %rsi"), // rsi = the entry's store context
      new CodeRow("4c 3b 4e 28", "cmpq 0x28(%rsi), %r9"), // whose entry_fp is this frame, or not an entry
      new CodeRow("75 0f", "jne 0x10a"),
      new CodeRow("48 89 7a 68", "movq %rdi, 0x68(%rdx)"), // rdi = the slot; its word 0 is the store context
      new CodeRow("5f", "popq %rdi"),
      new CodeRow("5e", "popq %rsi"),
      new CodeRow("49 8b 48 30", "movq 0x30(%r8), %rcx"), // rcx = null_reference
      new CodeRow("e9 6d ff ff ff", "jmp 0x77"),
      new CodeRow("5f", "popq %rdi"), // 0x10a: not ours after all
      new CodeRow("5e", "popq %rsi"),
      new CodeRow("41 ff 60 20", "jmpq *0x20(%r8)")); // 0x10c: the previous handler, arguments untouched

  /**
   * The rows for the ISA named by {@code os.arch}, if Kiln has a handler for it: x86-64 only, the
   * one host where the whole path (kernel, handler, trap stub) is tested (artifact.vm.MemoryGuard
   * says why AArch64 code keeps its checks).
   */
  static Optional<List<CodeRow>> forArch(String osArch) {
    return switch (osArch) {
      case "amd64", "x86_64" -> Optional.of(X86_64);
      default -> Optional.empty();
    };
  }
}
