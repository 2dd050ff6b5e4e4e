package dev.kiln.wasm.code;

/**
 * Every instruction Kiln decodes (spec 5.4 plus the proposals the spec suite exercises), with its
 * prefix byte (0 for single-byte opcodes, 0xFB, 0xFC or 0xFD), its code (after the prefix: the u32
 * sub-opcode), its text-format mnemonic, the shape of its immediates and, where the instruction's
 * typing is fixed, its operand signature.
 *
 * <p>The signature is {@code "params:results"} with one letter per value: {@code i} i32, {@code l}
 * i64, {@code f} f32, {@code d} f64, {@code v} v128 and {@code a} the address type (i32 or i64) of
 * the memory named by the instruction's memory immediate. It is null for instructions whose typing
 * depends on their immediates or the context (control, calls, locals, globals, tables, references,
 * drop, select, bulk memory); the validator handles those one by one.
 *
 * <p>{@link #fromCode(int)}, {@link #fromFcCode(int)} and {@link #fromFdCode(int)} are array
 * lookups, one per prefix.
 */
public enum Opcode {
  // Control instructions (spec 5.4.1), including the tail-call proposal's return_call*.
  UNREACHABLE(0, 0x00, "unreachable", Immediate.NONE, null),
  NOP(0, 0x01, "nop", Immediate.NONE, null),
  BLOCK(0, 0x02, "block", Immediate.BLOCK_TYPE, null),
  LOOP(0, 0x03, "loop", Immediate.BLOCK_TYPE, null),
  IF(0, 0x04, "if", Immediate.BLOCK_TYPE, null),
  ELSE(0, 0x05, "else", Immediate.NONE, null),
  END(0, 0x0B, "end", Immediate.NONE, null),
  BR(0, 0x0C, "br", Immediate.LABEL, null),
  BR_IF(0, 0x0D, "br_if", Immediate.LABEL, null),
  BR_TABLE(0, 0x0E, "br_table", Immediate.BR_TABLE, null),
  RETURN(0, 0x0F, "return", Immediate.NONE, null),
  CALL(0, 0x10, "call", Immediate.FUNC_INDEX, null),
  CALL_INDIRECT(0, 0x11, "call_indirect", Immediate.CALL_INDIRECT, null),
  RETURN_CALL(0, 0x12, "return_call", Immediate.FUNC_INDEX, null),
  RETURN_CALL_INDIRECT(0, 0x13, "return_call_indirect", Immediate.CALL_INDIRECT, null),
  // Typed function references (WebAssembly 3.0 spec 5.4.1).
  CALL_REF(0, 0x14, "call_ref", Immediate.TYPE_INDEX, null),
  RETURN_CALL_REF(0, 0x15, "return_call_ref", Immediate.TYPE_INDEX, null),
  // Exception handling (WebAssembly 3.0 spec 5.4.1), and the legacy instructions of the earlier
  // proposal (try, catch, catch_all, delegate, rethrow), which toolchains emitted for years.
  THROW(0, 0x08, "throw", Immediate.TAG, null),
  THROW_REF(0, 0x0A, "throw_ref", Immediate.NONE, null),
  TRY_TABLE(0, 0x1F, "try_table", Immediate.TRY_TABLE, null),
  TRY(0, 0x06, "try", Immediate.BLOCK_TYPE, null),
  CATCH(0, 0x07, "catch", Immediate.TAG, null),
  CATCH_ALL(0, 0x19, "catch_all", Immediate.NONE, null),
  DELEGATE(0, 0x18, "delegate", Immediate.LABEL, null),
  RETHROW(0, 0x09, "rethrow", Immediate.LABEL, null),
  // Parametric, variable and table instructions (spec 5.4.2-5.4.4).
  DROP(0, 0x1A, "drop", Immediate.NONE, null),
  SELECT(0, 0x1B, "select", Immediate.NONE, null),
  SELECT_TYPED(0, 0x1C, "select", Immediate.SELECT_TYPES, null),
  LOCAL_GET(0, 0x20, "local.get", Immediate.LOCAL, null),
  LOCAL_SET(0, 0x21, "local.set", Immediate.LOCAL, null),
  LOCAL_TEE(0, 0x22, "local.tee", Immediate.LOCAL, null),
  GLOBAL_GET(0, 0x23, "global.get", Immediate.GLOBAL, null),
  GLOBAL_SET(0, 0x24, "global.set", Immediate.GLOBAL, null),
  TABLE_GET(0, 0x25, "table.get", Immediate.TABLE, null),
  TABLE_SET(0, 0x26, "table.set", Immediate.TABLE, null),
  // Memory instructions (spec 5.4.6). Signature letter a = the memory's address type.
  I32_LOAD(0, 0x28, "i32.load", Immediate.MEMARG, "a:i", 2, 0),
  I64_LOAD(0, 0x29, "i64.load", Immediate.MEMARG, "a:l", 3, 0),
  F32_LOAD(0, 0x2A, "f32.load", Immediate.MEMARG, "a:f", 2, 0),
  F64_LOAD(0, 0x2B, "f64.load", Immediate.MEMARG, "a:d", 3, 0),
  I32_LOAD8_S(0, 0x2C, "i32.load8_s", Immediate.MEMARG, "a:i", 0, 0),
  I32_LOAD8_U(0, 0x2D, "i32.load8_u", Immediate.MEMARG, "a:i", 0, 0),
  I32_LOAD16_S(0, 0x2E, "i32.load16_s", Immediate.MEMARG, "a:i", 1, 0),
  I32_LOAD16_U(0, 0x2F, "i32.load16_u", Immediate.MEMARG, "a:i", 1, 0),
  I64_LOAD8_S(0, 0x30, "i64.load8_s", Immediate.MEMARG, "a:l", 0, 0),
  I64_LOAD8_U(0, 0x31, "i64.load8_u", Immediate.MEMARG, "a:l", 0, 0),
  I64_LOAD16_S(0, 0x32, "i64.load16_s", Immediate.MEMARG, "a:l", 1, 0),
  I64_LOAD16_U(0, 0x33, "i64.load16_u", Immediate.MEMARG, "a:l", 1, 0),
  I64_LOAD32_S(0, 0x34, "i64.load32_s", Immediate.MEMARG, "a:l", 2, 0),
  I64_LOAD32_U(0, 0x35, "i64.load32_u", Immediate.MEMARG, "a:l", 2, 0),
  I32_STORE(0, 0x36, "i32.store", Immediate.MEMARG, "ai:", 2, 0),
  I64_STORE(0, 0x37, "i64.store", Immediate.MEMARG, "al:", 3, 0),
  F32_STORE(0, 0x38, "f32.store", Immediate.MEMARG, "af:", 2, 0),
  F64_STORE(0, 0x39, "f64.store", Immediate.MEMARG, "ad:", 3, 0),
  I32_STORE8(0, 0x3A, "i32.store8", Immediate.MEMARG, "ai:", 0, 0),
  I32_STORE16(0, 0x3B, "i32.store16", Immediate.MEMARG, "ai:", 1, 0),
  I64_STORE8(0, 0x3C, "i64.store8", Immediate.MEMARG, "al:", 0, 0),
  I64_STORE16(0, 0x3D, "i64.store16", Immediate.MEMARG, "al:", 1, 0),
  I64_STORE32(0, 0x3E, "i64.store32", Immediate.MEMARG, "al:", 2, 0),
  MEMORY_SIZE(0, 0x3F, "memory.size", Immediate.MEMORY, ":a"),
  MEMORY_GROW(0, 0x40, "memory.grow", Immediate.MEMORY, "a:a"),
  // Numeric instructions (spec 5.4.7), with sign extension (0xC0-0xC4).
  I32_CONST(0, 0x41, "i32.const", Immediate.I32, ":i"),
  I64_CONST(0, 0x42, "i64.const", Immediate.I64, ":l"),
  F32_CONST(0, 0x43, "f32.const", Immediate.F32, ":f"),
  F64_CONST(0, 0x44, "f64.const", Immediate.F64, ":d"),
  I32_EQZ(0, 0x45, "i32.eqz", Immediate.NONE, "i:i"),
  I32_EQ(0, 0x46, "i32.eq", Immediate.NONE, "ii:i"),
  I32_NE(0, 0x47, "i32.ne", Immediate.NONE, "ii:i"),
  I32_LT_S(0, 0x48, "i32.lt_s", Immediate.NONE, "ii:i"),
  I32_LT_U(0, 0x49, "i32.lt_u", Immediate.NONE, "ii:i"),
  I32_GT_S(0, 0x4A, "i32.gt_s", Immediate.NONE, "ii:i"),
  I32_GT_U(0, 0x4B, "i32.gt_u", Immediate.NONE, "ii:i"),
  I32_LE_S(0, 0x4C, "i32.le_s", Immediate.NONE, "ii:i"),
  I32_LE_U(0, 0x4D, "i32.le_u", Immediate.NONE, "ii:i"),
  I32_GE_S(0, 0x4E, "i32.ge_s", Immediate.NONE, "ii:i"),
  I32_GE_U(0, 0x4F, "i32.ge_u", Immediate.NONE, "ii:i"),
  I64_EQZ(0, 0x50, "i64.eqz", Immediate.NONE, "l:i"),
  I64_EQ(0, 0x51, "i64.eq", Immediate.NONE, "ll:i"),
  I64_NE(0, 0x52, "i64.ne", Immediate.NONE, "ll:i"),
  I64_LT_S(0, 0x53, "i64.lt_s", Immediate.NONE, "ll:i"),
  I64_LT_U(0, 0x54, "i64.lt_u", Immediate.NONE, "ll:i"),
  I64_GT_S(0, 0x55, "i64.gt_s", Immediate.NONE, "ll:i"),
  I64_GT_U(0, 0x56, "i64.gt_u", Immediate.NONE, "ll:i"),
  I64_LE_S(0, 0x57, "i64.le_s", Immediate.NONE, "ll:i"),
  I64_LE_U(0, 0x58, "i64.le_u", Immediate.NONE, "ll:i"),
  I64_GE_S(0, 0x59, "i64.ge_s", Immediate.NONE, "ll:i"),
  I64_GE_U(0, 0x5A, "i64.ge_u", Immediate.NONE, "ll:i"),
  F32_EQ(0, 0x5B, "f32.eq", Immediate.NONE, "ff:i"),
  F32_NE(0, 0x5C, "f32.ne", Immediate.NONE, "ff:i"),
  F32_LT(0, 0x5D, "f32.lt", Immediate.NONE, "ff:i"),
  F32_GT(0, 0x5E, "f32.gt", Immediate.NONE, "ff:i"),
  F32_LE(0, 0x5F, "f32.le", Immediate.NONE, "ff:i"),
  F32_GE(0, 0x60, "f32.ge", Immediate.NONE, "ff:i"),
  F64_EQ(0, 0x61, "f64.eq", Immediate.NONE, "dd:i"),
  F64_NE(0, 0x62, "f64.ne", Immediate.NONE, "dd:i"),
  F64_LT(0, 0x63, "f64.lt", Immediate.NONE, "dd:i"),
  F64_GT(0, 0x64, "f64.gt", Immediate.NONE, "dd:i"),
  F64_LE(0, 0x65, "f64.le", Immediate.NONE, "dd:i"),
  F64_GE(0, 0x66, "f64.ge", Immediate.NONE, "dd:i"),
  I32_CLZ(0, 0x67, "i32.clz", Immediate.NONE, "i:i"),
  I32_CTZ(0, 0x68, "i32.ctz", Immediate.NONE, "i:i"),
  I32_POPCNT(0, 0x69, "i32.popcnt", Immediate.NONE, "i:i"),
  I32_ADD(0, 0x6A, "i32.add", Immediate.NONE, "ii:i"),
  I32_SUB(0, 0x6B, "i32.sub", Immediate.NONE, "ii:i"),
  I32_MUL(0, 0x6C, "i32.mul", Immediate.NONE, "ii:i"),
  I32_DIV_S(0, 0x6D, "i32.div_s", Immediate.NONE, "ii:i"),
  I32_DIV_U(0, 0x6E, "i32.div_u", Immediate.NONE, "ii:i"),
  I32_REM_S(0, 0x6F, "i32.rem_s", Immediate.NONE, "ii:i"),
  I32_REM_U(0, 0x70, "i32.rem_u", Immediate.NONE, "ii:i"),
  I32_AND(0, 0x71, "i32.and", Immediate.NONE, "ii:i"),
  I32_OR(0, 0x72, "i32.or", Immediate.NONE, "ii:i"),
  I32_XOR(0, 0x73, "i32.xor", Immediate.NONE, "ii:i"),
  I32_SHL(0, 0x74, "i32.shl", Immediate.NONE, "ii:i"),
  I32_SHR_S(0, 0x75, "i32.shr_s", Immediate.NONE, "ii:i"),
  I32_SHR_U(0, 0x76, "i32.shr_u", Immediate.NONE, "ii:i"),
  I32_ROTL(0, 0x77, "i32.rotl", Immediate.NONE, "ii:i"),
  I32_ROTR(0, 0x78, "i32.rotr", Immediate.NONE, "ii:i"),
  I64_CLZ(0, 0x79, "i64.clz", Immediate.NONE, "l:l"),
  I64_CTZ(0, 0x7A, "i64.ctz", Immediate.NONE, "l:l"),
  I64_POPCNT(0, 0x7B, "i64.popcnt", Immediate.NONE, "l:l"),
  I64_ADD(0, 0x7C, "i64.add", Immediate.NONE, "ll:l"),
  I64_SUB(0, 0x7D, "i64.sub", Immediate.NONE, "ll:l"),
  I64_MUL(0, 0x7E, "i64.mul", Immediate.NONE, "ll:l"),
  I64_DIV_S(0, 0x7F, "i64.div_s", Immediate.NONE, "ll:l"),
  I64_DIV_U(0, 0x80, "i64.div_u", Immediate.NONE, "ll:l"),
  I64_REM_S(0, 0x81, "i64.rem_s", Immediate.NONE, "ll:l"),
  I64_REM_U(0, 0x82, "i64.rem_u", Immediate.NONE, "ll:l"),
  I64_AND(0, 0x83, "i64.and", Immediate.NONE, "ll:l"),
  I64_OR(0, 0x84, "i64.or", Immediate.NONE, "ll:l"),
  I64_XOR(0, 0x85, "i64.xor", Immediate.NONE, "ll:l"),
  I64_SHL(0, 0x86, "i64.shl", Immediate.NONE, "ll:l"),
  I64_SHR_S(0, 0x87, "i64.shr_s", Immediate.NONE, "ll:l"),
  I64_SHR_U(0, 0x88, "i64.shr_u", Immediate.NONE, "ll:l"),
  I64_ROTL(0, 0x89, "i64.rotl", Immediate.NONE, "ll:l"),
  I64_ROTR(0, 0x8A, "i64.rotr", Immediate.NONE, "ll:l"),
  F32_ABS(0, 0x8B, "f32.abs", Immediate.NONE, "f:f"),
  F32_NEG(0, 0x8C, "f32.neg", Immediate.NONE, "f:f"),
  F32_CEIL(0, 0x8D, "f32.ceil", Immediate.NONE, "f:f"),
  F32_FLOOR(0, 0x8E, "f32.floor", Immediate.NONE, "f:f"),
  F32_TRUNC(0, 0x8F, "f32.trunc", Immediate.NONE, "f:f"),
  F32_NEAREST(0, 0x90, "f32.nearest", Immediate.NONE, "f:f"),
  F32_SQRT(0, 0x91, "f32.sqrt", Immediate.NONE, "f:f"),
  F32_ADD(0, 0x92, "f32.add", Immediate.NONE, "ff:f"),
  F32_SUB(0, 0x93, "f32.sub", Immediate.NONE, "ff:f"),
  F32_MUL(0, 0x94, "f32.mul", Immediate.NONE, "ff:f"),
  F32_DIV(0, 0x95, "f32.div", Immediate.NONE, "ff:f"),
  F32_MIN(0, 0x96, "f32.min", Immediate.NONE, "ff:f"),
  F32_MAX(0, 0x97, "f32.max", Immediate.NONE, "ff:f"),
  F32_COPYSIGN(0, 0x98, "f32.copysign", Immediate.NONE, "ff:f"),
  F64_ABS(0, 0x99, "f64.abs", Immediate.NONE, "d:d"),
  F64_NEG(0, 0x9A, "f64.neg", Immediate.NONE, "d:d"),
  F64_CEIL(0, 0x9B, "f64.ceil", Immediate.NONE, "d:d"),
  F64_FLOOR(0, 0x9C, "f64.floor", Immediate.NONE, "d:d"),
  F64_TRUNC(0, 0x9D, "f64.trunc", Immediate.NONE, "d:d"),
  F64_NEAREST(0, 0x9E, "f64.nearest", Immediate.NONE, "d:d"),
  F64_SQRT(0, 0x9F, "f64.sqrt", Immediate.NONE, "d:d"),
  F64_ADD(0, 0xA0, "f64.add", Immediate.NONE, "dd:d"),
  F64_SUB(0, 0xA1, "f64.sub", Immediate.NONE, "dd:d"),
  F64_MUL(0, 0xA2, "f64.mul", Immediate.NONE, "dd:d"),
  F64_DIV(0, 0xA3, "f64.div", Immediate.NONE, "dd:d"),
  F64_MIN(0, 0xA4, "f64.min", Immediate.NONE, "dd:d"),
  F64_MAX(0, 0xA5, "f64.max", Immediate.NONE, "dd:d"),
  F64_COPYSIGN(0, 0xA6, "f64.copysign", Immediate.NONE, "dd:d"),
  I32_WRAP_I64(0, 0xA7, "i32.wrap_i64", Immediate.NONE, "l:i"),
  I32_TRUNC_F32_S(0, 0xA8, "i32.trunc_f32_s", Immediate.NONE, "f:i"),
  I32_TRUNC_F32_U(0, 0xA9, "i32.trunc_f32_u", Immediate.NONE, "f:i"),
  I32_TRUNC_F64_S(0, 0xAA, "i32.trunc_f64_s", Immediate.NONE, "d:i"),
  I32_TRUNC_F64_U(0, 0xAB, "i32.trunc_f64_u", Immediate.NONE, "d:i"),
  I64_EXTEND_I32_S(0, 0xAC, "i64.extend_i32_s", Immediate.NONE, "i:l"),
  I64_EXTEND_I32_U(0, 0xAD, "i64.extend_i32_u", Immediate.NONE, "i:l"),
  I64_TRUNC_F32_S(0, 0xAE, "i64.trunc_f32_s", Immediate.NONE, "f:l"),
  I64_TRUNC_F32_U(0, 0xAF, "i64.trunc_f32_u", Immediate.NONE, "f:l"),
  I64_TRUNC_F64_S(0, 0xB0, "i64.trunc_f64_s", Immediate.NONE, "d:l"),
  I64_TRUNC_F64_U(0, 0xB1, "i64.trunc_f64_u", Immediate.NONE, "d:l"),
  F32_CONVERT_I32_S(0, 0xB2, "f32.convert_i32_s", Immediate.NONE, "i:f"),
  F32_CONVERT_I32_U(0, 0xB3, "f32.convert_i32_u", Immediate.NONE, "i:f"),
  F32_CONVERT_I64_S(0, 0xB4, "f32.convert_i64_s", Immediate.NONE, "l:f"),
  F32_CONVERT_I64_U(0, 0xB5, "f32.convert_i64_u", Immediate.NONE, "l:f"),
  F32_DEMOTE_F64(0, 0xB6, "f32.demote_f64", Immediate.NONE, "d:f"),
  F64_CONVERT_I32_S(0, 0xB7, "f64.convert_i32_s", Immediate.NONE, "i:d"),
  F64_CONVERT_I32_U(0, 0xB8, "f64.convert_i32_u", Immediate.NONE, "i:d"),
  F64_CONVERT_I64_S(0, 0xB9, "f64.convert_i64_s", Immediate.NONE, "l:d"),
  F64_CONVERT_I64_U(0, 0xBA, "f64.convert_i64_u", Immediate.NONE, "l:d"),
  F64_PROMOTE_F32(0, 0xBB, "f64.promote_f32", Immediate.NONE, "f:d"),
  I32_REINTERPRET_F32(0, 0xBC, "i32.reinterpret_f32", Immediate.NONE, "f:i"),
  I64_REINTERPRET_F64(0, 0xBD, "i64.reinterpret_f64", Immediate.NONE, "d:l"),
  F32_REINTERPRET_I32(0, 0xBE, "f32.reinterpret_i32", Immediate.NONE, "i:f"),
  F64_REINTERPRET_I64(0, 0xBF, "f64.reinterpret_i64", Immediate.NONE, "l:d"),
  I32_EXTEND8_S(0, 0xC0, "i32.extend8_s", Immediate.NONE, "i:i"),
  I32_EXTEND16_S(0, 0xC1, "i32.extend16_s", Immediate.NONE, "i:i"),
  I64_EXTEND8_S(0, 0xC2, "i64.extend8_s", Immediate.NONE, "l:l"),
  I64_EXTEND16_S(0, 0xC3, "i64.extend16_s", Immediate.NONE, "l:l"),
  I64_EXTEND32_S(0, 0xC4, "i64.extend32_s", Immediate.NONE, "l:l"),
  // Reference instructions (spec 5.4.2).
  REF_NULL(0, 0xD0, "ref.null", Immediate.REF_TYPE, null),
  REF_IS_NULL(0, 0xD1, "ref.is_null", Immediate.NONE, null),
  REF_FUNC(0, 0xD2, "ref.func", Immediate.FUNC_INDEX, null),
  REF_AS_NON_NULL(0, 0xD4, "ref.as_non_null", Immediate.NONE, null),
  BR_ON_NULL(0, 0xD5, "br_on_null", Immediate.LABEL, null),
  BR_ON_NON_NULL(0, 0xD6, "br_on_non_null", Immediate.LABEL, null),
  // GC (WebAssembly 3.0 spec 5.4.2 and 5.4.3): ref.eq, and the 0xFB-prefixed aggregate, cast and
  // i31 instructions.
  REF_EQ(0, 0xD3, "ref.eq", Immediate.NONE, null),
  STRUCT_NEW(0xFB, 0, "struct.new", Immediate.TYPE_INDEX, null),
  STRUCT_NEW_DEFAULT(0xFB, 1, "struct.new_default", Immediate.TYPE_INDEX, null),
  STRUCT_GET(0xFB, 2, "struct.get", Immediate.TYPE_AND_INDEX, null),
  STRUCT_GET_S(0xFB, 3, "struct.get_s", Immediate.TYPE_AND_INDEX, null),
  STRUCT_GET_U(0xFB, 4, "struct.get_u", Immediate.TYPE_AND_INDEX, null),
  STRUCT_SET(0xFB, 5, "struct.set", Immediate.TYPE_AND_INDEX, null),
  ARRAY_NEW(0xFB, 6, "array.new", Immediate.TYPE_INDEX, null),
  ARRAY_NEW_DEFAULT(0xFB, 7, "array.new_default", Immediate.TYPE_INDEX, null),
  ARRAY_NEW_FIXED(0xFB, 8, "array.new_fixed", Immediate.TYPE_AND_INDEX, null),
  ARRAY_NEW_DATA(0xFB, 9, "array.new_data", Immediate.TYPE_AND_INDEX, null),
  ARRAY_NEW_ELEM(0xFB, 10, "array.new_elem", Immediate.TYPE_AND_INDEX, null),
  ARRAY_GET(0xFB, 11, "array.get", Immediate.TYPE_INDEX, null),
  ARRAY_GET_S(0xFB, 12, "array.get_s", Immediate.TYPE_INDEX, null),
  ARRAY_GET_U(0xFB, 13, "array.get_u", Immediate.TYPE_INDEX, null),
  ARRAY_SET(0xFB, 14, "array.set", Immediate.TYPE_INDEX, null),
  ARRAY_LEN(0xFB, 15, "array.len", Immediate.NONE, null),
  ARRAY_FILL(0xFB, 16, "array.fill", Immediate.TYPE_INDEX, null),
  ARRAY_COPY(0xFB, 17, "array.copy", Immediate.TYPE_AND_INDEX, null),
  ARRAY_INIT_DATA(0xFB, 18, "array.init_data", Immediate.TYPE_AND_INDEX, null),
  ARRAY_INIT_ELEM(0xFB, 19, "array.init_elem", Immediate.TYPE_AND_INDEX, null),
  REF_TEST(0xFB, 20, "ref.test", Immediate.HEAP_TYPE, null),
  REF_TEST_NULL(0xFB, 21, "ref.test", Immediate.HEAP_TYPE, null),
  REF_CAST(0xFB, 22, "ref.cast", Immediate.HEAP_TYPE, null),
  REF_CAST_NULL(0xFB, 23, "ref.cast", Immediate.HEAP_TYPE, null),
  BR_ON_CAST(0xFB, 24, "br_on_cast", Immediate.CAST_BRANCH, null),
  BR_ON_CAST_FAIL(0xFB, 25, "br_on_cast_fail", Immediate.CAST_BRANCH, null),
  ANY_CONVERT_EXTERN(0xFB, 26, "any.convert_extern", Immediate.NONE, null),
  EXTERN_CONVERT_ANY(0xFB, 27, "extern.convert_any", Immediate.NONE, null),
  REF_I31(0xFB, 28, "ref.i31", Immediate.NONE, null),
  I31_GET_S(0xFB, 29, "i31.get_s", Immediate.NONE, null),
  I31_GET_U(0xFB, 30, "i31.get_u", Immediate.NONE, null),
  // 0xFC prefix: saturating truncation, bulk memory and table instructions.
  I32_TRUNC_SAT_F32_S(0xFC, 0x00, "i32.trunc_sat_f32_s", Immediate.NONE, "f:i"),
  I32_TRUNC_SAT_F32_U(0xFC, 0x01, "i32.trunc_sat_f32_u", Immediate.NONE, "f:i"),
  I32_TRUNC_SAT_F64_S(0xFC, 0x02, "i32.trunc_sat_f64_s", Immediate.NONE, "d:i"),
  I32_TRUNC_SAT_F64_U(0xFC, 0x03, "i32.trunc_sat_f64_u", Immediate.NONE, "d:i"),
  I64_TRUNC_SAT_F32_S(0xFC, 0x04, "i64.trunc_sat_f32_s", Immediate.NONE, "f:l"),
  I64_TRUNC_SAT_F32_U(0xFC, 0x05, "i64.trunc_sat_f32_u", Immediate.NONE, "f:l"),
  I64_TRUNC_SAT_F64_S(0xFC, 0x06, "i64.trunc_sat_f64_s", Immediate.NONE, "d:l"),
  I64_TRUNC_SAT_F64_U(0xFC, 0x07, "i64.trunc_sat_f64_u", Immediate.NONE, "d:l"),
  MEMORY_INIT(0xFC, 0x08, "memory.init", Immediate.MEMORY_INIT, null),
  DATA_DROP(0xFC, 0x09, "data.drop", Immediate.DATA, null),
  MEMORY_COPY(0xFC, 0x0A, "memory.copy", Immediate.MEMORY_COPY, null),
  MEMORY_FILL(0xFC, 0x0B, "memory.fill", Immediate.MEMORY, "aia:"),
  TABLE_INIT(0xFC, 0x0C, "table.init", Immediate.TABLE_INIT, null),
  ELEM_DROP(0xFC, 0x0D, "elem.drop", Immediate.ELEM, null),
  TABLE_COPY(0xFC, 0x0E, "table.copy", Immediate.TABLE_COPY, null),
  TABLE_GROW(0xFC, 0x0F, "table.grow", Immediate.TABLE, null),
  TABLE_SIZE(0xFC, 0x10, "table.size", Immediate.TABLE, null),
  TABLE_FILL(0xFC, 0x11, "table.fill", Immediate.TABLE, null),
  // 0xFD prefix: SIMD (spec 5.4.8). Codes above 0x7F are u32 LEB128 after the prefix.
  V128_LOAD(0xFD, 0x00, "v128.load", Immediate.MEMARG, "a:v", 4, 0),
  V128_LOAD8X8_S(0xFD, 0x01, "v128.load8x8_s", Immediate.MEMARG, "a:v", 3, 0),
  V128_LOAD8X8_U(0xFD, 0x02, "v128.load8x8_u", Immediate.MEMARG, "a:v", 3, 0),
  V128_LOAD16X4_S(0xFD, 0x03, "v128.load16x4_s", Immediate.MEMARG, "a:v", 3, 0),
  V128_LOAD16X4_U(0xFD, 0x04, "v128.load16x4_u", Immediate.MEMARG, "a:v", 3, 0),
  V128_LOAD32X2_S(0xFD, 0x05, "v128.load32x2_s", Immediate.MEMARG, "a:v", 3, 0),
  V128_LOAD32X2_U(0xFD, 0x06, "v128.load32x2_u", Immediate.MEMARG, "a:v", 3, 0),
  V128_LOAD8_SPLAT(0xFD, 0x07, "v128.load8_splat", Immediate.MEMARG, "a:v", 0, 0),
  V128_LOAD16_SPLAT(0xFD, 0x08, "v128.load16_splat", Immediate.MEMARG, "a:v", 1, 0),
  V128_LOAD32_SPLAT(0xFD, 0x09, "v128.load32_splat", Immediate.MEMARG, "a:v", 2, 0),
  V128_LOAD64_SPLAT(0xFD, 0x0A, "v128.load64_splat", Immediate.MEMARG, "a:v", 3, 0),
  V128_STORE(0xFD, 0x0B, "v128.store", Immediate.MEMARG, "av:", 4, 0),
  V128_CONST(0xFD, 0x0C, "v128.const", Immediate.V128, ":v"),
  I8X16_SHUFFLE(0xFD, 0x0D, "i8x16.shuffle", Immediate.SHUFFLE, "vv:v", -1, 32),
  I8X16_SWIZZLE(0xFD, 0x0E, "i8x16.swizzle", Immediate.NONE, "vv:v"),
  I8X16_SPLAT(0xFD, 0x0F, "i8x16.splat", Immediate.NONE, "i:v"),
  I16X8_SPLAT(0xFD, 0x10, "i16x8.splat", Immediate.NONE, "i:v"),
  I32X4_SPLAT(0xFD, 0x11, "i32x4.splat", Immediate.NONE, "i:v"),
  I64X2_SPLAT(0xFD, 0x12, "i64x2.splat", Immediate.NONE, "l:v"),
  F32X4_SPLAT(0xFD, 0x13, "f32x4.splat", Immediate.NONE, "f:v"),
  F64X2_SPLAT(0xFD, 0x14, "f64x2.splat", Immediate.NONE, "d:v"),
  I8X16_EXTRACT_LANE_S(0xFD, 0x15, "i8x16.extract_lane_s", Immediate.LANE, "v:i", -1, 16),
  I8X16_EXTRACT_LANE_U(0xFD, 0x16, "i8x16.extract_lane_u", Immediate.LANE, "v:i", -1, 16),
  I8X16_REPLACE_LANE(0xFD, 0x17, "i8x16.replace_lane", Immediate.LANE, "vi:v", -1, 16),
  I16X8_EXTRACT_LANE_S(0xFD, 0x18, "i16x8.extract_lane_s", Immediate.LANE, "v:i", -1, 8),
  I16X8_EXTRACT_LANE_U(0xFD, 0x19, "i16x8.extract_lane_u", Immediate.LANE, "v:i", -1, 8),
  I16X8_REPLACE_LANE(0xFD, 0x1A, "i16x8.replace_lane", Immediate.LANE, "vi:v", -1, 8),
  I32X4_EXTRACT_LANE(0xFD, 0x1B, "i32x4.extract_lane", Immediate.LANE, "v:i", -1, 4),
  I32X4_REPLACE_LANE(0xFD, 0x1C, "i32x4.replace_lane", Immediate.LANE, "vi:v", -1, 4),
  I64X2_EXTRACT_LANE(0xFD, 0x1D, "i64x2.extract_lane", Immediate.LANE, "v:l", -1, 2),
  I64X2_REPLACE_LANE(0xFD, 0x1E, "i64x2.replace_lane", Immediate.LANE, "vl:v", -1, 2),
  F32X4_EXTRACT_LANE(0xFD, 0x1F, "f32x4.extract_lane", Immediate.LANE, "v:f", -1, 4),
  F32X4_REPLACE_LANE(0xFD, 0x20, "f32x4.replace_lane", Immediate.LANE, "vf:v", -1, 4),
  F64X2_EXTRACT_LANE(0xFD, 0x21, "f64x2.extract_lane", Immediate.LANE, "v:d", -1, 2),
  F64X2_REPLACE_LANE(0xFD, 0x22, "f64x2.replace_lane", Immediate.LANE, "vd:v", -1, 2),
  I8X16_EQ(0xFD, 0x23, "i8x16.eq", Immediate.NONE, "vv:v"),
  I8X16_NE(0xFD, 0x24, "i8x16.ne", Immediate.NONE, "vv:v"),
  I8X16_LT_S(0xFD, 0x25, "i8x16.lt_s", Immediate.NONE, "vv:v"),
  I8X16_LT_U(0xFD, 0x26, "i8x16.lt_u", Immediate.NONE, "vv:v"),
  I8X16_GT_S(0xFD, 0x27, "i8x16.gt_s", Immediate.NONE, "vv:v"),
  I8X16_GT_U(0xFD, 0x28, "i8x16.gt_u", Immediate.NONE, "vv:v"),
  I8X16_LE_S(0xFD, 0x29, "i8x16.le_s", Immediate.NONE, "vv:v"),
  I8X16_LE_U(0xFD, 0x2A, "i8x16.le_u", Immediate.NONE, "vv:v"),
  I8X16_GE_S(0xFD, 0x2B, "i8x16.ge_s", Immediate.NONE, "vv:v"),
  I8X16_GE_U(0xFD, 0x2C, "i8x16.ge_u", Immediate.NONE, "vv:v"),
  I16X8_EQ(0xFD, 0x2D, "i16x8.eq", Immediate.NONE, "vv:v"),
  I16X8_NE(0xFD, 0x2E, "i16x8.ne", Immediate.NONE, "vv:v"),
  I16X8_LT_S(0xFD, 0x2F, "i16x8.lt_s", Immediate.NONE, "vv:v"),
  I16X8_LT_U(0xFD, 0x30, "i16x8.lt_u", Immediate.NONE, "vv:v"),
  I16X8_GT_S(0xFD, 0x31, "i16x8.gt_s", Immediate.NONE, "vv:v"),
  I16X8_GT_U(0xFD, 0x32, "i16x8.gt_u", Immediate.NONE, "vv:v"),
  I16X8_LE_S(0xFD, 0x33, "i16x8.le_s", Immediate.NONE, "vv:v"),
  I16X8_LE_U(0xFD, 0x34, "i16x8.le_u", Immediate.NONE, "vv:v"),
  I16X8_GE_S(0xFD, 0x35, "i16x8.ge_s", Immediate.NONE, "vv:v"),
  I16X8_GE_U(0xFD, 0x36, "i16x8.ge_u", Immediate.NONE, "vv:v"),
  I32X4_EQ(0xFD, 0x37, "i32x4.eq", Immediate.NONE, "vv:v"),
  I32X4_NE(0xFD, 0x38, "i32x4.ne", Immediate.NONE, "vv:v"),
  I32X4_LT_S(0xFD, 0x39, "i32x4.lt_s", Immediate.NONE, "vv:v"),
  I32X4_LT_U(0xFD, 0x3A, "i32x4.lt_u", Immediate.NONE, "vv:v"),
  I32X4_GT_S(0xFD, 0x3B, "i32x4.gt_s", Immediate.NONE, "vv:v"),
  I32X4_GT_U(0xFD, 0x3C, "i32x4.gt_u", Immediate.NONE, "vv:v"),
  I32X4_LE_S(0xFD, 0x3D, "i32x4.le_s", Immediate.NONE, "vv:v"),
  I32X4_LE_U(0xFD, 0x3E, "i32x4.le_u", Immediate.NONE, "vv:v"),
  I32X4_GE_S(0xFD, 0x3F, "i32x4.ge_s", Immediate.NONE, "vv:v"),
  I32X4_GE_U(0xFD, 0x40, "i32x4.ge_u", Immediate.NONE, "vv:v"),
  F32X4_EQ(0xFD, 0x41, "f32x4.eq", Immediate.NONE, "vv:v"),
  F32X4_NE(0xFD, 0x42, "f32x4.ne", Immediate.NONE, "vv:v"),
  F32X4_LT(0xFD, 0x43, "f32x4.lt", Immediate.NONE, "vv:v"),
  F32X4_GT(0xFD, 0x44, "f32x4.gt", Immediate.NONE, "vv:v"),
  F32X4_LE(0xFD, 0x45, "f32x4.le", Immediate.NONE, "vv:v"),
  F32X4_GE(0xFD, 0x46, "f32x4.ge", Immediate.NONE, "vv:v"),
  F64X2_EQ(0xFD, 0x47, "f64x2.eq", Immediate.NONE, "vv:v"),
  F64X2_NE(0xFD, 0x48, "f64x2.ne", Immediate.NONE, "vv:v"),
  F64X2_LT(0xFD, 0x49, "f64x2.lt", Immediate.NONE, "vv:v"),
  F64X2_GT(0xFD, 0x4A, "f64x2.gt", Immediate.NONE, "vv:v"),
  F64X2_LE(0xFD, 0x4B, "f64x2.le", Immediate.NONE, "vv:v"),
  F64X2_GE(0xFD, 0x4C, "f64x2.ge", Immediate.NONE, "vv:v"),
  V128_NOT(0xFD, 0x4D, "v128.not", Immediate.NONE, "v:v"),
  V128_AND(0xFD, 0x4E, "v128.and", Immediate.NONE, "vv:v"),
  V128_ANDNOT(0xFD, 0x4F, "v128.andnot", Immediate.NONE, "vv:v"),
  V128_OR(0xFD, 0x50, "v128.or", Immediate.NONE, "vv:v"),
  V128_XOR(0xFD, 0x51, "v128.xor", Immediate.NONE, "vv:v"),
  V128_BITSELECT(0xFD, 0x52, "v128.bitselect", Immediate.NONE, "vvv:v"),
  V128_ANY_TRUE(0xFD, 0x53, "v128.any_true", Immediate.NONE, "v:i"),
  V128_LOAD8_LANE(0xFD, 0x54, "v128.load8_lane", Immediate.MEMARG_LANE, "av:v", 0, 16),
  V128_LOAD16_LANE(0xFD, 0x55, "v128.load16_lane", Immediate.MEMARG_LANE, "av:v", 1, 8),
  V128_LOAD32_LANE(0xFD, 0x56, "v128.load32_lane", Immediate.MEMARG_LANE, "av:v", 2, 4),
  V128_LOAD64_LANE(0xFD, 0x57, "v128.load64_lane", Immediate.MEMARG_LANE, "av:v", 3, 2),
  V128_STORE8_LANE(0xFD, 0x58, "v128.store8_lane", Immediate.MEMARG_LANE, "av:", 0, 16),
  V128_STORE16_LANE(0xFD, 0x59, "v128.store16_lane", Immediate.MEMARG_LANE, "av:", 1, 8),
  V128_STORE32_LANE(0xFD, 0x5A, "v128.store32_lane", Immediate.MEMARG_LANE, "av:", 2, 4),
  V128_STORE64_LANE(0xFD, 0x5B, "v128.store64_lane", Immediate.MEMARG_LANE, "av:", 3, 2),
  V128_LOAD32_ZERO(0xFD, 0x5C, "v128.load32_zero", Immediate.MEMARG, "a:v", 2, 0),
  V128_LOAD64_ZERO(0xFD, 0x5D, "v128.load64_zero", Immediate.MEMARG, "a:v", 3, 0),
  F32X4_DEMOTE_F64X2_ZERO(0xFD, 0x5E, "f32x4.demote_f64x2_zero", Immediate.NONE, "v:v"),
  F64X2_PROMOTE_LOW_F32X4(0xFD, 0x5F, "f64x2.promote_low_f32x4", Immediate.NONE, "v:v"),
  I8X16_ABS(0xFD, 0x60, "i8x16.abs", Immediate.NONE, "v:v"),
  I8X16_NEG(0xFD, 0x61, "i8x16.neg", Immediate.NONE, "v:v"),
  I8X16_POPCNT(0xFD, 0x62, "i8x16.popcnt", Immediate.NONE, "v:v"),
  I8X16_ALL_TRUE(0xFD, 0x63, "i8x16.all_true", Immediate.NONE, "v:i"),
  I8X16_BITMASK(0xFD, 0x64, "i8x16.bitmask", Immediate.NONE, "v:i"),
  I8X16_NARROW_I16X8_S(0xFD, 0x65, "i8x16.narrow_i16x8_s", Immediate.NONE, "vv:v"),
  I8X16_NARROW_I16X8_U(0xFD, 0x66, "i8x16.narrow_i16x8_u", Immediate.NONE, "vv:v"),
  F32X4_CEIL(0xFD, 0x67, "f32x4.ceil", Immediate.NONE, "v:v"),
  F32X4_FLOOR(0xFD, 0x68, "f32x4.floor", Immediate.NONE, "v:v"),
  F32X4_TRUNC(0xFD, 0x69, "f32x4.trunc", Immediate.NONE, "v:v"),
  F32X4_NEAREST(0xFD, 0x6A, "f32x4.nearest", Immediate.NONE, "v:v"),
  I8X16_SHL(0xFD, 0x6B, "i8x16.shl", Immediate.NONE, "vi:v"),
  I8X16_SHR_S(0xFD, 0x6C, "i8x16.shr_s", Immediate.NONE, "vi:v"),
  I8X16_SHR_U(0xFD, 0x6D, "i8x16.shr_u", Immediate.NONE, "vi:v"),
  I8X16_ADD(0xFD, 0x6E, "i8x16.add", Immediate.NONE, "vv:v"),
  I8X16_ADD_SAT_S(0xFD, 0x6F, "i8x16.add_sat_s", Immediate.NONE, "vv:v"),
  I8X16_ADD_SAT_U(0xFD, 0x70, "i8x16.add_sat_u", Immediate.NONE, "vv:v"),
  I8X16_SUB(0xFD, 0x71, "i8x16.sub", Immediate.NONE, "vv:v"),
  I8X16_SUB_SAT_S(0xFD, 0x72, "i8x16.sub_sat_s", Immediate.NONE, "vv:v"),
  I8X16_SUB_SAT_U(0xFD, 0x73, "i8x16.sub_sat_u", Immediate.NONE, "vv:v"),
  F64X2_CEIL(0xFD, 0x74, "f64x2.ceil", Immediate.NONE, "v:v"),
  F64X2_FLOOR(0xFD, 0x75, "f64x2.floor", Immediate.NONE, "v:v"),
  I8X16_MIN_S(0xFD, 0x76, "i8x16.min_s", Immediate.NONE, "vv:v"),
  I8X16_MIN_U(0xFD, 0x77, "i8x16.min_u", Immediate.NONE, "vv:v"),
  I8X16_MAX_S(0xFD, 0x78, "i8x16.max_s", Immediate.NONE, "vv:v"),
  I8X16_MAX_U(0xFD, 0x79, "i8x16.max_u", Immediate.NONE, "vv:v"),
  F64X2_TRUNC(0xFD, 0x7A, "f64x2.trunc", Immediate.NONE, "v:v"),
  I8X16_AVGR_U(0xFD, 0x7B, "i8x16.avgr_u", Immediate.NONE, "vv:v"),
  I16X8_EXTADD_PAIRWISE_I8X16_S(0xFD, 0x7C, "i16x8.extadd_pairwise_i8x16_s", Immediate.NONE, "v:v"),
  I16X8_EXTADD_PAIRWISE_I8X16_U(0xFD, 0x7D, "i16x8.extadd_pairwise_i8x16_u", Immediate.NONE, "v:v"),
  I32X4_EXTADD_PAIRWISE_I16X8_S(0xFD, 0x7E, "i32x4.extadd_pairwise_i16x8_s", Immediate.NONE, "v:v"),
  I32X4_EXTADD_PAIRWISE_I16X8_U(0xFD, 0x7F, "i32x4.extadd_pairwise_i16x8_u", Immediate.NONE, "v:v"),
  I16X8_ABS(0xFD, 0x80, "i16x8.abs", Immediate.NONE, "v:v"),
  I16X8_NEG(0xFD, 0x81, "i16x8.neg", Immediate.NONE, "v:v"),
  I16X8_Q15MULR_SAT_S(0xFD, 0x82, "i16x8.q15mulr_sat_s", Immediate.NONE, "vv:v"),
  I16X8_ALL_TRUE(0xFD, 0x83, "i16x8.all_true", Immediate.NONE, "v:i"),
  I16X8_BITMASK(0xFD, 0x84, "i16x8.bitmask", Immediate.NONE, "v:i"),
  I16X8_NARROW_I32X4_S(0xFD, 0x85, "i16x8.narrow_i32x4_s", Immediate.NONE, "vv:v"),
  I16X8_NARROW_I32X4_U(0xFD, 0x86, "i16x8.narrow_i32x4_u", Immediate.NONE, "vv:v"),
  I16X8_EXTEND_LOW_I8X16_S(0xFD, 0x87, "i16x8.extend_low_i8x16_s", Immediate.NONE, "v:v"),
  I16X8_EXTEND_HIGH_I8X16_S(0xFD, 0x88, "i16x8.extend_high_i8x16_s", Immediate.NONE, "v:v"),
  I16X8_EXTEND_LOW_I8X16_U(0xFD, 0x89, "i16x8.extend_low_i8x16_u", Immediate.NONE, "v:v"),
  I16X8_EXTEND_HIGH_I8X16_U(0xFD, 0x8A, "i16x8.extend_high_i8x16_u", Immediate.NONE, "v:v"),
  I16X8_SHL(0xFD, 0x8B, "i16x8.shl", Immediate.NONE, "vi:v"),
  I16X8_SHR_S(0xFD, 0x8C, "i16x8.shr_s", Immediate.NONE, "vi:v"),
  I16X8_SHR_U(0xFD, 0x8D, "i16x8.shr_u", Immediate.NONE, "vi:v"),
  I16X8_ADD(0xFD, 0x8E, "i16x8.add", Immediate.NONE, "vv:v"),
  I16X8_ADD_SAT_S(0xFD, 0x8F, "i16x8.add_sat_s", Immediate.NONE, "vv:v"),
  I16X8_ADD_SAT_U(0xFD, 0x90, "i16x8.add_sat_u", Immediate.NONE, "vv:v"),
  I16X8_SUB(0xFD, 0x91, "i16x8.sub", Immediate.NONE, "vv:v"),
  I16X8_SUB_SAT_S(0xFD, 0x92, "i16x8.sub_sat_s", Immediate.NONE, "vv:v"),
  I16X8_SUB_SAT_U(0xFD, 0x93, "i16x8.sub_sat_u", Immediate.NONE, "vv:v"),
  F64X2_NEAREST(0xFD, 0x94, "f64x2.nearest", Immediate.NONE, "v:v"),
  I16X8_MUL(0xFD, 0x95, "i16x8.mul", Immediate.NONE, "vv:v"),
  I16X8_MIN_S(0xFD, 0x96, "i16x8.min_s", Immediate.NONE, "vv:v"),
  I16X8_MIN_U(0xFD, 0x97, "i16x8.min_u", Immediate.NONE, "vv:v"),
  I16X8_MAX_S(0xFD, 0x98, "i16x8.max_s", Immediate.NONE, "vv:v"),
  I16X8_MAX_U(0xFD, 0x99, "i16x8.max_u", Immediate.NONE, "vv:v"),
  I16X8_AVGR_U(0xFD, 0x9B, "i16x8.avgr_u", Immediate.NONE, "vv:v"),
  I16X8_EXTMUL_LOW_I8X16_S(0xFD, 0x9C, "i16x8.extmul_low_i8x16_s", Immediate.NONE, "vv:v"),
  I16X8_EXTMUL_HIGH_I8X16_S(0xFD, 0x9D, "i16x8.extmul_high_i8x16_s", Immediate.NONE, "vv:v"),
  I16X8_EXTMUL_LOW_I8X16_U(0xFD, 0x9E, "i16x8.extmul_low_i8x16_u", Immediate.NONE, "vv:v"),
  I16X8_EXTMUL_HIGH_I8X16_U(0xFD, 0x9F, "i16x8.extmul_high_i8x16_u", Immediate.NONE, "vv:v"),
  I32X4_ABS(0xFD, 0xA0, "i32x4.abs", Immediate.NONE, "v:v"),
  I32X4_NEG(0xFD, 0xA1, "i32x4.neg", Immediate.NONE, "v:v"),
  I32X4_ALL_TRUE(0xFD, 0xA3, "i32x4.all_true", Immediate.NONE, "v:i"),
  I32X4_BITMASK(0xFD, 0xA4, "i32x4.bitmask", Immediate.NONE, "v:i"),
  I32X4_EXTEND_LOW_I16X8_S(0xFD, 0xA7, "i32x4.extend_low_i16x8_s", Immediate.NONE, "v:v"),
  I32X4_EXTEND_HIGH_I16X8_S(0xFD, 0xA8, "i32x4.extend_high_i16x8_s", Immediate.NONE, "v:v"),
  I32X4_EXTEND_LOW_I16X8_U(0xFD, 0xA9, "i32x4.extend_low_i16x8_u", Immediate.NONE, "v:v"),
  I32X4_EXTEND_HIGH_I16X8_U(0xFD, 0xAA, "i32x4.extend_high_i16x8_u", Immediate.NONE, "v:v"),
  I32X4_SHL(0xFD, 0xAB, "i32x4.shl", Immediate.NONE, "vi:v"),
  I32X4_SHR_S(0xFD, 0xAC, "i32x4.shr_s", Immediate.NONE, "vi:v"),
  I32X4_SHR_U(0xFD, 0xAD, "i32x4.shr_u", Immediate.NONE, "vi:v"),
  I32X4_ADD(0xFD, 0xAE, "i32x4.add", Immediate.NONE, "vv:v"),
  I32X4_SUB(0xFD, 0xB1, "i32x4.sub", Immediate.NONE, "vv:v"),
  I32X4_MUL(0xFD, 0xB5, "i32x4.mul", Immediate.NONE, "vv:v"),
  I32X4_MIN_S(0xFD, 0xB6, "i32x4.min_s", Immediate.NONE, "vv:v"),
  I32X4_MIN_U(0xFD, 0xB7, "i32x4.min_u", Immediate.NONE, "vv:v"),
  I32X4_MAX_S(0xFD, 0xB8, "i32x4.max_s", Immediate.NONE, "vv:v"),
  I32X4_MAX_U(0xFD, 0xB9, "i32x4.max_u", Immediate.NONE, "vv:v"),
  I32X4_DOT_I16X8_S(0xFD, 0xBA, "i32x4.dot_i16x8_s", Immediate.NONE, "vv:v"),
  I32X4_EXTMUL_LOW_I16X8_S(0xFD, 0xBC, "i32x4.extmul_low_i16x8_s", Immediate.NONE, "vv:v"),
  I32X4_EXTMUL_HIGH_I16X8_S(0xFD, 0xBD, "i32x4.extmul_high_i16x8_s", Immediate.NONE, "vv:v"),
  I32X4_EXTMUL_LOW_I16X8_U(0xFD, 0xBE, "i32x4.extmul_low_i16x8_u", Immediate.NONE, "vv:v"),
  I32X4_EXTMUL_HIGH_I16X8_U(0xFD, 0xBF, "i32x4.extmul_high_i16x8_u", Immediate.NONE, "vv:v"),
  I64X2_ABS(0xFD, 0xC0, "i64x2.abs", Immediate.NONE, "v:v"),
  I64X2_NEG(0xFD, 0xC1, "i64x2.neg", Immediate.NONE, "v:v"),
  I64X2_ALL_TRUE(0xFD, 0xC3, "i64x2.all_true", Immediate.NONE, "v:i"),
  I64X2_BITMASK(0xFD, 0xC4, "i64x2.bitmask", Immediate.NONE, "v:i"),
  I64X2_EXTEND_LOW_I32X4_S(0xFD, 0xC7, "i64x2.extend_low_i32x4_s", Immediate.NONE, "v:v"),
  I64X2_EXTEND_HIGH_I32X4_S(0xFD, 0xC8, "i64x2.extend_high_i32x4_s", Immediate.NONE, "v:v"),
  I64X2_EXTEND_LOW_I32X4_U(0xFD, 0xC9, "i64x2.extend_low_i32x4_u", Immediate.NONE, "v:v"),
  I64X2_EXTEND_HIGH_I32X4_U(0xFD, 0xCA, "i64x2.extend_high_i32x4_u", Immediate.NONE, "v:v"),
  I64X2_SHL(0xFD, 0xCB, "i64x2.shl", Immediate.NONE, "vi:v"),
  I64X2_SHR_S(0xFD, 0xCC, "i64x2.shr_s", Immediate.NONE, "vi:v"),
  I64X2_SHR_U(0xFD, 0xCD, "i64x2.shr_u", Immediate.NONE, "vi:v"),
  I64X2_ADD(0xFD, 0xCE, "i64x2.add", Immediate.NONE, "vv:v"),
  I64X2_SUB(0xFD, 0xD1, "i64x2.sub", Immediate.NONE, "vv:v"),
  I64X2_MUL(0xFD, 0xD5, "i64x2.mul", Immediate.NONE, "vv:v"),
  I64X2_EQ(0xFD, 0xD6, "i64x2.eq", Immediate.NONE, "vv:v"),
  I64X2_NE(0xFD, 0xD7, "i64x2.ne", Immediate.NONE, "vv:v"),
  I64X2_LT_S(0xFD, 0xD8, "i64x2.lt_s", Immediate.NONE, "vv:v"),
  I64X2_GT_S(0xFD, 0xD9, "i64x2.gt_s", Immediate.NONE, "vv:v"),
  I64X2_LE_S(0xFD, 0xDA, "i64x2.le_s", Immediate.NONE, "vv:v"),
  I64X2_GE_S(0xFD, 0xDB, "i64x2.ge_s", Immediate.NONE, "vv:v"),
  I64X2_EXTMUL_LOW_I32X4_S(0xFD, 0xDC, "i64x2.extmul_low_i32x4_s", Immediate.NONE, "vv:v"),
  I64X2_EXTMUL_HIGH_I32X4_S(0xFD, 0xDD, "i64x2.extmul_high_i32x4_s", Immediate.NONE, "vv:v"),
  I64X2_EXTMUL_LOW_I32X4_U(0xFD, 0xDE, "i64x2.extmul_low_i32x4_u", Immediate.NONE, "vv:v"),
  I64X2_EXTMUL_HIGH_I32X4_U(0xFD, 0xDF, "i64x2.extmul_high_i32x4_u", Immediate.NONE, "vv:v"),
  F32X4_ABS(0xFD, 0xE0, "f32x4.abs", Immediate.NONE, "v:v"),
  F32X4_NEG(0xFD, 0xE1, "f32x4.neg", Immediate.NONE, "v:v"),
  F32X4_SQRT(0xFD, 0xE3, "f32x4.sqrt", Immediate.NONE, "v:v"),
  F32X4_ADD(0xFD, 0xE4, "f32x4.add", Immediate.NONE, "vv:v"),
  F32X4_SUB(0xFD, 0xE5, "f32x4.sub", Immediate.NONE, "vv:v"),
  F32X4_MUL(0xFD, 0xE6, "f32x4.mul", Immediate.NONE, "vv:v"),
  F32X4_DIV(0xFD, 0xE7, "f32x4.div", Immediate.NONE, "vv:v"),
  F32X4_MIN(0xFD, 0xE8, "f32x4.min", Immediate.NONE, "vv:v"),
  F32X4_MAX(0xFD, 0xE9, "f32x4.max", Immediate.NONE, "vv:v"),
  F32X4_PMIN(0xFD, 0xEA, "f32x4.pmin", Immediate.NONE, "vv:v"),
  F32X4_PMAX(0xFD, 0xEB, "f32x4.pmax", Immediate.NONE, "vv:v"),
  F64X2_ABS(0xFD, 0xEC, "f64x2.abs", Immediate.NONE, "v:v"),
  F64X2_NEG(0xFD, 0xED, "f64x2.neg", Immediate.NONE, "v:v"),
  F64X2_SQRT(0xFD, 0xEF, "f64x2.sqrt", Immediate.NONE, "v:v"),
  F64X2_ADD(0xFD, 0xF0, "f64x2.add", Immediate.NONE, "vv:v"),
  F64X2_SUB(0xFD, 0xF1, "f64x2.sub", Immediate.NONE, "vv:v"),
  F64X2_MUL(0xFD, 0xF2, "f64x2.mul", Immediate.NONE, "vv:v"),
  F64X2_DIV(0xFD, 0xF3, "f64x2.div", Immediate.NONE, "vv:v"),
  F64X2_MIN(0xFD, 0xF4, "f64x2.min", Immediate.NONE, "vv:v"),
  F64X2_MAX(0xFD, 0xF5, "f64x2.max", Immediate.NONE, "vv:v"),
  F64X2_PMIN(0xFD, 0xF6, "f64x2.pmin", Immediate.NONE, "vv:v"),
  F64X2_PMAX(0xFD, 0xF7, "f64x2.pmax", Immediate.NONE, "vv:v"),
  I32X4_TRUNC_SAT_F32X4_S(0xFD, 0xF8, "i32x4.trunc_sat_f32x4_s", Immediate.NONE, "v:v"),
  I32X4_TRUNC_SAT_F32X4_U(0xFD, 0xF9, "i32x4.trunc_sat_f32x4_u", Immediate.NONE, "v:v"),
  F32X4_CONVERT_I32X4_S(0xFD, 0xFA, "f32x4.convert_i32x4_s", Immediate.NONE, "v:v"),
  F32X4_CONVERT_I32X4_U(0xFD, 0xFB, "f32x4.convert_i32x4_u", Immediate.NONE, "v:v"),
  I32X4_TRUNC_SAT_F64X2_S_ZERO(0xFD, 0xFC, "i32x4.trunc_sat_f64x2_s_zero", Immediate.NONE, "v:v"),
  I32X4_TRUNC_SAT_F64X2_U_ZERO(0xFD, 0xFD, "i32x4.trunc_sat_f64x2_u_zero", Immediate.NONE, "v:v"),
  F64X2_CONVERT_LOW_I32X4_S(0xFD, 0xFE, "f64x2.convert_low_i32x4_s", Immediate.NONE, "v:v"),
  F64X2_CONVERT_LOW_I32X4_U(0xFD, 0xFF, "f64x2.convert_low_i32x4_u", Immediate.NONE, "v:v"),
  // Relaxed SIMD (WebAssembly 3.0, spec 4.3 numerics "relaxed_*", binary 5.4.8): results the spec
  // leaves to the implementation within a set ({@link #isRelaxed()}); not in WebAssembly 2.0.
  I8X16_RELAXED_SWIZZLE(0xFD, 0x100, "i8x16.relaxed_swizzle", Immediate.NONE, "vv:v"),
  I32X4_RELAXED_TRUNC_F32X4_S(0xFD, 0x101, "i32x4.relaxed_trunc_f32x4_s", Immediate.NONE, "v:v"),
  I32X4_RELAXED_TRUNC_F32X4_U(0xFD, 0x102, "i32x4.relaxed_trunc_f32x4_u", Immediate.NONE, "v:v"),
  I32X4_RELAXED_TRUNC_F64X2_S_ZERO(0xFD, 0x103, "i32x4.relaxed_trunc_f64x2_s_zero", Immediate.NONE,
      "v:v"),
  I32X4_RELAXED_TRUNC_F64X2_U_ZERO(0xFD, 0x104, "i32x4.relaxed_trunc_f64x2_u_zero", Immediate.NONE,
      "v:v"),
  F32X4_RELAXED_MADD(0xFD, 0x105, "f32x4.relaxed_madd", Immediate.NONE, "vvv:v"),
  F32X4_RELAXED_NMADD(0xFD, 0x106, "f32x4.relaxed_nmadd", Immediate.NONE, "vvv:v"),
  F64X2_RELAXED_MADD(0xFD, 0x107, "f64x2.relaxed_madd", Immediate.NONE, "vvv:v"),
  F64X2_RELAXED_NMADD(0xFD, 0x108, "f64x2.relaxed_nmadd", Immediate.NONE, "vvv:v"),
  I8X16_RELAXED_LANESELECT(0xFD, 0x109, "i8x16.relaxed_laneselect", Immediate.NONE, "vvv:v"),
  I16X8_RELAXED_LANESELECT(0xFD, 0x10A, "i16x8.relaxed_laneselect", Immediate.NONE, "vvv:v"),
  I32X4_RELAXED_LANESELECT(0xFD, 0x10B, "i32x4.relaxed_laneselect", Immediate.NONE, "vvv:v"),
  I64X2_RELAXED_LANESELECT(0xFD, 0x10C, "i64x2.relaxed_laneselect", Immediate.NONE, "vvv:v"),
  F32X4_RELAXED_MIN(0xFD, 0x10D, "f32x4.relaxed_min", Immediate.NONE, "vv:v"),
  F32X4_RELAXED_MAX(0xFD, 0x10E, "f32x4.relaxed_max", Immediate.NONE, "vv:v"),
  F64X2_RELAXED_MIN(0xFD, 0x10F, "f64x2.relaxed_min", Immediate.NONE, "vv:v"),
  F64X2_RELAXED_MAX(0xFD, 0x110, "f64x2.relaxed_max", Immediate.NONE, "vv:v"),
  I16X8_RELAXED_Q15MULR_S(0xFD, 0x111, "i16x8.relaxed_q15mulr_s", Immediate.NONE, "vv:v"),
  I16X8_RELAXED_DOT_I8X16_I7X16_S(0xFD, 0x112, "i16x8.relaxed_dot_i8x16_i7x16_s", Immediate.NONE,
      "vv:v"),
  I32X4_RELAXED_DOT_I8X16_I7X16_ADD_S(0xFD, 0x113, "i32x4.relaxed_dot_i8x16_i7x16_add_s",
      Immediate.NONE, "vvv:v");

  /** The first relaxed SIMD sub-opcode; every 0xFD code from here on is one. */
  private static final int FIRST_RELAXED = 0x100;


  private static final Opcode[] SINGLE = new Opcode[256];
  private static final Opcode[] PREFIX_FC = new Opcode[32];
  private static final Opcode[] PREFIX_FD = new Opcode[0x114];
  private static final Opcode[] PREFIX_FB = new Opcode[31];

  static {
    for (Opcode op : values()) {
      Opcode[] table =
          switch (op.prefix) {
            case 0 -> SINGLE;
            case 0xFC -> PREFIX_FC;
            case 0xFD -> PREFIX_FD;
            case 0xFB -> PREFIX_FB;
            default -> throw new AssertionError(op);
          };
      if (table[op.code] != null) {
        throw new AssertionError(op + " and " + table[op.code] + " share a code");
      }
      table[op.code] = op;
    }
  }

  private final int prefix;
  private final int code;
  private final String mnemonic;
  private final Immediate immediate;
  private final String signature;
  private final int naturalAlignment;
  private final int laneCount;

  Opcode(int prefix, int code, String mnemonic, Immediate immediate, String signature) {
    this(prefix, code, mnemonic, immediate, signature, -1, 0);
  }

  Opcode(
      int prefix,
      int code,
      String mnemonic,
      Immediate immediate,
      String signature,
      int naturalAlignment,
      int laneCount) {
    this.prefix = prefix;
    this.code = code;
    this.mnemonic = mnemonic;
    this.immediate = immediate;
    this.signature = signature;
    this.naturalAlignment = naturalAlignment;
    this.laneCount = laneCount;
  }

  /** 0 for a single-byte opcode, else the prefix byte 0xFC or 0xFD. */
  public int prefix() {
    return prefix;
  }

  /** The opcode byte, or for a prefixed instruction the sub-opcode that follows the prefix. */
  public int code() {
    return code;
  }

  /** The text-format name, e.g. {@code "i32.add"} (both forms of select are {@code "select"}). */
  public String mnemonic() {
    return mnemonic;
  }

  public Immediate immediate() {
    return immediate;
  }

  /**
   * The operand signature {@code "params:results"} (letters in the class comment), or null when
   * the instruction's typing depends on its immediates or context.
   */
  public String signature() {
    return signature;
  }

  /**
   * For loads and stores: log2 of the access width in bytes, the largest alignment a memarg may
   * declare (spec 3.3.7: "alignment must not be larger than natural"). -1 for other instructions.
   */
  public int naturalAlignment() {
    return naturalAlignment;
  }

  /**
   * For instructions with a lane immediate: how many lanes the shape has, so lane indices must be
   * below it (32 for {@code i8x16.shuffle}, whose indices select from two vectors). 0 otherwise.
   */
  public int laneCount() {
    return laneCount;
  }

  /** An instruction of typed function references (WebAssembly 3.0): 2.0 has no such opcode. */
  public boolean isTypedReference() {
    return this == CALL_REF || this == RETURN_CALL_REF || this == REF_AS_NON_NULL || this == BR_ON_NULL
        || this == BR_ON_NON_NULL;
  }

  /** An instruction of exception handling (WebAssembly 3.0, legacy ones included): 2.0 has none. */
  public boolean isException() {
    return switch (this) {
      case THROW, THROW_REF, TRY_TABLE, TRY, CATCH, CATCH_ALL, DELEGATE, RETHROW -> true;
      default -> false;
    };
  }

  /**
   * Whether this is a relaxed SIMD instruction (WebAssembly 3.0): one whose result the spec lets
   * the implementation choose from a set, and which WebAssembly 2.0 does not have.
   */
  public boolean isRelaxed() {
    return prefix == 0xFD && code >= FIRST_RELAXED;
  }

  /** The single-byte opcode {@code code} (0..255), or null when no instruction has it. */
  public static Opcode fromCode(int code) {
    return code >= 0 && code < SINGLE.length ? SINGLE[code] : null;
  }

  /** The 0xFC-prefixed instruction with sub-opcode {@code code}, or null. */
  public static Opcode fromFcCode(int code) {
    return code >= 0 && code < PREFIX_FC.length ? PREFIX_FC[code] : null;
  }

  /** The 0xFB-prefixed (GC) instruction with sub-opcode {@code code}, or null. */
  public static Opcode fromFbCode(int code) {
    return code >= 0 && code < PREFIX_FB.length ? PREFIX_FB[code] : null;
  }

  /** A GC instruction (WebAssembly 3.0): ref.eq or a 0xFB-prefixed one; 2.0 has none. */
  public boolean isGc() {
    return prefix == 0xFB || this == REF_EQ;
  }

  /** The 0xFD-prefixed (SIMD) instruction with sub-opcode {@code code}, or null. */
  public static Opcode fromFdCode(int code) {
    return code >= 0 && code < PREFIX_FD.length ? PREFIX_FD[code] : null;
  }

  @Override
  public String toString() {
    return mnemonic;
  }
}
