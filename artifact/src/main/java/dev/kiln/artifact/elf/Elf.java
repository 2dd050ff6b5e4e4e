package dev.kiln.artifact.elf;

/**
 * ELF64 constants and structure sizes used by the writer and the reader (System V gABI, "ELF
 * Header", "Sections", "Symbol Table"), plus Kiln's identification values.
 */
final class Elf {
  static final int EHDR_SIZE = 64;
  static final int SHDR_SIZE = 64;
  static final int SYM_SIZE = 24;

  static final int EI_CLASS = 4;
  static final int EI_DATA = 5;
  static final int EI_VERSION = 6;
  static final int EI_OSABI = 7;
  static final int EI_ABIVERSION = 8;
  static final int ELFCLASS64 = 2;
  static final int ELFDATA2LSB = 1;
  static final int EV_CURRENT = 1;

  /**
   * Kiln's EI_OSABI: 'K'. Values 64-255 are architecture-specific in the gABI; no x86-64 or AArch64
   * ABI defines 0x4b, and it differs from Wasmtime's 200, so each runtime refuses the other's files.
   */
  static final int ELFOSABI_KILN = 0x4B;
  /**
   * Kiln's e_flags: the bytes "KILN" read as a little-endian u32. Neither the x86-64 nor the AArch64
   * psABI defines e_flags bits, so the field is free to carry a 32-bit recognition mark that a byte
   * flip in EI_OSABI alone cannot fake.
   */
  static final int EF_KILN = 'K' | 'I' << 8 | 'L' << 16 | 'N' << 24;

  static final int ET_REL = 1;

  static final int SHT_NULL = 0;
  static final int SHT_PROGBITS = 1;
  static final int SHT_SYMTAB = 2;
  static final int SHT_STRTAB = 3;
  static final int SHT_RELA = 4;
  static final int SHT_NOBITS = 8;
  static final int SHT_REL = 9;

  static final long SHF_ALLOC = 0x2;
  static final long SHF_EXECINSTR = 0x4;

  static final int STB_LOCAL = 0;
  static final int STT_FUNC = 2;
  static final int STT_SECTION = 3;

  private Elf() {}
}
