package dev.kiln.artifact.elf;

/**
 * The sections every {@code .cwasm} has, in file order, with their ELF names. All are written even
 * when empty so a loader never has to guess whether a missing section means "none" or "damaged".
 */
public enum KilnSection {
  /** Compatibility header ({@link dev.kiln.artifact.compat.CompatHeader}). */
  COMPAT(".kiln.compat"),
  /** Function index ({@link dev.kiln.artifact.index.FunctionIndex}). */
  FUNCS(".kiln.funcs"),
  /** Trap table ({@link dev.kiln.artifact.tables.TrapTable}). */
  TRAPS(".kiln.traps"),
  /** Address map ({@link dev.kiln.artifact.tables.AddressMap}). */
  ADDRMAP(".kiln.addrmap"),
  /** Inline map ({@link dev.kiln.artifact.tables.InlineMap}): the inlined calls behind the code. */
  INLINE(".kiln.inline"),
  /**
   * Handler table ({@link dev.kiln.artifact.tables.HandlerTable}): the landing pad of each call
   * inside an exception handler's scope.
   */
  HANDLERS(".kiln.handlers"),
  /**
   * Stack map table ({@link dev.kiln.artifact.tables.StackMapTable}): the frame slots holding GC
   * references at each safepoint call.
   */
  STACKMAPS(".kiln.stackmaps"),
  /** Module info, opaque to this module: its encoding belongs to the compiler and loader. */
  INFO(".kiln.info"),
  /** Data segment bytes, concatenated. */
  DATA(".kiln.data"),
  /** The machine code of every function, in FuncKey order, at a page-aligned file offset. */
  TEXT(".text");

  private final String elfName;

  KilnSection(String elfName) {
    this.elfName = elfName;
  }

  /** The section's name in {@code .shstrtab}. */
  public String elfName() {
    return elfName;
  }
}
