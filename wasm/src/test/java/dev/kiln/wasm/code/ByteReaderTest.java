package dev.kiln.wasm.code;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wasm.MalformedException;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ByteReaderTest {
  private static final ToLongFunction<ByteReader> U32 = r -> r.u32() & 0xFFFF_FFFFL;
  private static final ToLongFunction<ByteReader> S32 = ByteReader::s32;
  private static final ToLongFunction<ByteReader> S33 = ByteReader::s33;
  private static final ToLongFunction<ByteReader> U64 = ByteReader::u64;
  private static final ToLongFunction<ByteReader> S64 = ByteReader::s64;

  static Stream<Arguments> values() {
    return Stream.of(
        Arguments.of("u32", U32, "00", 0L),
        Arguments.of("u32", U32, "7f", 127L),
        Arguments.of("u32", U32, "80 01", 128L),
        Arguments.of("u32", U32, "82 80 80 80 00", 2L),
        Arguments.of("u32", U32, "ff ff ff ff 0f", 0xFFFF_FFFFL),
        Arguments.of("s32", S32, "7f", -1L),
        Arguments.of("s32", S32, "3f", 63L),
        Arguments.of("s32", S32, "40", -64L),
        Arguments.of("s32", S32, "80 7f", -128L),
        Arguments.of("s32", S32, "ff ff ff ff 07", (long) Integer.MAX_VALUE),
        Arguments.of("s32", S32, "80 80 80 80 78", (long) Integer.MIN_VALUE),
        Arguments.of("s32", S32, "ff ff ff ff 7f", -1L),
        Arguments.of("s33", S33, "ff ff ff ff 0f", 0xFFFF_FFFFL),
        Arguments.of("s33", S33, "80 80 80 80 70", -(1L << 32)),
        Arguments.of("s33", S33, "40", -64L),
        Arguments.of("u64", U64, "ff ff ff ff ff ff ff ff ff 01", -1L),
        Arguments.of("u64", U64, "82 80 80 80 80 80 80 80 80 00", 2L),
        Arguments.of("s64", S64, "ff ff ff ff ff ff ff ff ff 7f", -1L),
        Arguments.of("s64", S64, "80 80 80 80 80 80 80 80 80 7f", Long.MIN_VALUE),
        Arguments.of("s64", S64, "ff ff ff ff ff ff ff ff ff 00", Long.MAX_VALUE),
        Arguments.of("s64", S64, "80 80 80 80 80 80 80 80 40", -(1L << 62)),
        Arguments.of("s64", S64, "80 80 80 80 80 80 80 80 c0 00", 1L << 62));
  }

  @ParameterizedTest(name = "{0} {2} = {3}")
  @MethodSource("values")
  void decodesValue(String kind, ToLongFunction<ByteReader> read, String hex, long expected) {
    byte[] bytes = Hex.bytes(hex);
    ByteReader r = new ByteReader(bytes);
    assertEquals(expected, read.applyAsLong(r));
    assertEquals(bytes.length, r.position(), "consumes exactly the encoding");
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("u32", U32, "82 80 80 80 80 00", "integer representation too long", 4),
        Arguments.of("u32", U32, "82 80 80 80 10", "integer too large", 4),
        Arguments.of("u32", U32, "82 80 80 80 40", "integer too large", 4),
        Arguments.of("u32", U32, "80 80", "unexpected end of section or function", 2),
        Arguments.of("s32", S32, "ff ff ff ff 0f", "integer too large", 4),
        Arguments.of("s32", S32, "80 80 80 80 70", "integer too large", 4),
        Arguments.of("s32", S32, "ff ff ff ff ff 7f", "integer representation too long", 4),
        Arguments.of("s33", S33, "ff ff ff ff 2f", "integer too large", 4),
        Arguments.of("s33", S33, "80 80 80 80 50", "integer too large", 4),
        Arguments.of("u64", U64, "82 80 80 80 80 80 80 80 80 80 00", "integer representation too long", 9),
        Arguments.of("u64", U64, "82 80 80 80 80 80 80 80 80 02", "integer too large", 9),
        Arguments.of("s64", S64, "ff ff ff ff ff ff ff ff ff 01", "integer too large", 9),
        Arguments.of("s64", S64, "80 80 80 80 80 80 80 80 80 7e", "integer too large", 9),
        Arguments.of("s64", S64, "ff", "unexpected end of section or function", 1));
  }

  @ParameterizedTest(name = "{0} {2} -> {3}")
  @MethodSource("errors")
  void rejectsEncoding(String kind, ToLongFunction<ByteReader> read, String hex, String reason, int offset) {
    MalformedException e =
        assertThrows(MalformedException.class, () -> read.applyAsLong(new ByteReader(Hex.bytes(hex))));
    assertEquals(reason, e.reason());
    assertEquals(offset, e.offset());
  }

  @ParameterizedTest(name = "name {0}")
  @MethodSource("names")
  void readsNames(String hex, String expected) {
    assertEquals(expected, new ByteReader(Hex.bytes(hex)).name());
  }

  static Stream<Arguments> names() {
    return Stream.of(
        Arguments.of("00", ""), Arguments.of("03 61 62 63", "abc"), Arguments.of("02 c3 a9", "\u00e9"));
  }

  @ParameterizedTest(name = "bad name {0} -> {1}")
  @MethodSource("badNames")
  void rejectsBadNames(String hex, String reason) {
    MalformedException e = assertThrows(MalformedException.class, () -> new ByteReader(Hex.bytes(hex)).name());
    assertEquals(reason, e.reason());
  }

  static Stream<Arguments> badNames() {
    return Stream.of(
        Arguments.of("04 61 62", "length out of bounds"),
        Arguments.of("02 c0 80", "malformed UTF-8 encoding"), // overlong NUL
        Arguments.of("03 ed a0 80", "malformed UTF-8 encoding"), // surrogate U+D800
        Arguments.of("04 f4 90 80 80", "malformed UTF-8 encoding"), // above U+10FFFF
        Arguments.of("01 80", "malformed UTF-8 encoding"));
  }
}
