package dev.kiln.wat;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Malformed texts give one line: {@code file:line:column: expected X, found Y}. */
class ErrorMessagesTest {
  private static String error(String text) {
    WatSyntaxException e = assertThrows(WatSyntaxException.class, () -> Wat.toBinary(text, "m.wat"));
    assertEquals(false, e.getMessage().contains("\n"), "one line: " + e.getMessage());
    return e.getMessage();
  }

  @Test
  void syntaxErrorsSayWhereWhatWasExpectedAndWhatWasFound() {
    assertEquals("m.wat:2:19: expected an i32 literal, found ')'", error("(module\n  (func (i32.const)))"));
    assertEquals("m.wat:1:15: expected an instruction, found 'i32.bogus'", error("(module (func i32.bogus))"));
    assertEquals("m.wat:1:25: expected an i32 literal, found '4294967296'",
        error("(module (func i32.const 4294967296 drop))"));
    assertEquals("m.wat:1:10: expected a module field (type, rec, import, func, table, memory, global, tag, export,"
        + " start, elem, data), found 'funk'", error("(module (funk))"));
    assertEquals("m.wat:1:14: expected an instruction or ')', found end of input", error("(module (func"));
    assertEquals("m.wat:1:28: expected the block's label $a, found '$b'", error("(module (func block $a end $b))"));
    assertEquals("m.wat:1:35: expected a power-of-two alignment, found 'align=3'",
        error("(module (memory 1) (func i32.load align=3 drop))"));
  }

  @Test
  void resolutionErrorsNameTheIdentifier() {
    assertEquals("m.wat:1:20: expected a known function, found unknown function $g", error("(module (func call $g))"));
    assertEquals("m.wat:1:19: expected a fresh identifier, found duplicate function $f",
        error("(module (func $f) (func $f))"));
    assertEquals("m.wat:1:18: expected a known label, found unknown label $l", error("(module (func br $l))"));
    assertEquals("m.wat:1:25: expected a known local, found unknown local $x",
        error("(module (func local.get $x drop))"));
    assertEquals("m.wat:1:16: expected imports before the first definition (line 1), found an import after it",
        error("(module (func) (import \"m\" \"f\" (func)))"));
  }

  @Test
  void wasm2TextRulesRejectLargeLimitsAndOffsetsOfThirtyTwoBitMemoriesThat3AcceptsAsInvalid() {
    String memory = "(module (memory 0x1_0000_0000))";
    WatSyntaxException e = assertThrows(WatSyntaxException.class, () -> Wat.toBinary(memory, "m.wat", Edition.WASM_2));
    assertEquals("m.wat:1:17: expected a limit below 2^32, found '0x1_0000_0000'", e.getMessage());
    assertEquals(true, Wat.toBinary(memory, "m.wat", Edition.WASM_3).length > 8);
    assertEquals(true, Wat.toBinary("(module (memory i64 0x1_0000_0000))", "m.wat", Edition.WASM_2).length > 8);
    String offset = "(module (memory 1) (func (drop (i32.load offset=4294967296 (i32.const 0)))))";
    e = assertThrows(WatSyntaxException.class, () -> Wat.toBinary(offset, "m.wat", Edition.WASM_2));
    assertEquals("m.wat:1:33: expected an offset below 2^32 for a 32-bit memory, found 4294967296", e.getMessage());
    assertEquals(true, Wat.toBinary(offset, "m.wat", Edition.WASM_3).length > 8);
  }

  @Test
  void theInlineSignatureMustMatchTheNamedType() {
    String message = error("(module (type $t (func (param i32))) (func (type $t) (param i64)))");
    assertEquals("m.wat:1:44: expected the parameters and results of the type it names, found an inline function"
        + " type that differs", message);
  }
}
