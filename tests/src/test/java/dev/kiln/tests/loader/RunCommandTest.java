package dev.kiln.tests.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kiln run} on the hand-built artifact: results, traps, and the one-line errors. */
class RunCommandTest {
  @TempDir
  Path dir;

  private Path cwasm;

  private record Outcome(int exit, String out, String err) {}

  @BeforeEach
  void write() throws IOException {
    cwasm = dir.resolve("module.cwasm");
    Files.write(cwasm, HandBuiltArtifact.build());
  }

  private static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(exit, out.toString(), err.toString());
  }

  @Test
  void printsEachResultInSignedDecimal() {
    assertEquals(new Outcome(0, "5\n", ""), run("run", cwasm.toString(), "--invoke", "add", "2", "3"));
    assertEquals(new Outcome(0, "-7\n", ""), run("run", cwasm.toString(), "--invoke", "add", "-3", "-4"));
    assertEquals(new Outcome(0, "-2\n", ""), run("run", cwasm.toString(), "--invoke", "add", "4294967295", "-1"));
    assertEquals(new Outcome(0, "142\n", ""), run("run", cwasm.toString(), "--invoke", "g1"));
    assertEquals(new Outcome(0, "65536\n", ""), run("run", cwasm.toString(), "--invoke", "bytes"));
  }

  @Test
  void repeatedCallsPrintTheResultOnceAndTimeTheFastest() {
    Outcome timed = run("run", cwasm.toString(), "--invoke", "add", "--repeat", "3", "--time", "2", "3");
    assertEquals(0, timed.exit(), timed.err());
    assertTrue(timed.out().matches("5\\nbest_ms=\\d+\\.\\d{3}\\n"), timed.out());
    Outcome none = run("run", cwasm.toString(), "--invoke", "add", "--repeat", "0", "2", "3");
    assertEquals(1, none.exit());
    assertTrue(none.err().contains("--repeat must be at least 1"), none.err());
  }

  @Test
  void withoutInvokeItOnlyInstantiates() {
    assertEquals(new Outcome(0, "", ""), run("run", cwasm.toString()));
  }

  @Test
  void aTrapIsOneLineAndExitOne() {
    assertEquals(new Outcome(1, "", "error: trap: integer divide by zero\n"),
        run("run", cwasm.toString(), "--invoke", "div", "1", "0"));
    assertEquals(new Outcome(1, "", "error: trap: out of bounds memory access\n"),
        run("run", cwasm.toString(), "--invoke", "load", "70000"));
    Outcome traced = run("run", cwasm.toString(), "--backtrace", "--invoke", "div", "1", "0");
    assertEquals(1, traced.exit());
    assertEquals(List.of("error: trap: integer divide by zero", "  at wasm[0]::function[1]"), traced.err().lines().toList());
  }

  @Test
  void badFilesAndArgumentsAreOneLineErrors() throws IOException {
    Path cut = dir.resolve("cut.cwasm");
    byte[] bytes = HandBuiltArtifact.build();
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    Outcome truncated = run("run", cut.toString(), "--invoke", "add", "1", "2");
    assertEquals(1, truncated.exit());
    assertTrue(truncated.err().startsWith("error: " + cut + ": cwasm: "), truncated.err());
    assertEquals(1, truncated.err().lines().count());

    Path wasm = dir.resolve("m.wasm");
    Files.write(wasm, new byte[] {0, 'a', 's', 'm', 2, 0, 0, 0});
    Outcome malformed = run("run", wasm.toString());
    assertEquals(1, malformed.exit());
    assertTrue(malformed.err().startsWith("error: " + wasm + ": malformed: "), malformed.err());
    assertEquals(1, malformed.err().lines().count());

    Outcome unknown = run("run", cwasm.toString(), "--invoke", "nope");
    assertEquals(new Outcome(1, "", "error: " + cwasm + ": no export named \"nope\"\n"), unknown);
    Outcome notANumber = run("run", cwasm.toString(), "--invoke", "add", "two", "3");
    assertEquals(new Outcome(1, "", "error: " + cwasm + ": \"two\" is not a i32\n"), notANumber);
    Outcome arity = run("run", cwasm.toString(), "--invoke", "add", "1");
    assertEquals(1, arity.exit());
    assertTrue(arity.err().contains("takes 2 argument(s)"), arity.err());
  }

  // ---- with the real compiler: examples/hello.wasm exports add and fac ----

  private static final Path HELLO = Path.of("../examples/hello.wasm");

  @Test
  void compileThenRunEndToEnd() {
    Path cwasmOut = dir.resolve("hello.cwasm");
    Outcome compiled = run("compile", HELLO.toString(), "-o", cwasmOut.toString());
    assertEquals(0, compiled.exit(), compiled.err());
    assertEquals(new Outcome(0, "120\n", ""), run("run", cwasmOut.toString(), "--invoke", "fac", "5"));
    assertEquals(new Outcome(0, "2432902008176640000\n", ""),
        run("run", cwasmOut.toString(), "--invoke", "fac", "20"));
  }

  @Test
  void aWasmModuleIsCompiledInMemoryAndRun() throws IOException {
    assertEquals(new Outcome(0, "120\n", ""), run("run", HELLO.toString(), "--invoke", "fac", "5"));
    Path empty = dir.resolve("empty.wasm");
    Files.write(empty, new byte[] {0, 'a', 's', 'm', 1, 0, 0, 0});
    assertEquals(new Outcome(0, "", ""), run("run", empty.toString()), "instantiates, nothing to call");
  }
}
