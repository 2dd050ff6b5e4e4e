package dev.kiln.wasm.validate;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.types.ValType;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Constant expressions (spec 3.3.10) against {@link CodeFixture}'s context. */
class ConstExprValidatorTest {
  static Stream<Arguments> expressions() {
    return Stream.of(
        Arguments.of("i32", "41 05 0b", "ok"),
        Arguments.of("i64", "42 05 0b", "ok"),
        Arguments.of("f32", "43 00 00 00 00 0b", "ok"),
        Arguments.of("f64", "44 00 00 00 00 00 00 00 00 0b", "ok"),
        Arguments.of("v128", "fd 0c 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 0b", "ok"),
        Arguments.of("funcref", "d0 70 0b", "ok"),
        Arguments.of("externref", "d0 6f 0b", "ok"),
        // ref.func needs no declaration here: constant expressions are where functions get declared
        Arguments.of("funcref", "d2 02 0b", "ok"),
        Arguments.of("funcref", "d2 09 0b", "unknown function 9"),
        Arguments.of("i32", "23 00 0b", "ok"),
        Arguments.of("i64", "23 01 0b", "constant expression required"),
        // global 2 is the first defined one: WebAssembly 3.0 lets constant expressions read it
        Arguments.of("f32", "23 02 0b", "ok"),
        Arguments.of("f32", "23 03 0b", "unknown global 3"),
        Arguments.of("i32", "41 01 41 02 6a 0b", "ok"),
        Arguments.of("i64", "42 01 23 00 7d 0b", "type mismatch"),
        Arguments.of("i64", "42 01 42 02 7e 42 03 7c 0b", "ok"),
        Arguments.of("i32", "41 01 6a 0b", "type mismatch"),
        Arguments.of("i32", "42 05 0b", "type mismatch"),
        Arguments.of("i32", "0b", "type mismatch"),
        Arguments.of("i32", "41 01 41 02 0b", "type mismatch"),
        Arguments.of("funcref", "d0 6f 0b", "type mismatch"),
        Arguments.of("i32", "01 41 00 0b", "constant expression required"),
        Arguments.of("i32", "41 00 01 0b", "constant expression required"),
        Arguments.of("i32", "41 00 68 0b", "constant expression required"),
        Arguments.of("f32", "43 00 00 00 00 8c 0b", "constant expression required"),
        Arguments.of("i32", "20 00 0b", "constant expression required"),
        Arguments.of("funcref", "10 00 0b", "constant expression required"));
  }

  @ParameterizedTest(name = "{0}: {1} -> {2}")
  @MethodSource("expressions")
  void validates(String type, String hex, String expected) {
    ValType t = CodeFixture.valType(type);
    ValidationContext c = CodeFixture.context();
    if (expected.equals("ok")) {
      assertDoesNotThrow(() -> ConstExprValidator.validate(CodeFixture.expr(hex), t, c));
    } else {
      InvalidException e =
          assertThrows(InvalidException.class, () -> ConstExprValidator.validate(CodeFixture.expr(hex), t, c));
      assertEquals(expected, e.reason());
    }
  }

  @Test
  void definedGlobalsNeedWebAssembly3() {
    ValidationContext v2 = CodeFixture.context(Features.ALL.withWasm3(false), OptionalInt.of(2));
    InvalidException e =
        assertThrows(InvalidException.class, () -> ConstExprValidator.validate(CodeFixture.expr("23 02 0b"), ValType.F32, v2));
    assertEquals("unknown global 2", e.reason());
  }

  @Test
  void arithmeticNeedsExtendedConst() {
    ValidationContext core = CodeFixture.context(Features.ALL.withExtendedConst(false), OptionalInt.of(2));
    InvalidException e =
        assertThrows(
            InvalidException.class,
            () -> ConstExprValidator.validate(CodeFixture.expr("41 01 41 02 6a 0b"), ValType.I32, core));
    assertEquals("constant expression required", e.reason());
    assertEquals(4, e.offset());
  }

  @Test
  void malformedExpressions() {
    ValidationContext c = CodeFixture.context();
    assertEquals(
        "unexpected end of section or function",
        assertThrows(MalformedException.class, () -> ConstExprValidator.validate(CodeFixture.expr("41 01"), ValType.I32, c))
            .reason());
    assertEquals(
        "illegal opcode",
        assertThrows(MalformedException.class, () -> ConstExprValidator.validate(CodeFixture.expr("f3 00 0b"), ValType.I32, c))
            .reason());
  }
}
