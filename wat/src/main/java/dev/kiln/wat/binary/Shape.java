package dev.kiln.wat.binary;

/**
 * What follows an instruction's name in the text format and its opcode in the binary format (spec
 * 5.4, 6.5). The names say what is written, in binary order; the text order differs only where
 * noted.
 */
public enum Shape {
  /** Nothing. */
  NONE,
  /** A block type: 0x40, a value type, or a type index as s33 (spec 5.4.1). */
  BLOCK,
  /** A label index. */
  LABEL,
  /** A vector of label indices, then the default label. */
  BR_TABLE,
  /** A function index. */
  FUNC,
  /** A type index, then a table index (text: table index first, optional, then a type use). */
  CALL_INDIRECT,
  /** A local index. */
  LOCAL,
  /** A global index. */
  GLOBAL,
  /** A table index (optional in text: 0). */
  TABLE,
  /** Destination, then source table index (both optional in text). */
  TABLE_COPY,
  /** An element segment index, then a table index (text: table index first, optional). */
  TABLE_INIT,
  /** An element segment index. */
  ELEM,
  /** A memarg: alignment with bit 6 set when a memory index follows, the index, the offset. */
  MEMARG,
  /** A memarg, then a lane index byte. */
  MEMARG_LANE,
  /** A memory index (optional in text: 0). */
  MEMORY,
  /** Destination, then source memory index (both optional in text). */
  MEMORY_COPY,
  /** A data segment index, then a memory index (text: memory index first, optional). */
  MEMORY_INIT,
  /** A data segment index. */
  DATA,
  /** An s32. */
  I32,
  /** An s64. */
  I64,
  /** An IEEE 754 binary32, little-endian. */
  F32,
  /** An IEEE 754 binary64, little-endian. */
  F64,
  /** Sixteen bytes, little-endian lanes. */
  V128,
  /** One lane index byte. */
  LANE,
  /** Sixteen lane index bytes ({@code i8x16.shuffle}). */
  SHUFFLE,
  /** A heap type ({@code ref.null}). */
  HEAP_TYPE,
  /** {@code select}: opcode 0x1B alone, or 0x1C and a vector of value types. */
  SELECT,
  /** A type index. */
  TYPE,
  /** A type index, then a field index of that struct type. */
  TYPE_FIELD,
  /** A type index, then a u32 operand count ({@code array.new_fixed}). */
  TYPE_COUNT,
  /** Two type indices ({@code array.copy}). */
  TYPE_TYPE,
  /** A type index, then a data segment index. */
  TYPE_DATA,
  /** A type index, then an element segment index. */
  TYPE_ELEM,
  /** A reference type; the opcode is the table's for {@code (ref ht)}, one more for {@code (ref null ht)}. */
  REF_TEST,
  /** A flags byte (bit 0, bit 1: first, second type nullable), a label, two heap types. */
  BR_ON_CAST,
  /** A tag index. */
  TAG,
  /** A block type, then a vector of catch clauses ({@code try_table}). */
  TRY_TABLE
}
