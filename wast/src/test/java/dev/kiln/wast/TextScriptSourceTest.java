package dev.kiln.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.wast.Outcome.Failed;
import dev.kiln.wast.Outcome.Passed;
import dev.kiln.wast.Outcome.Skipped;
import dev.kiln.wat.Edition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Scripts read by Kiln's own script reader and run through the real pipeline: text-form commands
 * are judged (a quote that parses fails its assert_malformed), the 3.0 module forms run, commands
 * Kiln cannot judge are skipped naming what they need, and a command that does not read fails.
 */
class TextScriptSourceTest {
  @TempDir Path dir;

  private FileReport run(Edition edition, String... lines) throws Exception {
    Path script = Snippets.write(dir, "x.wast", lines);
    return new WastRunner(new TextScriptSource(edition), Target.X86_64, FrontEnd.KILN, X64Codegen.HOST,
        ExecutionLimits.NONE).run(script, "x.wast");
  }

  private static Outcome at(FileReport report, int line) {
    List<CaseResult> matching = report.results().stream().filter(r -> r.line() == line).toList();
    assertEquals(1, matching.size(), "one command at line " + line);
    return matching.getFirst().outcome();
  }

  @Test
  void textFormAssertionsAreJudged() throws Exception {
    FileReport report = run(Edition.WASM_3,
        "(assert_malformed (module quote \"(func\") \"unexpected end\")",
        "(assert_malformed (module quote \"(func)\") \"unexpected token\")",
        "(assert_invalid (module quote \"(func (result i32))\") \"type mismatch\")",
        "(assert_invalid (module quote \"(func\") \"type mismatch\")",
        "(assert_invalid (module (func (result i32))) \"type mismatch\")");
    // Malformed as it must be; the reader words its reason itself, which the note shows (kiln wast -v).
    Passed malformed = assertInstanceOf(Passed.class, at(report, 1));
    assertEquals("expected \"unexpected end\", Kiln's text reader said \"expected an instruction or ')', found end"
        + " of input\"", malformed.note());
    Failed parsed = assertInstanceOf(Failed.class, at(report, 2));
    assertTrue(parsed.got().startsWith("ok"), parsed.got());
    assertInstanceOf(Passed.class, at(report, 3));
    Failed notText = assertInstanceOf(Failed.class, at(report, 4));
    assertTrue(notText.got().startsWith("malformed text: ") && notText.got().contains("x.wast:4: module quote:1:6:"),
        notText.got());
    assertInstanceOf(Passed.class, at(report, 5));
  }

  @Test
  void valuesOfEveryFormCompare() throws Exception {
    FileReport report = run(Edition.WASM_3,
        "(module $m",
        "  (func (export \"nan\") (result f32 f64) (f32.const nan:0x600000) (f64.const -nan))",
        "  (func (export \"v\") (param v128) (result v128) (local.get 0))",
        "  (func (export \"r\") (param externref) (result externref funcref) (local.get 0) (ref.null func)))",
        "(assert_return (invoke $m \"nan\") (f32.const nan:arithmetic) (f64.const nan:canonical))",
        "(assert_return (invoke \"v\" (v128.const i8x16 -1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))"
            + " (v128.const i8x16 255 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16))",
        "(assert_return (invoke \"v\" (v128.const f32x4 1 -0 inf -nan)) (v128.const f32x4 1 -0 inf nan:canonical))",
        "(assert_return (invoke \"r\" (ref.extern 7)) (ref.extern 7) (ref.null func))",
        "(assert_return (invoke \"r\" (ref.extern 7)) (ref.extern 8) (ref.null func))",
        "(assert_return (invoke \"nan\") (f32.const nan:canonical) (f64.const nan:canonical))");
    for (int line = 5; line <= 8; line++) {
      assertSame(Passed.CLEAN, at(report, line), "line " + line);
    }
    assertInstanceOf(Failed.class, at(report, 9));
    // nan:0x600000 is arithmetic (quiet) but not canonical.
    assertInstanceOf(Failed.class, at(report, 10));
  }

  @Test
  void moduleDefinitionsAreInstantiatedByName() throws Exception {
    FileReport report = run(Edition.WASM_3,
        "(module definition $D (global (export \"g\") i32 (i32.const 42)))",
        "(module instance $I $D)",
        "(assert_return (get $I \"g\") (i32.const 42))",
        "(module instance $J $Nope)",
        "(module definition (func (result i32)))");
    assertSame(Passed.CLEAN, at(report, 1));
    assertSame(Passed.CLEAN, at(report, 2));
    assertSame(Passed.CLEAN, at(report, 3));
    assertInstanceOf(Failed.class, at(report, 4));
    assertInstanceOf(Failed.class, at(report, 5)); // a definition must validate
  }

  @Test
  void whatKilnCannotJudgeIsSkippedSayingWhyAndAnUnreadableCommandFails() throws Exception {
    FileReport report = run(Edition.WASM_3,
        "(module (func (export \"f\")))",
        "(assert_exception (invoke \"f\"))",
        "(thread $T (invoke \"f\"))",
        "(assert_return (invoke \"f\") (i32.const 99999999999))");
    // exceptions run now: f returns, so the assertion is judged and fails
    assertInstanceOf(Failed.class, at(report, 2));
    assertTrue(((Skipped) at(report, 3)).reason().contains("threads"));
    Failed unreadable = assertInstanceOf(Failed.class, at(report, 4));
    assertTrue(unreadable.got().contains("x.wast:4:"), unreadable.got());
  }

  /**
   * {@code (either ...)}: the result passes when it is any one of the alternatives, each compared
   * in its own shape (lanes, NaN patterns), and fails when it is none of them.
   */
  @Test
  void anEitherResultIsAnyOneOfItsAlternatives() throws Exception {
    FileReport report = run(Edition.WASM_3,
        "(module (func (export \"two\") (result i32) (i32.const 2))",
        "  (func (export \"v\") (result v128) (v128.const i32x4 1 2 3 4))",
        "  (func (export \"nan\") (result f32) (f32.const nan:0x600000)))",
        "(assert_return (invoke \"two\") (either (i32.const 1) (i32.const 2)))",
        "(assert_return (invoke \"two\") (either (i32.const 1) (i32.const 3)))",
        "(assert_return (invoke \"v\") (either (v128.const i32x4 0 0 0 0) (v128.const i16x8 1 0 2 0 3 0 4 0)))",
        "(assert_return (invoke \"v\") (either (v128.const i32x4 1 2 3 5) (v128.const i64x2 1 2)))",
        "(assert_return (invoke \"nan\") (either (f32.const 0) (f32.const nan:arithmetic)))",
        "(assert_return (invoke \"nan\") (either (f32.const 0) (f32.const nan:canonical)))");
    assertSame(Passed.CLEAN, at(report, 4));
    Failed none = assertInstanceOf(Failed.class, at(report, 5));
    assertEquals("[either [i32:1 (0x1), i32:3 (0x3)]]", none.expected());
    assertEquals("[i32:2 (0x2)]", none.got());
    assertSame(Passed.CLEAN, at(report, 6));
    assertInstanceOf(Failed.class, at(report, 7));
    assertSame(Passed.CLEAN, at(report, 8));
    assertInstanceOf(Failed.class, at(report, 9));
  }

  /** (ref.null) matches any null reference; a defined global reads an earlier one (WebAssembly 3.0). */
  @Test
  void aNullMatchesAnyNullAndAGlobalReadsAnEarlierOne() throws Exception {
    FileReport report = run(Edition.WASM_3,
        "(module (func (export \"n\") (result externref) (ref.null extern)))",
        "(assert_return (invoke \"n\") (ref.null))",
        "(module (global (export \"a\") i32 (i32.const 5)) (global (export \"b\") i32 (global.get 0)))",
        "(assert_return (get \"b\") (i32.const 5))");
    assertSame(Passed.CLEAN, at(report, 2));
    assertSame(Passed.CLEAN, at(report, 4));
  }

  @Test
  void theEditionDecidesTheFeaturesAndAHeaderMayAddSome() throws Exception {
    String twoMemories = "(module (memory 1) (memory 1))";
    assertSame(Passed.CLEAN, at(run(Edition.WASM_3, twoMemories), 1));
    Failed in20 = assertInstanceOf(Failed.class, at(run(Edition.WASM_2, twoMemories), 1));
    assertTrue(in20.got().startsWith("invalid:"), in20.got());
    assertSame(Passed.CLEAN, at(run(Edition.WASM_2, ";;! multi_memory = true", twoMemories), 2));
  }

  @Test
  void aScriptThatDoesNotLexIsOneFailureAtLineZero() throws Exception {
    Path script = Files.write(dir.resolve("bad.wast"), new byte[] {'(', 'm', (byte) 0xFF, ')'});
    FileReport report = new WastRunner(new TextScriptSource(Edition.WASM_3), Target.X86_64, FrontEnd.KILN,
        X64Codegen.HOST, ExecutionLimits.NONE).run(script, "bad.wast");
    assertEquals(1, report.results().size());
    assertEquals(0, report.results().getFirst().line());
    assertTrue(((Failed) report.results().getFirst().outcome()).got().contains("expected UTF-8 text"));
  }
}
