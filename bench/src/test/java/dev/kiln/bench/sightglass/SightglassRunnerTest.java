package dev.kiln.bench.sightglass;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.bench.BenchArguments;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runner's pieces that decide verdicts: corpus discovery, inputs, output comparison, results. */
class SightglassRunnerTest {
  @TempDir Path root;

  @Test
  void readsItsOptions() {
    SightglassRunner.Options o = BenchArguments.read(List.of("--engines", "kiln-cli,kiln-warm", "--only",
        "json", "--repeat", "3", "--timeout", "60", root.toString()), SightglassRunner::options);
    assertEquals(List.of(Engine.KILN_CLI, Engine.KILN_WARM), o.engines());
    assertEquals("json", o.only());
    assertEquals(3, o.repeat());
    assertEquals(60, o.timeoutSeconds());
    assertEquals(root.toAbsolutePath().normalize(), o.root());
  }

  @Test
  void helpAsAnOptionsValueIsThatValue() {
    SightglassRunner.Options o = BenchArguments.read(List.of("--only", "-h", root.toString()),
        SightglassRunner::options);
    assertEquals("-h", o.only());
  }

  @Test
  void refusesAnUnknownEngineAndASecondFolder() {
    Function<BenchArguments, SightglassRunner.Options> options = SightglassRunner::options;
    BenchArguments.UsageError e = assertThrows(BenchArguments.UsageError.class,
        () -> BenchArguments.read(List.of("--engines", "kiln,wasmtime-py", root.toString()), options));
    assertTrue(e.getMessage().startsWith("unknown engine wasmtime-py (kiln, "), e.getMessage());
    e = assertThrows(BenchArguments.UsageError.class,
        () -> BenchArguments.read(List.of(root.toString(), root.toString()), options));
    assertEquals("unexpected argument " + root, e.getMessage());
  }

  @Test
  void discoversProgramsWithTheirInputsAndExpectedFiles() throws Exception {
    Path bz2 = Files.createDirectories(root.resolve("bz2"));
    Files.write(bz2.resolve("benchmark.wasm"), new byte[] {0, 'a', 's', 'm'});
    Files.writeString(bz2.resolve("default.input"), "in");
    Files.writeString(bz2.resolve("README.md"), "doc");
    Files.writeString(bz2.resolve("benchmark.stdout.expected"), "out\n");
    Path shootout = Files.createDirectories(root.resolve("shootout"));
    Files.write(shootout.resolve("shootout-fib2.wasm"), new byte[] {0});
    Files.writeString(shootout.resolve("shootout-fib2.n.input"), "30");
    Files.writeString(shootout.resolve("default.stderr.expected"), "");
    Files.writeString(root.resolve("md.input.md"), "");

    List<Program> programs = Program.discover(root);
    assertEquals(List.of("bz2/benchmark.wasm", "shootout/shootout-fib2.wasm"),
        programs.stream().map(Program::id).toList());
    Program b = programs.get(0);
    assertEquals(List.of(bz2.resolve("default.input")), b.inputs());
    assertEquals(Optional.of(bz2.resolve("benchmark.stdout.expected")), b.expected("stdout"));
    assertEquals(Optional.empty(), b.expected("stderr"));
    Program f = programs.get(1);
    assertEquals("shootout-fib2", f.name());
    assertEquals(Optional.of(shootout.resolve("default.stderr.expected")), f.expected("stderr"));

    Path scratch = f.prepareScratch(root.resolve("scratch"));
    assertTrue(Files.exists(scratch.resolve("shootout-fib2.n.input")));
    Files.writeString(scratch.resolve("leftover"), "x");
    assertTrue(Files.notExists(f.prepareScratch(root.resolve("scratch")).resolve("leftover")));
  }

  @Test
  void outputsCompareLineByLineIgnoringCarriageReturnsAndOneFinalNewline() throws Exception {
    Path expected = Files.writeString(root.resolve("e"), "a\nb\n");
    assertEquals("match", OutputCheck.verdict(Optional.of(expected), Files.writeString(root.resolve("1"), "a\r\nb")));
    assertEquals("DIFF(line 2)", OutputCheck.verdict(Optional.of(expected), Files.writeString(root.resolve("2"), "a\nc\n")));
    assertEquals("DIFF(line 3)", OutputCheck.verdict(Optional.of(expected), Files.writeString(root.resolve("3"), "a\nb\n\n")));
    assertEquals("unchecked", OutputCheck.verdict(Optional.empty(), root.resolve("none")));
    assertEquals("DIFF(no output file)", OutputCheck.verdict(Optional.of(expected), root.resolve("none")));
  }

  @Test
  void resultLinesRoundTripAndNodeLinesParse() {
    ResultLine r = ResultLine.parse(ResultLine.format(3, 1.5, 2, 3.25, 4));
    assertEquals(Optional.of("3"), r.get("exit"));
    assertEquals(Optional.of(3.25), r.millis("bench_ms"));
    ResultLine failure = ResultLine.parse(ResultLine.formatFailure("refused: v128.const at 0x38b\nnext"));
    assertEquals(Optional.of("refused: v128.const at 0x38b next"), failure.get("reason"));
    ResultLine node = ResultLine.parse(ResultLine.PREFIX
        + "bz2/benchmark.wasm iter=0 exit=0 compile_ms=12.5 bench_ms=80.25 total_ms=90 stdout:match");
    assertEquals(Optional.of(80.25), node.millis("bench_ms"));
    assertEquals(Optional.of("0"), node.get("exit"));
  }

  @Test
  void statusNamesWhyARunDidNotPass() {
    var ok = new SightglassRunner.Outcome(ResultLine.parse(ResultLine.format(0, 1, 1, 1, 1)), "match", "match");
    assertEquals("ok", ok.status());
    var diff = new SightglassRunner.Outcome(ResultLine.parse(ResultLine.format(0, 1, 1, 1, 1)), "DIFF(line 1)", "match");
    assertEquals("output differs", diff.status());
    var exit = new SightglassRunner.Outcome(ResultLine.parse(ResultLine.format(2, 1, 1, 1, 1)), "match", "match");
    assertEquals("exit 2", exit.status());
    var refused = new SightglassRunner.Outcome(ResultLine.failed("refused: v128"), "-", "-");
    assertEquals("refused", refused.status());
    assertEquals("refused: v128", refused.why());
  }
}
