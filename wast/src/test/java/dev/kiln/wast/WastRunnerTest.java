package dev.kiln.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wast.Outcome.Failed;
import dev.kiln.wast.Outcome.Passed;
import dev.kiln.wast.Outcome.Skipped;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.Features;
import dev.kiln.wat.Edition;
import dev.kiln.artifact.vm.ExecutionLimits;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine end to end on hand-written scripts read by Kiln's script reader, with a fake front
 * end whose verdicts depend only on the module's size, so these tests check the runner and not
 * Kiln's decoder: fewer than 8 bytes is malformed, exactly 8 (the empty module) is valid, more is
 * invalid.
 */
class WastRunnerTest {
  private static final FrontEnd BY_SIZE = (bytes, features) -> {
    if (bytes.length < 8) {
      throw new MalformedException("unexpected end", bytes.length);
    }
    if (bytes.length > 8) {
      throw new InvalidException("type mismatch", 8, 0);
    }
    return dev.kiln.wasm.Wasm.load(bytes); // the empty module, which the real pipeline instantiates
  };

  @TempDir Path dir;

  private FileReport run(FrontEnd frontEnd, String... lines) throws Exception {
    Path script = Snippets.write(dir, "t.wast", lines);
    return new WastRunner(new TextScriptSource(Edition.WASM_3), Target.X86_64, frontEnd, X64Codegen.HOST,
        ExecutionLimits.NONE).run(script, "t.wast");
  }

  private static Outcome at(FileReport report, int line) {
    List<CaseResult> matching = report.results().stream().filter(r -> r.line() == line).toList();
    assertEquals(1, matching.size(), "one command at line " + line);
    return matching.getFirst().outcome();
  }

  @Test
  void moduleCommandsPassWhenTheModuleLoads() throws Exception {
    FileReport report = run(BY_SIZE,
        "(module)",
        "(module (func))");
    assertSame(Passed.CLEAN, at(report, 1));
    Failed failed = assertInstanceOf(Failed.class, at(report, 2));
    assertEquals("a valid module", failed.expected());
    assertEquals("invalid: at 0x8 (function 0): type mismatch", failed.got());
    assertEquals(new Tally(1, 1, 0), report.tally());
  }

  @Test
  void assertMalformedWantsAMalformedException() throws Exception {
    FileReport report = run(BY_SIZE,
        "(assert_malformed (module binary \"\\00asm\") \"unexpected end\")",
        "(assert_malformed (module binary \"\\00asm\\01\\00\\00\\00\") \"length out of bounds\")",
        "(assert_malformed (module binary \"\\00asm\\01\\00\\00\\00\\01\\00\") \"section size mismatch\")");
    assertSame(Passed.CLEAN, at(report, 1));
    Failed loaded = assertInstanceOf(Failed.class, at(report, 2));
    assertEquals("malformed \"length out of bounds\"", loaded.expected());
    assertTrue(loaded.got().startsWith("ok"), loaded.got());
    // The wrong class fails, and the expected text is shown beside Kiln's reason.
    Failed wrongClass = assertInstanceOf(Failed.class, at(report, 3));
    assertEquals("malformed \"section size mismatch\"", wrongClass.expected());
    assertEquals("invalid: at 0x8 (function 0): type mismatch", wrongClass.got());
  }

  @Test
  void assertInvalidWantsAnInvalidExceptionAndNotesOtherWording() throws Exception {
    FileReport report = run(BY_SIZE,
        "(assert_invalid (module (func (result i32))) \"type mismatch\")",
        "(assert_invalid (module (func (local.get 0))) \"unknown local\")",
        "(assert_invalid (module binary \"\\00asm\") \"type mismatch\")");
    assertSame(Passed.CLEAN, at(report, 1));
    Passed noted = assertInstanceOf(Passed.class, at(report, 2));
    assertEquals("expected \"unknown local\", Kiln said \"type mismatch\"", noted.note());
    Failed wrongClass = assertInstanceOf(Failed.class, at(report, 3));
    assertEquals("malformed: at 0x4: unexpected end", wrongClass.got());
  }

  @Test
  void commandsOnAModuleThatDidNotLoadAreSkippedAndAQuoteIsJudgedWithoutIt() throws Exception {
    FileReport report = run(BY_SIZE,
        "(module (func (export \"f\") (result i32) (i32.const 1)))",
        "(assert_return (invoke \"f\") (i32.const 1))",
        "(assert_trap (invoke \"f\") \"unreachable\")",
        "(invoke \"f\")",
        "(register \"m\")",
        "(assert_malformed (module quote \"(func\") \"unexpected token\")",
        "(assert_unlinkable (module) \"unknown import\")",
        "(assert_trap (module (func)) \"unreachable\")"); // read as assert_uninstantiable
    assertInstanceOf(Failed.class, at(report, 1)); // more than 8 bytes: "invalid" for the fake
    for (int line = 2; line <= 5; line++) {
      assertInstanceOf(Skipped.class, at(report, line), "line " + line);
    }
    assertTrue(((Skipped) at(report, 5)).reason().contains("failed to load"), "register of a module not run");
    // A module quote that does not parse is malformed whatever the module before it did.
    assertInstanceOf(Passed.class, at(report, 6));
    // The empty module links: assert_unlinkable fails on it.
    Failed linked = assertInstanceOf(Failed.class, at(report, 7));
    assertEquals("instantiated", linked.got());
    // assert_uninstantiable still requires a valid module: this one is not, so it fails.
    Failed invalid = assertInstanceOf(Failed.class, at(report, 8));
    assertTrue(invalid.got().startsWith("invalid:"), invalid.got());
    assertEquals(new Tally(1, 3, 4), report.tally());
  }

  @Test
  void aCrashInTheFrontEndIsThatCasesFailureNotTheRunsEnd() throws Exception {
    FileReport report = run((bytes, features) -> {
          throw new IllegalStateException("boom");
        },
        "(module)",
        "(assert_malformed (module binary \"\") \"unexpected end\")");
    assertEquals("crash: java.lang.IllegalStateException: boom", ((Failed) at(report, 1)).got());
    assertEquals("crash: java.lang.IllegalStateException: boom", ((Failed) at(report, 2)).got());
  }

  @Test
  void aCommandThatDoesNotParseIsThatCommandsFailure() throws Exception {
    FileReport report = run(BY_SIZE, "(module)", "(module (func (i32.const)))", "(module)");
    assertSame(Passed.CLEAN, at(report, 1));
    Failed failed = assertInstanceOf(Failed.class, at(report, 2));
    assertTrue(failed.got().contains("t.wast:2:"), failed.got());
    assertSame(Passed.CLEAN, at(report, 3));
  }

  @Test
  void aScriptThatDoesNotLexIsOneFailureAtLineZero() throws Exception {
    FileReport report = run(BY_SIZE, "(module)", "(module \"unterminated");
    assertEquals(1, report.results().size());
    assertEquals(0, report.results().getFirst().line());
    Failed failed = assertInstanceOf(Failed.class, report.results().getFirst().outcome());
    assertTrue(failed.got().contains("t.wast:2:"), failed.got());
  }

  @Test
  void aProposalScriptOfThe2022SuiteIsJudgedWithItsFoldersFeatures() throws Exception {
    Path proposal = Files.createDirectories(dir.resolve("proposals/tail-call"));
    Path script = Snippets.write(proposal, "rc.wast",
        "(module (func $f (return_call $f)))");
    List<Features> seen = new ArrayList<>();
    FileReport report = new WastRunner(new TextScriptSource(Edition.WASM_2), Target.AARCH64,
        (bytes, features) -> {
          seen.add(features);
          return FrontEnd.KILN.load(bytes, features);
        }, X64Codegen.HOST, ExecutionLimits.NONE).run(script, "tail-call/rc.wast");
    assertEquals(new Tally(1, 0, 0), report.tally());
    assertEquals(List.of(Features.STANDARD), seen, "the front end gets the script's features");
  }
}
