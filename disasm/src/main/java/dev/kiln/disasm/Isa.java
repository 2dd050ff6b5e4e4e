package dev.kiln.disasm;

/** The instruction sets Kiln emits code for. */
public enum Isa {
  X86_64,
  AARCH64
}
