package dev.kiln.artifact.vm;

/**
 * How a table's slots and its lazy-initialisation metadata sit in memory, agreed between the
 * compiler (table accesses and the lazy-init builtin) and the loader ({@code TableInstance}).
 *
 * <p>A table definition in the VMContext is {@code {base, length}} ({@link VmLayout#TABLE_BASE}):
 * {@code base} points at slot 0, and every slot is 8 bytes. Directly below slot 0 the loader keeps
 * a 32-byte header (so the definition itself stays two words and imported tables need nothing
 * more):
 *
 * <pre>
 *   base - 32   image       address of the lazy-init image: u32 per initial slot, the escape index
 *                           of the function the element segments put there plus one, 0 for null;
 *                           0 when the table has no image
 *   base - 24   imageLength entries in the image (u64); slots at or past it start as null
 *   base - 16   funcRefs    address of the owning instance's VMFuncRef 0 (func_ref[k] is at
 *                           funcRefs + 32 k)
 *   base -  8   flags       bit 0: the table is lazily initialised
 * </pre>
 *
 * <p>Slot values. Externref tables and strict funcref tables hold the plain value (a VMFuncRef
 * address or a host handle; 0 is null). Lazily initialised funcref tables tag every initialised
 * slot with {@link #INIT_BIT}, as Wasmtime's {@code FUNCREF_INIT_BIT} does: {@code 0} means
 * "not initialised yet", {@code 1} an initialised null and {@code ptr | 1} an initialised
 * reference (VMFuncRefs are 32-byte aligned, so bit 0 of an address is free). Reading an
 * uninitialised slot resolves it from the image in O(1): one u32 load and an add.
 */
public final class TableStorage {
  /**
   * The compat-header setting saying which representation the code uses: {@code "true"} for lazy
   * tagged funcref slots, {@code "false"} (or absent) for plain slots filled at instantiation.
   */
  public static final String LAZY_INIT_SETTING = "table_lazy_init";

  /** Bytes of the header below slot 0. */
  public static final int HEADER_SIZE = 32;
  /** Offset from {@code base} of the image address. */
  public static final int IMAGE = -32;
  /** Offset from {@code base} of the image's entry count. */
  public static final int IMAGE_LENGTH = -24;
  /** Offset from {@code base} of the owning instance's first VMFuncRef. */
  public static final int FUNC_REFS = -16;
  /** Offset from {@code base} of the flags word. */
  public static final int FLAGS = -8;
  /** Flag bit: the table's funcref slots are lazily initialised and tagged. */
  public static final long FLAG_LAZY = 1;
  /** Size of one slot. */
  public static final int SLOT_SIZE = 8;
  /** Size of one image entry (escape index + 1). */
  public static final int IMAGE_ENTRY_SIZE = 4;
  /** Tag of an initialised slot of a lazy table. */
  public static final long INIT_BIT = 1;

  private TableStorage() {}
}
