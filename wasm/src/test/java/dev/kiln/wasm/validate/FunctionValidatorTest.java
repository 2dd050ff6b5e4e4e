package dev.kiln.wasm.validate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.WasmException;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.LocalDecl;
import dev.kiln.wasm.types.ValType;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Function-body rules (spec 3.3 and the appendix algorithm), one row per rule, valid and invalid. */
class FunctionValidatorTest {
  private static final String V128_ZERO = "fd 0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00";
  private static final String OK = "ok";

  /** Rows: function (= its type, see {@link CodeFixture}), locals, body, "ok" or the error reason. */
  static Stream<Arguments> rules() {
    return Stream.of(
        // stack basics and results
        row(0, "", "0b", OK),
        row(5, "", "41 01 0b", OK),
        row(0, "", "41 01 0b", "type mismatch"),
        row(5, "", "0b", "type mismatch"),
        row(5, "", "42 01 0b", "type mismatch"),
        row(3, "", "41 01 41 02 0b", OK),
        row(2, "", "20 00 20 01 6a 0b", OK),
        row(0, "", "6a 1a 0b", "type mismatch"),
        // unreachable makes the stack polymorphic up to the frame's height
        row(0, "", "00 6a 1a 0b", OK),
        row(5, "", "00 0b", OK),
        row(5, "", "0f 42 00 0b", "type mismatch"),
        row(0, "", "41 00 02 40 00 0b 1a 0b", OK),
        row(0, "", "02 40 00 0b 1a 0b", "type mismatch"),
        // blocks, multi-value block types, branches
        row(5, "", "02 7f 41 01 0b 0b", OK),
        row(5, "", "02 03 41 01 41 02 0b 6a 0b", OK),
        row(1, "", "20 00 02 01 0b 0b", OK),
        row(1, "", "02 01 0b 0b", "type mismatch"),
        row(0, "", "02 09 0b 0b", "unknown type 9"),
        row(0, "", "03 40 0c 00 0b 0b", OK),
        row(1, "", "20 00 03 01 0c 00 0b 0b", OK),
        row(5, "", "02 7f 41 01 41 00 0d 00 0b 0b", OK),
        row(5, "", "02 7f 41 00 0d 00 0b 0b", "type mismatch"),
        row(0, "", "0c 01 0b", "unknown label"),
        row(0, "", "02 40 0c 02 0b 0b", "unknown label"),
        row(5, "", "02 7f 41 01 41 00 0e 01 00 00 0b 0b", OK),
        row(0, "", "02 7f 02 40 41 00 0e 01 00 01 0b 41 00 0b 1a 0b", "type mismatch"),
        row(0, "", "02 40 41 00 0e 00 05 0b 0b", "unknown label"),
        row(5, "", "00 0e 00 00 0b", OK),
        row(5, "", "41 01 04 7f 41 01 0b 0b", "type mismatch"),
        row(5, "", "41 01 04 7f 41 01 05 41 02 0b 0b", OK),
        row(5, "", "41 01 04 7f 41 01 05 42 02 0b 0b", "type mismatch"),
        row(5, "", "41 05 41 01 04 01 0b 0b", OK),
        row(0, "", "04 40 0b 0b", "type mismatch"),
        row(0, "", "05 0b", "END opcode expected"),
        row(0, "", "02 40 05 0b 0b", "END opcode expected"),
        // calls and tail calls
        row(5, "", "41 01 10 01 0b", OK),
        row(5, "", "42 01 10 01 0b", "type mismatch"),
        row(0, "", "10 09 0b", "unknown function 9"),
        row(5, "", "41 01 41 00 11 01 00 0b", OK),
        row(5, "", "41 01 41 00 11 01 01 0b", "type mismatch"),
        row(5, "", "41 01 41 00 11 01 05 0b", "unknown table 5"),
        row(5, "", "41 00 11 09 00 0b", "unknown type 9"),
        row(1, "", "20 00 12 01 0b", OK),
        row(5, "", "41 00 12 01 6a 0b", OK),
        row(0, "", "41 00 12 01 0b", "type mismatch"),
        row(5, "", "41 00 41 00 13 01 00 0b", OK),
        row(0, "", "41 00 41 00 13 01 00 0b", "type mismatch"),
        // drop and select
        row(0, "", "1a 0b", "type mismatch"),
        row(5, "", "41 01 41 02 41 00 1b 0b", OK),
        row(5, "", "41 01 42 02 41 00 1b 0b", "type mismatch"),
        row(0, "", "d0 70 d0 70 41 00 1b 1a 0b", "type mismatch"),
        row(0, "", "d0 70 d0 70 41 00 1c 01 70 1a 0b", OK),
        row(0, "", "41 00 41 00 41 00 1c 02 7f 7f 1a 0b", "invalid result arity"),
        row(0, "", "41 00 41 00 41 00 1c 00 1a 0b", "invalid result arity"),
        row(5, "", "00 1b 0b", OK),
        row(0, "", "00 1b d1 1a 0b", OK),
        // locals
        row(1, "", "20 00 0b", OK),
        row(0, "2 i64", "20 01 50 1a 0b", OK),
        row(0, "2 i64", "20 02 1a 0b", "unknown local 2"),
        row(0, "1 i64", "41 00 21 00 0b", "type mismatch"),
        row(1, "1 f32", "43 00 00 00 00 22 01 1a 20 00 0b", OK),
        // globals
        row(5, "", "23 00 0b", OK),
        row(0, "", "23 03 1a 0b", "unknown global 3"),
        row(0, "", "41 00 24 00 0b", "global is immutable"),
        row(0, "", "42 00 24 01 0b", OK),
        row(0, "", "41 00 24 01 0b", "type mismatch"),
        // tables
        row(0, "", "41 00 25 00 d1 1a 0b", OK),
        row(0, "", "41 00 d0 70 26 01 0b", "type mismatch"),
        row(0, "", "41 00 d0 6f 26 01 0b", OK),
        row(0, "", "fc 10 03 1a 0b", "unknown table 3"),
        row(5, "", "d0 70 41 01 fc 0f 00 0b", OK),
        row(0, "", "41 00 d0 6f 41 01 fc 11 01 0b", OK),
        row(0, "", "41 00 41 00 41 00 fc 0e 00 00 0b", OK),
        row(0, "", "41 00 41 00 41 00 fc 0e 00 01 0b", "type mismatch"),
        row(0, "", "41 00 41 00 41 00 fc 0c 01 01 0b", OK),
        row(0, "", "41 00 41 00 41 00 fc 0c 01 00 0b", "type mismatch"),
        row(0, "", "fc 0d 05 0b", "unknown elem segment 5"),
        // memories: index, alignment, address type (memory 1 is 64-bit)
        row(0, "", "41 00 28 02 00 1a 0b", OK),
        row(0, "", "41 00 28 03 00 1a 0b", "alignment must not be larger than natural"),
        row(0, "", "41 00 30 01 00 1a 0b", "alignment must not be larger than natural"),
        row(0, "", "42 00 28 42 01 00 1a 0b", OK),
        row(0, "", "41 00 28 42 01 00 1a 0b", "type mismatch"),
        row(0, "", "41 00 28 42 02 00 1a 0b", "unknown memory 2"),
        row(0, "", "41 00 41 00 36 02 00 0b", OK),
        row(0, "", "41 00 42 00 36 02 00 0b", "type mismatch"),
        row(0, "", "41 00 28 02 80 80 80 80 10 1a 0b", "offset out of range"),
        row(0, "", "42 00 28 42 01 80 80 80 80 10 1a 0b", OK),
        row(0, "", "3f 01 50 1a 0b", OK),
        row(0, "", "3f 00 50 1a 0b", "type mismatch"),
        row(0, "", "42 01 40 01 1a 0b", OK),
        row(0, "", "3f 02 1a 0b", "unknown memory 2"),
        row(0, "", "42 00 41 00 42 01 fc 0b 01 0b", OK),
        row(0, "", "42 00 41 00 41 01 fc 0a 01 00 0b", OK),
        row(0, "", "42 00 42 00 42 01 fc 0a 01 01 0b", OK),
        row(0, "", "42 00 42 00 41 01 fc 0a 01 01 0b", "type mismatch"),
        row(0, "", "41 00 41 00 41 00 fc 08 01 00 0b", OK),
        row(0, "", "41 00 41 00 41 00 fc 08 02 00 0b", "unknown data segment 2"),
        row(0, "", "fc 09 01 0b", OK),
        // references
        row(0, "", "d2 01 1a 0b", OK),
        row(0, "", "d2 02 1a 0b", "undeclared function reference"),
        row(0, "", "d2 09 1a 0b", "unknown function 9"),
        row(0, "", "41 00 d1 1a 0b", "type mismatch"),
        row(5, "", "d0 6f d1 0b", OK),
        // SIMD: signatures, lanes, memargs
        row(0, "", V128_ZERO + " fd 15 0f 1a 0b", OK),
        row(0, "", V128_ZERO + " fd 15 10 1a 0b", "invalid lane index"),
        row(0, "", V128_ZERO + " fd 21 02 1a 0b", "invalid lane index"),
        row(0, "", V128_ZERO + " 42 00 fd 1e 01 1a 0b", OK),
        row(0, "", V128_ZERO + " 41 00 fd 1e 01 1a 0b", "type mismatch"),
        row(0, "", V128_ZERO + " " + V128_ZERO + " fd 0d 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 1f 1a 0b", OK),
        row(0, "", V128_ZERO + " " + V128_ZERO + " fd 0d 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 20 1a 0b", "invalid lane index"),
        row(0, "", "41 00 " + V128_ZERO + " fd 54 00 00 0f 1a 0b", OK),
        row(0, "", "41 00 " + V128_ZERO + " fd 54 00 00 10 1a 0b", "invalid lane index"),
        row(0, "", "41 00 " + V128_ZERO + " fd 55 02 00 00 1a 0b", "alignment must not be larger than natural"),
        row(0, "", "41 00 fd 00 04 00 1a 0b", OK),
        row(0, "", "41 00 fd 00 05 00 1a 0b", "alignment must not be larger than natural"),
        row(0, "", "41 00 fd 5d 03 00 1a 0b", OK),
        row(0, "", V128_ZERO + " 41 01 fd 6b 01 1a 0b", OK),
        row(0, "", V128_ZERO + " " + V128_ZERO + " fd 6b 01 1a 0b", "type mismatch"),
        row(5, "", V128_ZERO + " fd 63 0b", OK),
        row(0, "", V128_ZERO + " " + V128_ZERO + " " + V128_ZERO + " fd 52 1a 0b", OK),
        row(0, "", V128_ZERO + " 41 00 1b 0b", "type mismatch"),
        row(0, "", V128_ZERO + " " + V128_ZERO + " 41 00 1b 1a 0b", OK),
        // exception handling (WebAssembly 3.0 3.3.8): throw pops the tag's payload
        row(0, "", "42 07 08 00 0b", OK),
        row(0, "", "08 00 0b", "type mismatch"),
        row(0, "", "08 05 0b", "unknown tag 5"),
        row(0, "", "d0 69 0a 0b", OK),
        row(0, "", "41 00 0a 0b", "type mismatch"),
        // try_table: each clause's label must take what the clause delivers
        row(0, "", "02 7e 1f 40 01 00 00 00 42 01 08 00 0b 00 0b 1a 0b", OK),
        row(0, "", "02 40 1f 40 01 00 00 00 0b 0b 0b", "type mismatch"),
        row(0, "", "02 40 1f 40 01 00 07 00 0b 0b 0b", "unknown tag 7"),
        row(0, "", "02 40 1f 40 01 02 00 0b 0b 0b", OK),
        row(0, "", "02 69 1f 40 01 03 00 0b 00 0b 1a 0b", OK),
        row(0, "", "02 40 1f 40 01 03 00 0b 0b 0b", "type mismatch"),
        row(0, "", "02 40 1f 40 01 02 02 0b 0b 0b", "unknown label"),
        // legacy: catch pushes the payload; rethrow names a catch; delegate ends a try
        row(0, "", "06 40 07 00 1a 0b 0b", OK),
        row(0, "", "02 40 07 00 0b 0b", "END opcode expected"),
        row(0, "", "02 40 09 00 0b 0b", "invalid rethrow label"),
        row(0, "", "06 40 19 09 00 0b 0b", OK),
        row(0, "", "02 40 06 40 18 00 0b 0b", OK),
        row(0, "", "02 40 06 40 18 02 0b 0b", "unknown label"));
  }

  private static Arguments row(int function, String locals, String body, String expected) {
    return Arguments.of(function, locals, body, expected);
  }

  @ParameterizedTest(name = "f{0} ({1}) {2} -> {3}")
  @MethodSource("rules")
  void validates(int function, String locals, String hex, String expected) {
    FunctionBody body = CodeFixture.body(CodeFixture.locals(locals), hex, "");
    FunctionValidator validator = new FunctionValidator(CodeFixture.context());
    if (expected.equals(OK)) {
      assertDoesNotThrow(() -> validator.validate(function, body));
    } else {
      WasmException e = assertThrows(WasmException.class, () -> validator.validate(function, body));
      assertEquals(expected, e.reason());
      assertEquals(function, e.functionIndex());
    }
  }

  @Test
  void errorsCarryTheOffsetOfTheInstruction() {
    // source byte 0 is filler: i32.const 1 at 1, i64.const at 3, i32.add at 5
    FunctionBody body = CodeFixture.body("41 01 42 01 6a 0b");
    InvalidException e =
        assertThrows(InvalidException.class, () -> FunctionValidator.validate(CodeFixture.context(), 5, body));
    assertEquals(5, e.offset());
    assertEquals(5, e.functionIndex());
  }

  @Test
  void oneValidatorServesManyBodies() {
    FunctionValidator validator = new FunctionValidator(CodeFixture.context());
    assertThrows(InvalidException.class, () -> validator.validate(5, CodeFixture.body("02 40 02 40 41 00 0b")));
    // nothing from the failed body leaks into the next one
    assertDoesNotThrow(() -> validator.validate(5, CodeFixture.body("41 07 0b")));
    assertDoesNotThrow(() -> validator.validate(0, CodeFixture.body("0b")));
  }

  @Test
  void deepNestingGrowsTheStacks() {
    int depth = 1000;
    String body = "02 7f ".repeat(depth) + "41 00 " + "0b ".repeat(depth) + "0b";
    assertDoesNotThrow(() -> FunctionValidator.validate(CodeFixture.context(), 5, CodeFixture.body(body)));
    String values = "41 00 ".repeat(300) + "1a ".repeat(299) + "0b";
    assertDoesNotThrow(() -> FunctionValidator.validate(CodeFixture.context(), 5, CodeFixture.body(values)));
  }

  @Test
  void localsBeyondTheFlatLimitAreFoundByRuns() {
    List<LocalDecl> locals =
        List.of(new LocalDecl(100_000, ValType.I64), new LocalDecl(3, ValType.F32), new LocalDecl(1L << 31, ValType.I32));
    ValidationContext c = CodeFixture.context();
    assertDoesNotThrow(() -> FunctionValidator.validate(c, 1, CodeFixture.body(locals, "20 a0 8d 06 50 1a 20 00 0b", "")));
    // local 100_001 (params: 1) is the first f32
    assertDoesNotThrow(() -> FunctionValidator.validate(c, 1, CodeFixture.body(locals, "20 a1 8d 06 8c 1a 20 00 0b", "")));
    // local 2^31 is in the i32 run; the last local is 1 + 100_003 + 2^31 - 1 = 2147583651
    assertDoesNotThrow(() -> FunctionValidator.validate(c, 1, CodeFixture.body(locals, "20 80 80 80 80 08 0b", "")));
    assertDoesNotThrow(() -> FunctionValidator.validate(c, 1, CodeFixture.body(locals, "20 a3 8d 86 80 08 0b", "")));
    InvalidException e =
        assertThrows(
            InvalidException.class,
            () -> FunctionValidator.validate(c, 1, CodeFixture.body(locals, "20 a4 8d 86 80 08 0b", "")));
    assertEquals("unknown local 2147583652", e.reason());
  }

  @Test
  void tooManyLocalsIsMalformed() {
    List<LocalDecl> locals = List.of(new LocalDecl(0xFFFF_FFFFL, ValType.I32), new LocalDecl(2, ValType.I64));
    MalformedException e =
        assertThrows(
            MalformedException.class,
            () -> FunctionValidator.validate(CodeFixture.context(), 0, CodeFixture.body(locals, "0b", "")));
    assertEquals("too many locals", e.reason());
  }

  @Test
  void dataSegmentInstructionsNeedTheDataCountSection() {
    ValidationContext c = CodeFixture.context(Features.ALL, OptionalInt.empty());
    for (String body : List.of("fc 09 00 0b", "41 00 41 00 41 00 fc 08 00 00 0b")) {
      MalformedException e =
          assertThrows(MalformedException.class, () -> FunctionValidator.validate(c, 0, CodeFixture.body(body)));
      assertEquals("data count section required", e.reason());
    }
  }

  @Test
  void bodyWithoutItsEnd() {
    ValidationContext c = CodeFixture.context();
    MalformedException atModuleEnd =
        assertThrows(
            MalformedException.class, () -> FunctionValidator.validate(c, 0, CodeFixture.body(List.of(), "41 01 1a", "")));
    assertEquals("unexpected end of section or function", atModuleEnd.reason());
    MalformedException beforeMore =
        assertThrows(
            MalformedException.class,
            () -> FunctionValidator.validate(c, 0, CodeFixture.body(List.of(), "41 01 1a", "05 00 0b")));
    assertEquals("END opcode expected", beforeMore.reason());
    MalformedException trailing =
        assertThrows(MalformedException.class, () -> FunctionValidator.validate(c, 0, CodeFixture.body("0b 01")));
    assertEquals("section size mismatch", trailing.reason());
  }

  @Test
  void malformedInstructionsNameTheFunction() {
    MalformedException e =
        assertThrows(
            MalformedException.class, () -> FunctionValidator.validate(CodeFixture.context(), 3, CodeFixture.body("27 0b")));
    assertEquals("illegal opcode", e.reason());
    assertEquals(3, e.functionIndex());
    assertEquals(1, e.offset());
  }

  @Test
  void offsetsBeyondU32AreMalformedWithoutMemory64() {
    ValidationContext c = CodeFixture.context(Features.ALL.withMemory64(false), OptionalInt.of(2));
    MalformedException e =
        assertThrows(
            MalformedException.class,
            () -> FunctionValidator.validate(c, 0, CodeFixture.body("41 00 28 02 80 80 80 80 10 1a 0b")));
    assertEquals("integer too large", e.reason());
  }
}
