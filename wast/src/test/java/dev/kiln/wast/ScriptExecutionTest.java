package dev.kiln.wast;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wast.Outcome.Failed;
import dev.kiln.wast.Outcome.Passed;
import dev.kiln.wast.Outcome.Skipped;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.exec.Executors;
import dev.kiln.wat.Edition;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Execution commands through the real pipeline (decode, validate, compile for this host, load,
 * instantiate, invoke) on hand-written scripts read by Kiln's script reader.
 */
class ScriptExecutionTest {
  /**
   * A local declaration Kiln refuses to compile: more than 2^20 locals (valid wasm, refused by the
   * translator), which makes its function a refused one.
   */
  private static final String REFUSED_LOCALS = "(local" + " i32".repeat((1 << 20) + 1) + ")";

  @TempDir Path dir;

  private FileReport run(Target target, String... lines) throws Exception {
    Path script = Snippets.write(dir, "x.wast", lines);
    return new WastRunner(new TextScriptSource(Edition.WASM_3), target, FrontEnd.KILN, X64Codegen.HOST,
        ExecutionLimits.NONE).run(script, "x.wast");
  }

  private static Outcome at(FileReport report, int line) {
    List<CaseResult> matching = report.results().stream().filter(r -> r.line() == line).toList();
    assertEquals(1, matching.size(), "one command at line " + line);
    return matching.getFirst().outcome();
  }

  @Test
  void assertReturnComparesResultsBitForBit() throws Exception {
    FileReport report = run(Target.X86_64,
        "(module (func (export \"add\") (param i32 i64) (result i32 i64)",
        "  (i32.add (local.get 0) (i32.const 1)) (i64.sub (local.get 1) (i64.const 1))))",
        "(assert_return (invoke \"add\" (i32.const -1) (i64.const 0)) (i32.const 0) (i64.const -1))",
        "(assert_return (invoke \"add\" (i32.const 1) (i64.const 0)) (i32.const 3) (i64.const -1))");
    assertSame(Passed.CLEAN, at(report, 1));
    assertSame(Passed.CLEAN, at(report, 3));
    Failed wrong = assertInstanceOf(Failed.class, at(report, 4));
    assertEquals("[i32:3 (0x3), i64:18446744073709551615 (0xffffffffffffffff)]", wrong.expected());
    assertEquals("[i32:2 (0x2), i64:18446744073709551615 (0xffffffffffffffff)]", wrong.got());
  }

  @Test
  void assertTrapWantsATrapWhoseMessageStartsWithTheText() throws Exception {
    FileReport report = run(Target.X86_64,
        "(module (func (export \"div\") (param i32) (result i32) (i32.div_u (i32.const 1) (local.get 0))))",
        "(assert_trap (invoke \"div\" (i32.const 0)) \"integer divide by zero\")",
        "(assert_trap (invoke \"div\" (i32.const 0)) \"integer overflow\")",
        "(assert_trap (invoke \"div\" (i32.const 1)) \"integer divide by zero\")",
        "(invoke \"div\" (i32.const 0))",
        "(invoke \"div\" (i32.const 1))");
    assertSame(Passed.CLEAN, at(report, 2));
    assertEquals("trap: integer divide by zero", assertInstanceOf(Failed.class, at(report, 3)).got());
    assertEquals("returned [1]", assertInstanceOf(Failed.class, at(report, 4)).got());
    assertEquals("trap: integer divide by zero", assertInstanceOf(Failed.class, at(report, 5)).got());
    assertSame(Passed.CLEAN, at(report, 6));
  }

  /** What the script names wrongly is the case's failure in the script's terms, not a crash of Kiln (red team 39). */
  @Test
  void anActionOnAMissingExportOrWithTheWrongArgumentCountFailsNamingIt() throws Exception {
    FileReport report = run(Target.X86_64,
        "(module (func (export \"f\") (param i32)) (memory (export \"m\") 1))",
        "(invoke \"g\")",
        "(assert_return (invoke \"m\"))",
        "(assert_trap (invoke \"f\") \"unreachable\")",
        "(assert_return (get \"f\") (i32.const 0))");
    assertEquals("no exported function named \"g\"", assertInstanceOf(Failed.class, at(report, 2)).got());
    assertEquals("no exported function named \"m\"", assertInstanceOf(Failed.class, at(report, 3)).got());
    assertEquals("\"f\" takes 1 arguments, the script passes 0", assertInstanceOf(Failed.class, at(report, 4)).got());
    assertEquals("no exported global named \"f\"", assertInstanceOf(Failed.class, at(report, 5)).got());
  }

  @Test
  void unboundedRecursionIsExhaustionAndTheInstanceStaysUsable() throws Exception {
    FileReport report = run(Target.X86_64,
        "(module (func $f (export \"f\") (call $f)) (func (export \"one\") (result i32) (i32.const 1)))",
        "(assert_exhaustion (invoke \"f\") \"call stack exhausted\")",
        "(assert_return (invoke \"one\") (i32.const 1))");
    assertSame(Passed.CLEAN, at(report, 2));
    assertSame(Passed.CLEAN, at(report, 3));
  }

  /**
   * Red team 6, F1: the tail-call proposal requires unbounded tail calls whatever the argument
   * count. {@code $few} (2 parameters, all in registers) and {@code $many} (20, ints and floats
   * interleaved: on x86-64 four integer and two float arguments on the stack, on AArch64 four and
   * two as well) tail-call each other a million times. Under the old caller-pops convention the
   * call into {@code $many} kept a frame and this exhausted the stack; callee-pops grows {@code
   * $few}'s argument area in place instead. {@code $many} checks every argument it received, and
   * the result counts the iterations, so a misplaced argument or a lost one fails too.
   */
  @Test
  void mutualTailRecursionThroughACalleeWithMoreStackArgumentsRunsInConstantStack() throws Exception {
    List<org.junit.jupiter.api.function.Executable> checks = new java.util.ArrayList<>();
    for (Target target : List.of(Target.X86_64, Target.AARCH64)) {
      FileReport report = run(target, MUTUAL_TAIL_CALLS,
          "(assert_return (invoke \"few\" (i64.const 1000000) (f64.const 0)) (i64.const 7) (f64.const 99000000))",
          "(assert_return (invoke \"many\" " + manyArguments(3) + ") (i64.const 7) (f64.const 297))",
          "(assert_trap (invoke \"many\" " + manyArguments(3).replace("(i64.const 13)", "(i64.const 14)")
              + ") \"unreachable\")");
      if (target == Target.AARCH64 && !Executors.canRun(dev.kiln.artifact.Target.AARCH64)) {
        assertInstanceOf(Skipped.class, at(report, 2));
        continue;
      }
      for (int line = 1; line <= 4; line++) {
        int l = line;
        checks.add(() -> assertSame(Passed.CLEAN, at(report, l), target + " line " + l));
      }
    }
    org.junit.jupiter.api.Assertions.assertAll(checks);
  }

  /**
   * {@code $few (n, acc)} tail-calls {@code $many} with 20 arguments: i64 {@code n + 2k} and f64
   * {@code 2k + 1} for k = 1..9 after {@code n, acc}; {@code $many} traps unless each integer is
   * {@code n + 2k}, and tail-calls {@code $few (n - 1, acc + the nine floats)} (99 a round).
   */
  private static final String MUTUAL_TAIL_CALLS = "(module"
      + " (func $few (export \"few\") (param $n i64) (param $acc f64) (result i64 f64)"
      + "  (if (result i64 f64) (i64.eqz (local.get $n)) (then (i64.const 7) (local.get $acc))"
      + "   (else (return_call $many (local.get $n) (local.get $acc)"
      + java.util.stream.IntStream.rangeClosed(1, 9).mapToObj(k -> " (i64.add (local.get $n) (i64.const "
          + 2 * k + ")) (f64.const " + (2 * k + 1) + ")").collect(java.util.stream.Collectors.joining())
      + "))))"
      + " (func $many (export \"many\") (param i64 f64" + " i64 f64".repeat(9) + ") (result i64 f64)"
      + java.util.stream.IntStream.rangeClosed(1, 9).mapToObj(k -> " (if (i64.ne (local.get " + 2 * k
          + ") (i64.add (local.get 0) (i64.const " + 2 * k + "))) (then unreachable))")
          .collect(java.util.stream.Collectors.joining())
      + "  (return_call $few (i64.sub (local.get 0) (i64.const 1)) (f64.add (local.get 1)"
      + java.util.stream.IntStream.rangeClosed(1, 8).mapToObj(k -> " (f64.add (local.get " + (2 * k + 1) + ")")
          .collect(java.util.stream.Collectors.joining())
      + " (local.get 19)" + ")".repeat(8) + "))))";

  /** The 20 arguments {@code $few} passes {@code $many} for {@code n} and an accumulator of 0. */
  private static String manyArguments(int n) {
    StringBuilder args = new StringBuilder("(i64.const " + n + ") (f64.const 0)");
    for (int k = 1; k <= 9; k++) {
      args.append(" (i64.const ").append(n + 2 * k).append(") (f64.const ").append(2 * k + 1).append(")");
    }
    return args.toString();
  }

  @Test
  void namedModulesAndGlobalsAreReachable() throws Exception {
    FileReport report = run(Target.X86_64,
        "(module $a (global (export \"g\") i32 (i32.const 7)) (func (export \"f\") (result i32) (i32.const 1)))",
        "(module $b (func (export \"f\") (result i32) (i32.const 2)))",
        "(assert_return (invoke $a \"f\") (i32.const 1))",
        "(assert_return (invoke \"f\") (i32.const 2))",
        "(assert_return (get $a \"g\") (i32.const 7))");
    for (int line = 1; line <= 5; line++) {
      assertSame(Passed.CLEAN, at(report, line), "line " + line);
    }
  }

  @Test
  void modulesLinkToSpectestAndToRegisteredInstances() throws Exception {
    FileReport report = run(Target.X86_64,
        "(module (func $print (import \"spectest\" \"print_i32\") (param i32))",
        "  (global $g (import \"spectest\" \"global_i32\") i32)",
        "  (func (export \"f\") (result i32) (call $print (i32.const 1)) (global.get $g)))",
        "(assert_return (invoke \"f\") (i32.const 666))",
        "(module $m (memory (export \"mem\") 1) (func (export \"load\") (result i32) (i32.load8_u (i32.const 0))))",
        "(register \"m\" $m)",
        "(module (memory (import \"m\" \"mem\") 1) (data (i32.const 0) \"\\01\"))",
        "(assert_return (invoke $m \"load\") (i32.const 1))",
        "(assert_unlinkable (module (import \"m\" \"nope\" (func))) \"unknown import\")",
        "(assert_unlinkable (module (import \"m\" \"mem\" (memory 2))) \"incompatible import type\")",
        "(assert_trap (module (memory (import \"m\" \"mem\") 1) (data (i32.const 65536) \"\\01\")) \"out of bounds memory access\")",
        "(assert_unlinkable (module (import \"m\" \"load\" (func))) \"unknown import\")");
    for (int line = 1; line <= 11; line++) {
      if (line != 2 && line != 3) {
        assertSame(Passed.CLEAN, at(report, line), "line " + line);
      }
    }
    // The wrong failure class fails: this import exists with a different type.
    Passed noted = assertInstanceOf(Passed.class, at(report, 12));
    assertTrue(noted.note().contains("incompatible import type"), noted.note());
  }

  @Test
  void aModuleThatMayHaveWrittenToARegisteredInstanceMakesItUncheckable() throws Exception {
    FileReport report = run(Target.X86_64,
        "(module $m (memory (export \"mem\") 1) (func (export \"load\") (result i32) (i32.load8_u (i32.const 0))))",
        "(register \"m\" $m)",
        "(assert_return (invoke $m \"load\") (i32.const 0))",
        "(module (memory (import \"m\" \"mem\") 1) (data (i32.const 0) \"\\01\")",
        "  (func $f " + REFUSED_LOCALS + ") (start $f))",
        "(assert_return (invoke $m \"load\") (i32.const 1))");
    assertSame(Passed.CLEAN, at(report, 3));
    assertInstanceOf(Skipped.class, at(report, 4));
    assertTrue(assertInstanceOf(Skipped.class, at(report, 6)).reason().contains("line 4"));
  }

  @Test
  void commandsThatReachARefusedFunctionAreSkippedAndTheRestRun() throws Exception {
    FileReport report = run(Target.X86_64,
        "(module",
        "  (func (export \"int\") (result i32) (i32.const 7))",
        "  (func $refused (export \"refused\") (result i32) " + REFUSED_LOCALS,
        "    (i32.const 2))",
        "  (func (export \"via\") (param i32) (result i32) (if (local.get 0) (then (call $void))) (i32.const 1))",
        "  (func $void (drop (call $refused))))",
        "(assert_return (invoke \"int\") (i32.const 7))",
        "(assert_return (invoke \"refused\") (i32.const 2))",
        "(assert_trap (invoke \"refused\") \"unreachable\")",
        "(invoke \"via\" (i32.const 1))",
        "(assert_return (invoke \"via\" (i32.const 0)) (i32.const 1))",
        "(assert_exhaustion (invoke \"via\" (i32.const 1)) \"call stack exhausted\")");
    assertSame(Passed.CLEAN, at(report, 1));
    assertSame(Passed.CLEAN, at(report, 7));
    for (int line : new int[] {8, 9, 10, 12}) {
      String reason = assertInstanceOf(Skipped.class, at(report, line), "line " + line).reason();
      assertTrue(reason.startsWith("reaches a function Kiln cannot compile yet: 1048577 locals at 0x"),
          reason);
    }
    // "via" is integer-only and compiled: it runs, and only the path into the stub is skipped.
    assertSame(Passed.CLEAN, at(report, 11));
  }

  @Test
  void reachingARefusedFunctionMakesAnInstanceWithWritableStateUncheckable() throws Exception {
    FileReport report = run(Target.X86_64,
        "(module (memory 1)",
        "  (func $refused " + REFUSED_LOCALS + " (i32.store (i32.const 16) (i32.const 2)))",
        "  (func (export \"store\") (i32.store8 (i32.const 0) (i32.const 1)) (call $refused))",
        "  (func (export \"load\") (result i32) (i32.load8_u (i32.const 0))))",
        "(assert_return (invoke \"load\") (i32.const 0))",
        "(invoke \"store\")",
        "(assert_return (invoke \"load\") (i32.const 1))");
    assertSame(Passed.CLEAN, at(report, 5));
    assertTrue(assertInstanceOf(Skipped.class, at(report, 6)).reason().startsWith("reaches a function"));
    String reason = assertInstanceOf(Skipped.class, at(report, 7)).reason();
    assertTrue(reason.startsWith("its state may differ from the spec's"), reason);
  }

  @Test
  void aStartFunctionThatReachesARefusedFunctionSkipsTheModule() throws Exception {
    FileReport report = run(Target.X86_64,
        "(module (func $f " + REFUSED_LOCALS + ") (start $f)",
        "  (func (export \"int\") (result i32) (i32.const 7)))",
        "(assert_return (invoke \"int\") (i32.const 7))");
    String reason = assertInstanceOf(Skipped.class, at(report, 1)).reason();
    assertTrue(reason.startsWith("its start function reaches a function Kiln cannot compile yet: "), reason);
    assertEquals(reason, assertInstanceOf(Skipped.class, at(report, 3)).reason());
  }

  @Test
  void onAarch64ModulesRunOnTheEmulatorOrAreSkippedWithTheReason() throws Exception {
    FileReport report = run(Target.AARCH64,
        "(module (func (export \"f\") (result i32) (i32.const 1))",
        "  (func (export \"g\") unreachable))",
        "(assert_return (invoke \"f\") (i32.const 1))",
        "(assert_trap (invoke \"g\") \"unreachable\")");
    assertSame(Passed.CLEAN, at(report, 1));
    if (Executors.canRun(dev.kiln.artifact.Target.AARCH64)) {
      assertSame(Passed.CLEAN, at(report, 3));
      assertSame(Passed.CLEAN, at(report, 4));
    } else {
      assertEquals(Instantiator.AARCH64_NOT_RUN, assertInstanceOf(Skipped.class, at(report, 3)).reason());
      assertEquals(Instantiator.AARCH64_NOT_RUN, assertInstanceOf(Skipped.class, at(report, 4)).reason());
    }
  }
}
