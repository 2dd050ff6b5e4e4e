package dev.kiln.wasm.validate;

import static dev.kiln.wasm.decode.ModuleBytes.b;
import static dev.kiln.wasm.decode.ModuleBytes.cat;
import static dev.kiln.wasm.decode.ModuleBytes.name;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.decode.Decoder;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.decode.ModuleBytes;
import dev.kiln.wasm.module.Module;
import org.junit.jupiter.api.Test;

/** Module-level validation rules (spec 3.4), one test per rule, on hand-made modules. */
class ValidatorTest {
  /** Type 0: [] -> []; type 1: [i32] -> [i32]. */
  static final int[] TYPES = b(0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7F, 0x01, 0x7F);

  static Module decode(ModuleBytes bytes) {
    return Decoder.decode(bytes.bytes());
  }

  static InvalidException invalid(ModuleBytes bytes) {
    return invalid(bytes, Features.ALL);
  }

  static InvalidException invalid(ModuleBytes bytes, Features features) {
    Module m = Decoder.decode(bytes.bytes(), features);
    return assertThrows(InvalidException.class, () -> Validator.validate(m, features));
  }

  static void assertInvalid(String reason, ModuleBytes bytes) {
    assertEquals(reason, invalid(bytes).reason());
  }

  static void assertValid(ModuleBytes bytes) {
    Module m = decode(bytes);
    assertDoesNotThrow(() -> Validator.validate(m));
  }

  /** One function of type 0 with body {@code code} (no locals, final end included). */
  static ModuleBytes withFunction(int... code) {
    return withFunctionAndExports(null, code);
  }

  /** Like {@link #withFunction} with an export section's content, when not null. */
  static ModuleBytes withFunctionAndExports(int[] exports, int... code) {
    ModuleBytes m = new ModuleBytes().section(1, TYPES).section(3, 0x01, 0x00);
    if (exports != null) {
      m.section(7, exports);
    }
    return m.section(10, cat(b(0x01), ModuleBytes.u32(code.length + 1), b(0x00), code));
  }

  @Test
  void aModuleUsingEverySectionValidates() {
    assertValid(
        new ModuleBytes()
            .section(1, TYPES)
            .section(2, cat(b(0x02), name("m"), name("f"), b(0x00, 0x01), name("m"), name("g"), b(0x03, 0x7F, 0x00)))
            .section(3, 0x02, 0x00, 0x01)
            .section(4, 0x01, 0x70, 0x00, 0x02)
            .section(5, 0x01, 0x01, 0x01, 0x02)
            .section(6, 0x02, 0x7F, 0x01, 0x23, 0x00, 0x0B, 0x70, 0x00, 0xD2, 0x01, 0x0B)
            .section(7, cat(b(0x03), name("run"), b(0x00, 0x01), name("mem"), b(0x02, 0x00), name("g"), b(0x03, 0x01)))
            .section(8, 0x01)
            .section(9, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x02, 0x00, 0x02)
            .section(12, 0x01)
            .section(10, 0x02, 0x02, 0x00, 0x0B, 0x06, 0x00, 0x20, 0x00, 0x10, 0x00, 0x0B)
            .section(11, 0x01, 0x00, 0x41, 0x00, 0x0B, 0x01, 0x2A));
  }

  @Test
  void functionTypeIndicesMustExist() {
    assertInvalid("unknown type 2", new ModuleBytes().section(1, TYPES).section(3, 0x01, 0x02).section(10, 0x01, 0x02, 0x00, 0x0B));
    assertInvalid("unknown type 0", new ModuleBytes().section(2, cat(b(0x01), name("m"), name("f"), b(0x00, 0x00))));
  }

  @Test
  void limits() {
    assertInvalid("size minimum must not be greater than maximum", new ModuleBytes().section(5, 0x01, 0x01, 0x02, 0x01));
    assertInvalid("size minimum must not be greater than maximum", new ModuleBytes().section(4, 0x01, 0x70, 0x01, 0x02, 0x01));
    assertInvalid("memory size must be at most 65536 pages (4GiB)", new ModuleBytes().section(5, 0x01, 0x00, 0x81, 0x80, 0x04));
    assertInvalid(
        "memory size must be at most 65536 pages (4GiB)", new ModuleBytes().section(5, 0x01, 0x01, 0x00, 0x81, 0x80, 0x04));
    assertValid(new ModuleBytes().section(5, 0x01, 0x01, 0x00, 0x80, 0x80, 0x04));
    // the range is checked before min <= max, as in the reference interpreter
    assertInvalid(
        "memory size must be at most 65536 pages (4GiB)", new ModuleBytes().section(5, 0x01, 0x01, 0x81, 0x80, 0x04, 0x00));
    // 64-bit memories may be larger than 4 GiB, up to 2^48 pages
    assertValid(new ModuleBytes().section(5, 0x01, 0x04, 0x80, 0x80, 0x80, 0x80, 0x10));
    assertInvalid(
        "memory size must be at most 2^48 pages (256 TiB)",
        new ModuleBytes().section(5, 0x01, 0x04, 0x81, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01));
    assertInvalid("shared memory must have maximum", new ModuleBytes().section(5, 0x01, 0x02, 0x01));
    assertValid(new ModuleBytes().section(5, 0x01, 0x03, 0x01, 0x01));
  }

  @Test
  void multipleMemoriesNeedTheMultiMemoryProposal() {
    ModuleBytes two = new ModuleBytes().section(5, 0x02, 0x00, 0x00, 0x00, 0x00);
    assertEquals("multiple memories", invalid(two, Features.STANDARD).reason());
    assertValid(two);
    ModuleBytes importedAndDefined =
        new ModuleBytes().section(2, cat(b(0x01), name("m"), name("mem"), b(0x02, 0x00, 0x00))).section(5, 0x01, 0x00, 0x00);
    assertEquals("multiple memories", invalid(importedAndDefined, Features.STANDARD).reason());
    assertValid(importedAndDefined);
  }

  @Test
  void exports() {
    assertValid(withFunctionAndExports(cat(b(0x02), name("a"), b(0x00, 0x00), name("b"), b(0x00, 0x00)), 0x0B));
    assertInvalid(
        "duplicate export name",
        withFunctionAndExports(cat(b(0x02), name("a"), b(0x00, 0x00), name("a"), b(0x00, 0x00)), 0x0B));
    assertInvalid("unknown function 1", withFunctionAndExports(cat(b(0x01), name("a"), b(0x00, 0x01)), 0x0B));
    assertInvalid("unknown table 0", new ModuleBytes().section(7, cat(b(0x01), name("a"), b(0x01, 0x00))));
    assertInvalid("unknown memory 0", new ModuleBytes().section(7, cat(b(0x01), name("a"), b(0x02, 0x00))));
    assertInvalid("unknown global 0", new ModuleBytes().section(7, cat(b(0x01), name("a"), b(0x03, 0x00))));
  }

  @Test
  void startFunction() {
    assertValid(new ModuleBytes().section(1, TYPES).section(3, 0x01, 0x00).section(8, 0x00).section(10, 0x01, 0x02, 0x00, 0x0B));
    assertInvalid("unknown function 1", new ModuleBytes().section(1, TYPES).section(3, 0x01, 0x00).section(8, 0x01)
        .section(10, 0x01, 0x02, 0x00, 0x0B));
    InvalidException e = invalid(new ModuleBytes().section(1, TYPES).section(3, 0x01, 0x01).section(8, 0x00)
        .section(10, 0x01, 0x04, 0x00, 0x20, 0x00, 0x0B));
    assertEquals("start function", e.reason());
    assertEquals(0, e.functionIndex());
  }

  @Test
  void functionBodyErrorsNameTheFunction() {
    // an import shifts the defined function to index 1
    InvalidException e =
        invalid(
            new ModuleBytes()
                .section(1, TYPES)
                .section(2, cat(b(0x01), name("m"), name("f"), b(0x00, 0x00)))
                .section(3, 0x01, 0x00)
                .section(10, 0x01, 0x04, 0x00, 0x41, 0x00, 0x0B));
    assertEquals("type mismatch", e.reason());
    assertEquals(1, e.functionIndex());
    assertTrue(e.getMessage().contains("function 1"), e.getMessage());
  }

  @Test
  void refFuncInBodiesNeedsADeclaration() {
    // ref.func 0; drop
    int[] body = b(0xD2, 0x00, 0x1A, 0x0B);
    assertInvalid("undeclared function reference", withFunction(body));
    assertValid(withFunctionAndExports(cat(b(0x01), name("f"), b(0x00, 0x00)), body));
    // declared by a declarative element segment
    assertValid(new ModuleBytes().section(1, TYPES).section(3, 0x01, 0x00).section(9, 0x01, 0x03, 0x00, 0x01, 0x00)
        .section(10, cat(b(0x01), ModuleBytes.u32(body.length + 1), b(0x00), body)));
    // declared by a global's initialiser
    assertValid(new ModuleBytes().section(1, TYPES).section(3, 0x01, 0x00).section(6, 0x01, 0x70, 0x00, 0xD2, 0x00, 0x0B)
        .section(10, cat(b(0x01), ModuleBytes.u32(body.length + 1), b(0x00), body)));
  }
}
