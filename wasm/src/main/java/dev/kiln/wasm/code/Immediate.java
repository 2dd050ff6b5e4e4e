package dev.kiln.wasm.code;

/**
 * The shape of the immediates that follow an opcode in the binary format (spec 5.4). The reader
 * switches on it once per instruction; the names say what is read, in order.
 */
public enum Immediate {
  /** Nothing follows. */
  NONE,
  /** A block type: 0x40 (empty), a value type, or a type index as s33 (spec 5.4.1). */
  BLOCK_TYPE,
  /** A label index (relative depth). */
  LABEL,
  /** A vector of label indices and a default label. */
  BR_TABLE,
  /** A tag index (throw, catch). */
  TAG,
  /** A block type, then a vector of catch clauses: a kind byte 0-3, a tag index for kinds 0 and 1, a label. */
  TRY_TABLE,
  /** A function index. */
  FUNC_INDEX,
  /** A type index (u32): call_ref, return_call_ref, struct.new, array.get and the like. */
  TYPE_INDEX,
  /**
   * A type index then a second u32 (GC): the field of struct.get/set, the length of
   * array.new_fixed, the data or element segment of array.new_data/_elem and array.init_data/_elem,
   * the source array type of array.copy.
   */
  TYPE_AND_INDEX,
  /** A heap type (s33): ref.test, ref.cast. */
  HEAP_TYPE,
  /**
   * br_on_cast and br_on_cast_fail (spec 5.4.1): a flags byte (bit 0: the source type is nullable,
   * bit 1: the target type is), a label, the source and the target heap types.
   */
  CAST_BRANCH,
  /** A type index then a table index (a reserved zero byte without reference types). */
  CALL_INDIRECT,
  /** A local index. */
  LOCAL,
  /** A global index. */
  GLOBAL,
  /** A table index. */
  TABLE,
  /** A memarg: alignment (bit 6 set: a memory index follows), [memory index], offset. */
  MEMARG,
  /** A memory index (a reserved zero byte without multi-memory). */
  MEMORY,
  /** An s32 constant. */
  I32,
  /** An s64 constant. */
  I64,
  /** Four bytes of an IEEE 754 binary32, little-endian. */
  F32,
  /** Eight bytes of an IEEE 754 binary64, little-endian. */
  F64,
  /** Sixteen bytes of a v128 constant, little-endian. */
  V128,
  /** One lane index byte. */
  LANE,
  /** A memarg then one lane index byte. */
  MEMARG_LANE,
  /** Sixteen lane index bytes of {@code i8x16.shuffle}. */
  SHUFFLE,
  /** A reference type byte ({@code ref.null}). */
  REF_TYPE,
  /** A vector of value types ({@code select t*}). */
  SELECT_TYPES,
  /** A data segment index. */
  DATA,
  /** An element segment index. */
  ELEM,
  /** A data segment index then a memory index (reserved zero byte without multi-memory). */
  MEMORY_INIT,
  /** Destination then source memory index (reserved zero bytes without multi-memory). */
  MEMORY_COPY,
  /** An element segment index then a table index. */
  TABLE_INIT,
  /** Destination then source table index. */
  TABLE_COPY
}
