package dev.kiln.codegen;

/**
 * How the linker patches a {@link Reloc}. Calls between functions are PC-relative and resolved at link
 * time, so {@code .text} carries no relocations once linked (docs/ARCHITECTURE.md section 3).
 * Formulas use the ELF convention: S = target address, A = addend, P = address of the patched
 * field.
 */
public enum RelocKind {
  /** x86-64 {@code call rel32}: 4-byte field := S + A - P, with A = -4 (rel32 counts from the next instruction). */
  X86_CALL_PC_REL4(4),
  /** AArch64 {@code bl}: imm26 in bits 25:0 := (S + A - P) >> 2; reach +-128 MiB, veneer beyond. */
  AARCH64_CALL26(4),
  /** An absolute 8-byte address := S + A, for data that points at code (not used in {@code .text}). */
  ABS8(8);

  private final int patchSize;

  RelocKind(int patchSize) {
    this.patchSize = patchSize;
  }

  /** Bytes the linker rewrites at the relocation's offset. */
  public int patchSize() {
    return patchSize;
  }
}
