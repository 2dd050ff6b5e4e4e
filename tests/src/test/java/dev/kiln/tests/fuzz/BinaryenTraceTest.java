package dev.kiln.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reference side's reading of binaryen 132's --fuzz-exec output (lines as its interpreter
 * printed them for generated modules) into the form Kiln's harness prints, and the payload
 * binaryen's resolver gives an imported extern global.
 */
class BinaryenTraceTest {
  @Test
  void interpreterOutputBecomesTheNormalisedTrace() {
    assertEquals(List.of(
        "export global$_3", "log -9.223372036854776E18",
        "export func_16", "log -1.6777216E7", "result object", "export e", "result object",
        "export f", "log 0.5 -0.0 nan Infinity", "result i31ref(-3) null function",
        "export g", "log i32x4 0x00000001 0x00000000 0xffffffff 0x7fc00000 externref(139) externalized",
        "trap", "export h", "exception"),
        BinaryenTrace.parse(List.of(
            "[fuzz-exec] export global$_3",
            "[LoggingExternalInterface logging -9223372036854775808]",
            "[fuzz-exec] export func_16",
            "[LoggingExternalInterface logging -16777216]",
            "[fuzz-exec] note result: func_16 => object(null)",
            "[fuzz-exec] export e",
            "[fuzz-exec] note result: e => exnref",
            "[fuzz-exec] export f",
            "[LoggingExternalInterface logging 0.5 -0 -nan:0x400000 inf]",
            "[fuzz-exec] note result: f => i31ref(-3)",
            "null",
            "function",
            "[fuzz-exec] export g",
            "[LoggingExternalInterface logging i32x4 0x00000001 0x00000000 0xffffffff 0x7fc00000 externref(139)"
                + " externalized i31ref(5)]",
            "[trap unreachable]",
            "[fuzz-exec] export h",
            "[exception thrown: imported-js-tag jserror]")));
  }

  /** Kiln's side prints an i32 and an f32 of the same value alike, as binaryen's log does. */
  @Test
  void numbersAreTheDoublesTheyEqual() {
    assertEquals(BinaryenTrace.number("5"), Wasm3Trace.number(5));
    assertEquals(BinaryenTrace.number("1.100000023841858"), Wasm3Trace.number(1.1f));
    assertEquals(BinaryenTrace.number("-0x80000000"), Wasm3Trace.number(Integer.MIN_VALUE));
    assertEquals("nan", BinaryenTrace.number("nan:0x1"));
  }

  /** binaryen 132 threw the rewritten jstag exception with "externref(139)" for fuzzing-support.jserror. */
  @Test
  void externPayloadIsBinaryensForTheSameNames() {
    assertEquals(139, FuzzImportRewriter.externPayload("fuzzing-support", "jserror"));
  }
}
