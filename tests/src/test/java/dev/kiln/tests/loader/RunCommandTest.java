package dev.kiln.tests.loader;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.cli.Main;
import dev.kiln.wat.Wat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
  void withoutInvokeOrStartItInstantiatesAndListsTheExportedFunctions() {
    Outcome listed = run("run", cwasm.toString());
    assertEquals(2, listed.exit(), listed.err());
    assertEquals("", listed.out());
    assertTrue(listed.err().startsWith(cwasm + " has no _start (a WASI command's entry); call an export with --invoke"),
        listed.err());
    assertTrue(listed.err().contains("\n  add (i32 i32) -> (i32)\n"), listed.err());
  }

  /** The hand-built artifact has no address map: a trap's line names the function, not an offset. */
  @Test
  void aTrapIsOneLineNamingWhereAndExitOne() {
    assertEquals(new Outcome(1, "", "error: trap in wasm[0]::function[1]: integer divide by zero\n"),
        run("run", cwasm.toString(), "--invoke", "div", "1", "0"));
    assertEquals(new Outcome(1, "", "error: trap in wasm[0]::function[2]: out of bounds memory access\n"),
        run("run", cwasm.toString(), "--invoke", "load", "70000"));
    Outcome traced = run("run", cwasm.toString(), "--backtrace", "--invoke", "div", "1", "0");
    assertEquals(1, traced.exit());
    assertEquals(List.of("error: trap in wasm[0]::function[1]: integer divide by zero", "  at wasm[0]::function[1]"),
        traced.err().lines().toList());
  }

  /**
   * A trap in code inlined into its caller names the inlined function, one in a builtin the wasm
   * function that called it: each at its instruction's offset (wasm-objdump: i32.div_s at 0x3e,
   * memory.fill at 0x50).
   */
  @Test
  void aTrapsLineNamesTheInlinedFunctionOrTheBuiltinsCaller() throws IOException {
    Path wasm = Files.write(dir.resolve("traps.wasm"), Wat.toBinaryWithNames("""
        (module
          (memory 1)
          (func $divide (param i32) (result i32) (i32.div_s (i32.const 1) (local.get 0)))
          (func $quotient (export "quotient") (param i32) (result i32) (call $divide (local.get 0)))
          (func $clear (export "clear") (param i32) (memory.fill (local.get 0) (i32.const 0) (i32.const 100))))
        """, "test.wat"));
    Path artifact = dir.resolve("traps.cwasm");
    assertEquals(0, run("compile", wasm.toString(), "-o", artifact.toString()).exit());
    assertEquals(new Outcome(1, "", "error: trap in divide (wasm[0]::function[0]) @ 0x3e: integer divide by zero\n"),
        run("run", artifact.toString(), "--invoke", "quotient", "0"));
    assertEquals(
        new Outcome(1, "", "error: trap in clear (wasm[0]::function[2]) @ 0x50: out of bounds memory access\n"),
        run("run", artifact.toString(), "--invoke", "clear", "65500"));
  }

  @Test
  void aDamagedArtifactIsOneLineNamingSectionAndOffset() throws IOException {
    byte[] bytes = HandBuiltArtifact.build();
    bytes[100] ^= 0x10;
    Path damaged = dir.resolve("damaged.cwasm");
    Files.write(damaged, bytes);
    Outcome refused = run("run", damaged.toString(), "--invoke", "add", "1", "2");
    assertEquals(1, refused.exit());
    assertEquals(1, refused.err().lines().count(), refused.err());
    int sealAt = bytes.length - ArtifactSeal.SIZE;
    assertTrue(refused.err().startsWith("error: " + damaged + ": .kiln.seal at file offset 0x"
        + Integer.toHexString(sealAt + 12) + ": the CRC32C of bytes [0, 0x" + Integer.toHexString(sealAt + 12) + ")"),
        refused.err());
  }

  @Test
  void aSignedArtifactRunsOnlyWithItsKey() throws IOException {
    Path key = dir.resolve("kiln.key");
    Files.write(key, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    Path otherKey = dir.resolve("other.key");
    Files.write(otherKey, "fedcba9876543210fedcba9876543210".getBytes(StandardCharsets.US_ASCII));
    Path signed = dir.resolve("signed.cwasm");
    Outcome compiled = run("compile", "--sign-key", key.toString(), "../examples/hello.wasm", "-o", signed.toString());
    assertEquals(0, compiled.exit(), compiled.err());
    assertTrue(compiled.out().contains("; signed"), compiled.out());

    assertEquals(new Outcome(0, "120\n", ""), run("run", "--verify-key", key.toString(), signed.toString(),
        "--invoke", "fac", "5"));
    assertEquals(new Outcome(0, "120\n", ""), run("run", signed.toString(), "--invoke", "fac", "5"));
    Outcome wrongKey = run("run", "--verify-key", otherKey.toString(), signed.toString(), "--invoke", "fac", "5");
    assertEquals(1, wrongKey.exit());
    assertTrue(wrongKey.err().contains(": .kiln.seal at file offset 0x") && wrongKey.err().contains(
        "the HMAC-SHA256 tag does not match the key"), wrongKey.err());
    Outcome unsigned = run("run", "--verify-key", key.toString(), cwasm.toString(), "--invoke", "add", "1", "2");
    assertEquals(1, unsigned.exit());
    assertTrue(unsigned.err().contains("the artifact is not signed"), unsigned.err());
    assertEquals(1, unsigned.err().lines().count());

    Path shortKey = dir.resolve("short.key");
    Files.write(shortKey, new byte[8]);
    Outcome tooShort = run("compile", "--sign-key", shortKey.toString(), "../examples/hello.wasm", "-o",
        dir.resolve("never.cwasm").toString());
    assertEquals(new Outcome(1, "", "error: --sign-key " + shortKey + ": a signing key needs at least 32 bytes, this"
        + " one has 8 (make one with: head -c 32 /dev/urandom > kiln.key)\n"), tooShort);
  }

  @Test
  void badFilesAndArgumentsAreOneLineErrors() throws IOException {
    Path cut = dir.resolve("cut.cwasm");
    byte[] bytes = HandBuiltArtifact.build();
    Files.write(cut, Arrays.copyOf(bytes, bytes.length / 2));
    Outcome truncated = run("run", cut.toString(), "--invoke", "add", "1", "2");
    assertEquals(1, truncated.exit());
    assertTrue(truncated.err().startsWith("error: " + cut + ": .kiln.seal: the file does not end with a seal"),
        truncated.err());
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
    assertEquals(new Outcome(1, "", "error: " + cwasm + ": \"two\" is not an i32\n"), notANumber);
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
