package dev.kiln.wasm.code;

import dev.kiln.wasm.Features;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wasm.MalformedException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class InstructionReaderTest {
  private static final Features NO_REFERENCE_TYPES = Features.STANDARD.withReferenceTypes(false);

  /** The instruction last read, in a text form built only from the reader's accessors. */
  static String describe(InstructionReader r) {
    Opcode op = r.opcode();
    StringBuilder s = new StringBuilder(op.mnemonic());
    switch (op.immediate()) {
      case NONE -> {}
      case BLOCK_TYPE ->
          s.append(r.blockTypeIndex() >= 0 ? " type " + r.blockTypeIndex() : " " + r.blockValType());
      case LABEL, FUNC_INDEX, LOCAL, GLOBAL, TABLE, DATA, ELEM, MEMORY -> s.append(' ').append(Integer.toUnsignedString(r.index()));
      case BR_TABLE -> {
        for (int i = 0; i < r.brTableCount(); i++) {
          s.append(' ').append(r.brTableTarget(i));
        }
        s.append(" default ").append(r.brTableDefault());
      }
      case CALL_INDIRECT, MEMORY_INIT, MEMORY_COPY, TABLE_INIT, TABLE_COPY ->
          s.append(' ').append(r.index()).append(' ').append(r.secondIndex());
      case MEMARG -> memarg(s, r);
      case MEMARG_LANE -> memarg(s, r).append(" lane=").append(r.lane());
      case I32 -> s.append(' ').append(r.i32());
      case I64 -> s.append(' ').append(r.i64());
      case F32 -> s.append(' ').append(Float.intBitsToFloat(r.f32Bits()));
      case F64 -> s.append(' ').append(Double.longBitsToDouble(r.f64Bits()));
      case V128 -> s.append(String.format(" %016x%016x", r.v128High(), r.v128Low()));
      case LANE -> s.append(' ').append(r.lane());
      case SHUFFLE -> {
        for (int i = 0; i < 16; i++) {
          s.append(' ').append(r.shuffleLane(i));
        }
      }
      case REF_TYPE -> s.append(' ').append(r.refType());
      case SELECT_TYPES -> {
        for (int i = 0; i < r.selectTypeCount(); i++) {
          s.append(' ').append(r.selectType(i));
        }
      }
    }
    return s.toString();
  }

  private static StringBuilder memarg(StringBuilder s, InstructionReader r) {
    return s.append(" mem=").append(r.memoryIndex()).append(" align=").append(r.alignment())
        .append(" offset=").append(Long.toUnsignedString(r.offset()));
  }

  static Stream<Arguments> instructions() {
    return Stream.of(
        Arguments.of("00", "unreachable"),
        Arguments.of("02 40", "block null"),
        Arguments.of("03 7f", "loop i32"),
        Arguments.of("04 7b", "if v128"),
        Arguments.of("02 6f", "block externref"),
        Arguments.of("02 05", "block type 5"),
        Arguments.of("02 80 01", "block type 128"),
        Arguments.of("0c 03", "br 3"),
        Arguments.of("0e 03 00 01 02 04", "br_table 0 1 2 default 4"),
        Arguments.of("0e 00 07", "br_table default 7"),
        Arguments.of("10 e5 8e 26", "call 624485"),
        Arguments.of("11 02 03", "call_indirect 2 3"),
        Arguments.of("12 01", "return_call 1"),
        Arguments.of("13 01 00", "return_call_indirect 1 0"),
        Arguments.of("1b", "select"),
        Arguments.of("1c 01 7e", "select i64"),
        Arguments.of("1c 02 7e 70", "select i64 funcref"),
        Arguments.of("20 05", "local.get 5"),
        Arguments.of("24 01", "global.set 1"),
        Arguments.of("25 02", "table.get 2"),
        Arguments.of("28 02 10", "i32.load mem=0 align=2 offset=16"),
        Arguments.of("29 43 02 ff ff ff ff 0f", "i64.load mem=2 align=3 offset=4294967295"),
        Arguments.of("3a 00 00", "i32.store8 mem=0 align=0 offset=0"),
        Arguments.of("3f 00", "memory.size 0"),
        Arguments.of("40 00", "memory.grow 0"),
        Arguments.of("41 7f", "i32.const -1"),
        Arguments.of("42 80 80 80 80 80 80 80 80 80 7f", "i64.const -9223372036854775808"),
        Arguments.of("43 00 00 80 3f", "f32.const 1.0"),
        Arguments.of("44 00 00 00 00 00 00 f0 bf", "f64.const -1.0"),
        Arguments.of("6a", "i32.add"),
        Arguments.of("c4", "i64.extend32_s"),
        Arguments.of("d0 70", "ref.null funcref"),
        Arguments.of("d0 6f", "ref.null externref"),
        Arguments.of("d1", "ref.is_null"),
        Arguments.of("d2 07", "ref.func 7"),
        Arguments.of("fc 00", "i32.trunc_sat_f32_s"),
        Arguments.of("fc 07", "i64.trunc_sat_f64_u"),
        Arguments.of("fc 08 03 00", "memory.init 3 0"),
        Arguments.of("fc 09 02", "data.drop 2"),
        Arguments.of("fc 0a 00 00", "memory.copy 0 0"),
        Arguments.of("fc 0b 00", "memory.fill 0"),
        Arguments.of("fc 0c 04 01", "table.init 4 1"),
        Arguments.of("fc 0d 04", "elem.drop 4"),
        Arguments.of("fc 0e 01 02", "table.copy 1 2"),
        Arguments.of("fc 0f 00", "table.grow 0"),
        Arguments.of("fc 10 00", "table.size 0"),
        Arguments.of("fc 11 01", "table.fill 1"),
        Arguments.of("fd 00 04 00", "v128.load mem=0 align=4 offset=0"),
        Arguments.of("fd 0b 04 10", "v128.store mem=0 align=4 offset=16"),
        Arguments.of(
            "fd 0c 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f",
            "v128.const 0f0e0d0c0b0a09080706050403020100"),
        Arguments.of(
            "fd 0d 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 1f",
            "i8x16.shuffle 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 31"),
        Arguments.of("fd 15 0f", "i8x16.extract_lane_s 15"),
        Arguments.of("fd 22 01", "f64x2.replace_lane 1"),
        Arguments.of("fd 54 00 00 0f", "v128.load8_lane mem=0 align=0 offset=0 lane=15"),
        Arguments.of("fd 5b 03 08 01", "v128.store64_lane mem=0 align=3 offset=8 lane=1"),
        Arguments.of("fd 5d 03 00", "v128.load64_zero mem=0 align=3 offset=0"),
        Arguments.of("fd 80 01", "i16x8.abs"),
        Arguments.of("fd 9b 01", "i16x8.avgr_u"),
        Arguments.of("fd ba 01", "i32x4.dot_i16x8_s"),
        Arguments.of("fd d6 01", "i64x2.eq"),
        Arguments.of("fd ff 01", "f64x2.convert_low_i32x4_u"),
        Arguments.of("fd 80 02", "i8x16.relaxed_swizzle"),
        Arguments.of("fd 93 02", "i32x4.relaxed_dot_i8x16_i7x16_add_s"),
        // non-minimal LEB128 encodings are allowed as long as they fit
        Arguments.of("fd 80 80 80 80 00 00 00", "v128.load mem=0 align=0 offset=0"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("instructions")
  void decodesInstruction(String hex, String expected) {
    byte[] code = Hex.bytes("01 " + hex + " 0b");
    InstructionReader r = new InstructionReader(code, 0, code.length, Features.ALL);
    assertSame(Opcode.NOP, r.next());
    assertEquals(0, r.instructionStart());
    int start = r.position();
    r.next();
    assertEquals(start, r.instructionStart());
    assertEquals(expected, describe(r));
    assertSame(Opcode.END, r.next(), "the immediates were consumed exactly");
    assertFalse(r.hasNext());
  }

  @Test
  void memargOffsetIsU32WithoutMemory64() {
    byte[] code = Hex.bytes("28 02 82 80 80 80 80 80 80 80 80 00");
    MalformedException e =
        assertThrows(MalformedException.class, () -> new InstructionReader(code, 0, code.length, Features.STANDARD).next());
    assertEquals("integer representation too long", e.reason());
    InstructionReader r = new InstructionReader(code, 0, code.length, Features.ALL);
    r.next();
    assertEquals(2, r.offset());
  }

  @Test
  void reservedBytesAreOnlyReservedWithoutMultiMemory() {
    byte[] code = Hex.bytes("3f 01");
    InstructionReader r = new InstructionReader(code, 0, code.length, Features.ALL);
    r.next();
    assertEquals(1, r.memoryIndex());
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(Features.ALL, "27", "illegal opcode", 0),
        Arguments.of(Features.ALL, "f3", "illegal opcode", 0),
        Arguments.of(Features.ALL, "fc 12", "illegal opcode", 0),
        Arguments.of(Features.ALL, "fd 9a 01", "illegal opcode", 0),
        Arguments.of(Features.ALL, "fd a2 01", "illegal opcode", 0),
        Arguments.of(Features.ALL, "fd 94 02", "illegal opcode", 0),
        Arguments.of(Features.ALL, "ff", "illegal opcode", 0),
        Arguments.of(Features.ALL, "fe 1e 02 00", InstructionReader.THREADS_OPCODE, 0),
        Arguments.of(Features.ALL, "41", "unexpected end of section or function", 1),
        Arguments.of(Features.ALL, "43 00 00 80", "unexpected end of section or function", 4),
        Arguments.of(Features.ALL, "41 80 80 80 80 80 00", "integer representation too long", 5),
        Arguments.of(Features.ALL, "41 ff ff ff ff 0f", "integer too large", 5),
        Arguments.of(Features.ALL, "42 80 80 80 80 80 80 80 80 80 80 00", "integer representation too long", 10),
        Arguments.of(Features.ALL, "10 82 80 80 80 10", "integer too large", 5),
        Arguments.of(Features.ALL, "d0 7f", "malformed reference type", 1),
        Arguments.of(Features.ALL, "02 7a", "malformed value type", 1),
        Arguments.of(Features.ALL, "1c 01 7a", "malformed value type", 2),
        Arguments.of(Features.ALL, "0e 05 00", "unexpected end of section or function", 3),
        // relaxed SIMD is WebAssembly 3.0: in 2.0 (the 2022 suite) its codes are illegal
        Arguments.of(Features.STANDARD, "fd 80 02", "illegal opcode", 0),
        Arguments.of(Features.STANDARD, "fd 93 02", "illegal opcode", 0),
        Arguments.of(Features.STANDARD, "3f 01", "zero byte expected", 1),
        Arguments.of(Features.STANDARD, "40 80 00", "zero byte expected", 1),
        Arguments.of(Features.STANDARD, "fc 0b 01", "zero byte expected", 2),
        Arguments.of(Features.STANDARD, "fc 08 00 01", "zero byte expected", 3),
        Arguments.of(NO_REFERENCE_TYPES, "11 00 01", "zero flag expected", 2),
        Arguments.of(NO_REFERENCE_TYPES, "11 00 80 00", "zero flag expected", 2),
        Arguments.of(NO_REFERENCE_TYPES, "40 01", "zero flag expected", 1),
        Arguments.of(Features.ALL, "28 02 82 80 80 80 80 80 80 80 80 10", "integer too large", 11),
        Arguments.of(Features.STANDARD, "28 02 82 80 80 80 10", "integer too large", 6));
  }

  @ParameterizedTest(name = "{1} -> {2}")
  @MethodSource("malformed")
  void rejectsMalformed(Features features, String hex, String reason, int offset) {
    byte[] code = Hex.bytes(hex);
    InstructionReader r = new InstructionReader(code, 0, code.length, features);
    MalformedException e = assertThrows(MalformedException.class, r::next);
    assertEquals(reason, e.reason());
    assertEquals(offset, e.offset());
  }

  @Test
  void readsOnlyItsRange() {
    byte[] code = Hex.bytes("ff 41 05 0b ff");
    InstructionReader r = new InstructionReader(code, 1, 4);
    assertSame(Opcode.I32_CONST, r.next());
    assertEquals(5, r.i32());
    assertSame(Opcode.END, r.next());
    assertFalse(r.hasNext());
    assertEquals(4, r.position());
  }

  @Test
  void brTableTargetsGrowBeyondTheInitialArray() {
    StringBuilder hex = new StringBuilder("0e 14");
    StringBuilder expected = new StringBuilder("br_table");
    for (int i = 0; i < 20; i++) {
      hex.append(String.format(" %02x", i));
      expected.append(' ').append(i);
    }
    byte[] code = Hex.bytes(hex + " 09");
    InstructionReader r = new InstructionReader(code, 0, code.length);
    r.next();
    assertEquals(expected + " default 9", describe(r));
  }
}
