package dev.kiln.artifact.info;

/** Constants of the {@code .kiln.info} encoding shared by the encoder and decoder (docs/cwasm-format.md section 8). */
final class InfoFormat {
  private InfoFormat() {}

  /** "KNFO" read as a little-endian u32. */
  static final int MAGIC = 0x4F464E4B;
  static final int VERSION = 1;
  static final int HEADER_SIZE = 8;
  /**
   * Header flag: a tag list (u32 count, a u32 type index per defined tag) follows the globals. A
   * module without tags leaves it clear and encodes as before tags existed.
   */
  static final int FLAG_TAGS = 1;

  /** The start-function field's value when there is none. */
  static final int NO_START = -1;

  /** Limits flags (tables and memories). */
  static final int HAS_MAX = 1;
  static final int IS_64 = 2;
  /** Memories only. */
  static final int SHARED = 4;

  /** Element item encodings. */
  static final int ITEMS_FUNCTIONS = 0;
  static final int ITEMS_EXPRESSIONS = 1;

  /** Precise value types: a reference type's first byte, as in the wasm binary format (spec 3.0 5.3.3). */
  static final int REF_NULLABLE = 0x63;
  static final int REF = 0x64;
  /** A precise reference type's heap type: an abstract one by its wasm code, or a type index. */
  static final int HEAP_ABSTRACT = 0;
  static final int HEAP_TYPE_INDEX = 1;
  /**
   * A precise type's composite form, as the wasm binary writes it (WebAssembly 3.0 5.3.x): a
   * function type, or a struct or array type (its fields: storage type, then 1 if mutable).
   */
  static final int COMPOSITE_FUNC = 0x60;
  static final int COMPOSITE_STRUCT = 0x5F;
  static final int COMPOSITE_ARRAY = 0x5E;
}
