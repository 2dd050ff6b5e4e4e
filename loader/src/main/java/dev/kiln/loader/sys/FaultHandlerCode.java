package dev.kiln.loader.sys;

import java.util.List;
import java.util.Optional;

/**
 * The machine code of the SIGSEGV handler {@link GuardFaults} installs, one {@link CodeRow} per
 * instruction, followed by the 8-byte registry literal ({@link CodeRow#assemble}). The loader
 * depends on no code generator, and the handler is small and fixed, so it is written out here
 * rather than assembled.
 *
 * <p>The kernel calls it as {@code void handler(int sig, siginfo_t* info, ucontext_t* uc)} (System
 * V AMD64: rdi, rsi, rdx). It reads the registry ({@link GuardFaults}: header
 * offsets {@code 0} code table, {@code 8} code count, {@code 16} reservation table, {@code 24}
 * reservation count, {@code 32} previous handler, {@code 40} trap code) through the 8-byte literal
 * that follows the code. If the interrupted pc lies in a registered module's {@code .text} and
 * {@code info->si_addr} in a registered memory reservation, the access was a wasm access past the
 * end of its memory: the handler rewrites the interrupted context into a call of that module's trap
 * stub ({@code (vmctx, _, code)}, the stub reading only {@code vmctx+0}, the store context) with a
 * return address just after the faulting instruction's first byte, and returns; the kernel resumes
 * in the stub, which records the trap and unwinds to the wasm entry. Anything else goes on to the
 * previous handler (the JVM's) with the arguments untouched, so the JVM's own uses of SIGSEGV
 * (implicit null checks, safepoint polls) are unchanged.
 *
 * <p>Context offsets (glibc {@code <sys/ucontext.h>}): {@code uc_mcontext} at 40 (after {@code
 * uc_flags}, {@code uc_link} and the 24-byte {@code uc_stack}), {@code gregs[REG_RDI=8]} at 104,
 * {@code [REG_RDX=12]} 136, {@code [REG_RSP=15]} 160, {@code [REG_RIP=16]} 168; {@code si_addr} at
 * 16 of {@code siginfo_t}.
 *
 * <p>It runs on the interrupted thread's stack (the JVM installs SIGSEGV without an alternate
 * stack); the push lands in the 128-byte red zone the kernel leaves below the interrupted rsp,
 * above the signal frame (System V AMD64 ABI 3.2.2).
 */
final class FaultHandlerCode {
  private FaultHandlerCode() {}

  static final List<CodeRow> X86_64 = List.of(
      new CodeRow("4c 8b 05 91 00 00 00", "movq 0x91(%rip), %r8"), // r8 = the registry literal at 0x98
      new CodeRow("48 8b 82 a8 00 00 00", "movq 0xa8(%rdx), %rax"), // rax = interrupted rip
      new CodeRow("4d 8b 50 08", "movq 8(%r8), %r10"), // code count first: growth publishes the table before it
      new CodeRow("4d 8b 08", "movq (%r8), %r9"), // r9 = code table
      new CodeRow("4d 6b d2 18", "imulq $0x18, %r10, %r10"),
      new CodeRow("4d 01 ca", "addq %r9, %r10"), // r10 = end of the table; walk down
      new CodeRow("4d 39 ca", "cmpq %r9, %r10"), // 0x1c: code loop
      new CodeRow("74 6c", "je 0x8d"), // none left: not ours
      new CodeRow("49 83 ea 18", "subq $0x18, %r10"),
      new CodeRow("49 3b 02", "cmpq (%r10), %rax"),
      new CodeRow("72 f2", "jb 0x1c"), // rip below start
      new CodeRow("49 3b 42 08", "cmpq 8(%r10), %rax"),
      new CodeRow("73 ec", "jae 0x1c"), // rip at or past end (a removed entry is start = end = 0)
      new CodeRow("4d 8b 5a 10", "movq 0x10(%r10), %r11"), // r11 = the module's trap stub
      new CodeRow("48 8b 4e 10", "movq 0x10(%rsi), %rcx"), // rcx = si_addr
      new CodeRow("4d 8b 50 18", "movq 0x18(%r8), %r10"), // reservation count, then table
      new CodeRow("4d 8b 48 10", "movq 0x10(%r8), %r9"),
      new CodeRow("4d 6b d2 18", "imulq $0x18, %r10, %r10"),
      new CodeRow("4d 01 ca", "addq %r9, %r10"),
      new CodeRow("4d 39 ca", "cmpq %r9, %r10"), // 0x47: reservation loop
      new CodeRow("74 41", "je 0x8d"), // none left: not ours
      new CodeRow("49 83 ea 18", "subq $0x18, %r10"),
      new CodeRow("49 3b 4a 08", "cmpq 8(%r10), %rcx"),
      new CodeRow("72 f1", "jb 0x47"), // address below start
      new CodeRow("49 3b 4a 10", "cmpq 0x10(%r10), %rcx"),
      new CodeRow("73 eb", "jae 0x47"), // address at or past end
      new CodeRow("4c 89 52 68", "movq %r10, 0x68(%rdx)"), // rdi = the entry; its word 0 is the store context
      new CodeRow("49 8b 48 28", "movq 0x28(%r8), %rcx"),
      new CodeRow("48 89 8a 88 00 00 00", "movq %rcx, 0x88(%rdx)"), // rdx = the trap code
      new CodeRow("48 8b 8a a0 00 00 00", "movq 0xa0(%rdx), %rcx"), // rcx = interrupted rsp
      new CodeRow("4c 8d 48 01", "leaq 1(%rax), %r9"), // return address inside the faulting instruction
      new CodeRow("4c 89 49 f8", "movq %r9, -8(%rcx)"), // pushed where the stub reads it
      new CodeRow("48 83 e9 08", "subq $8, %rcx"),
      new CodeRow("48 89 8a a0 00 00 00", "movq %rcx, 0xa0(%rdx)"),
      new CodeRow("4c 89 9a a8 00 00 00", "movq %r11, 0xa8(%rdx)"), // rip = the trap stub
      new CodeRow("c3", "retq"),
      new CodeRow("41 ff 60 20", "jmpq *0x20(%r8)"), // 0x8d: the previous handler, arguments untouched
      new CodeRow("cc", "int3"), new CodeRow("cc", "int3"), new CodeRow("cc", "int3"), new CodeRow("cc", "int3"),
      new CodeRow("cc", "int3"), new CodeRow("cc", "int3"), new CodeRow("cc", "int3")); // pad to the literal

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
