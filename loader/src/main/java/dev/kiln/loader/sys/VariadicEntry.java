package dev.kiln.loader.sys;

import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where to call a variadic C function so that a plain, non-variadic downcall of integer and pointer
 * arguments calls it exactly ({@link LibcCall#bindVariadic}). A variadic integer argument travels
 * as a named one does on both hosts (System V AMD64 ABI 3.2.3: the same registers in order; AAPCS64
 * 6.8.2: anonymous arguments assigned as named ones, as on Linux, unlike Apple's platforms). What
 * differs is x86-64's {@code %al}: a caller of a variadic function passes there an upper bound on
 * the vector registers its arguments use (System V 3.5.7), which a plain downcall leaves as it was.
 * So on x86-64 the call goes through an entry of its own that sets it and jumps to the function,
 * which returns straight to the downcall (its result and errno are the function's); on AArch64 the
 * function is called directly.
 */
final class VariadicEntry {
  private VariadicEntry() {}

  /**
   * x86-64: {@code %al} = 0 (no argument is in a vector register), then a jump through the 8-byte
   * literal after the code ({@link CodeRow#assemble}), the function's address.
   */
  static final List<CodeRow> X86_64 = List.of(
      new CodeRow("31 c0", "xorl %eax, %eax"),
      new CodeRow("ff 25 00 00 00 00", "jmpq *(%rip)"));

  /** Entries made, by function address: a function bound again is entered at the same code. */
  private static final Map<Long, MemorySegment> ENTRIES = new ConcurrentHashMap<>();

  /**
   * The address to call {@code function} at with a plain downcall, on the ISA and system {@code
   * osArch} and {@code osName} name ({@code os.arch}, {@code os.name}); empty where the rule above
   * is not known to hold (not Linux: on Apple's AArch64, variadic arguments go on the stack). An
   * x86-64 entry is code mapped once per function for the rest of the process (a few bytes on a page
   * of their own).
   */
  static Optional<MemorySegment> of(MemorySegment function, String osArch, String osName) {
    if (!osName.equals("Linux")) {
      return Optional.empty();
    }
    return switch (osArch) {
      case "amd64", "x86_64" -> Optional.of(ENTRIES.computeIfAbsent(function.address(), address ->
          MemorySegment.ofAddress(VirtualMemory.publishCode(CodeRow.assemble(X86_64, address)))));
      case "aarch64" -> Optional.of(function);
      default -> Optional.empty();
    };
  }
}
