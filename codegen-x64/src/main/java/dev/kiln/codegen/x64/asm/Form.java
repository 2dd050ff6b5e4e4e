package dev.kiln.codegen.x64.asm;

/**
 * An instruction form: one row of an opcode table. Implemented by the per-family enums in {@code
 * forms}, whose constant names say the mnemonic and encoding ({@code ADDL_MR}).
 */
public interface Form {
  /** The row. */
  FormSpec spec();

  /** The constant's name, e.g. {@code ADDL_MR}. */
  String name();
}
