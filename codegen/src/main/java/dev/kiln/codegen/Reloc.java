package dev.kiln.codegen;

import java.util.Objects;

/**
 * A reference from one function's code to another function, left for the linker.
 *
 * @param offset offset of the field to patch, within the function's code
 * @param kind how to patch it
 * @param targetKey the target's FuncKey as one unsigned 64-bit value (namespace in the high 32 bits,
 *     index in the low 32 bits; docs/ARCHITECTURE.md section 3, "FuncKey")
 * @param addend the A of the patch formula, e.g. -4 for {@link RelocKind#X86_CALL_PC_REL4}
 */
public record Reloc(int offset, RelocKind kind, long targetKey, long addend) {
  public Reloc {
    Objects.requireNonNull(kind, "kind");
    if (offset < 0) {
      throw new IllegalArgumentException("relocation offset must not be negative: " + offset);
    }
  }
}
