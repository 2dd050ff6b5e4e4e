package dev.kiln.tests.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.cli.Main;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.wat.Wat;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code kiln compile --epoch-interruption/--consume-fuel} and {@code kiln run --timeout/--fuel}. */
class RunCommandLimitsTest {
  private static final String WAT = """
      (module
        (global $n (mut i32) (i32.const 0))
        (func $spin (export "spin") (loop $l (global.set $n (i32.add (global.get $n) (i32.const 1))) (br $l)))
        (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
      """;

  @TempDir
  Path dir;

  private Path wasm;

  private record Outcome(int exit, String out, String err) {}

  /** Where spin's loop checks the deadline and the fuel: the frame a trap's line names, on either target. */
  private static final String SPIN = "spin (wasm[0]::function[0]) @ 0x36";

  @BeforeEach
  void write() throws IOException {
    wasm = dir.resolve("loop.wasm");
    Files.write(wasm, Wat.toBinaryWithNames(WAT, "test.wat"));
  }

  private static Outcome kiln(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Outcome(exit, out.toString(), err.toString());
  }

  private Path compile(Target target, String... flags) {
    Path cwasm = dir.resolve(target.displayName() + String.join("", flags) + ".cwasm");
    String[] args = new String[5 + flags.length];
    args[0] = "compile";
    args[1] = "--target";
    args[2] = target.displayName();
    System.arraycopy(flags, 0, args, 3, flags.length);
    args[3 + flags.length] = wasm.toString();
    args[4 + flags.length] = "-o" + cwasm;
    Outcome compiled = kiln(args);
    assertEquals(0, compiled.exit(), compiled.err());
    return cwasm;
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anEndlessLoopStopsWithinTwiceTheTimeout(Target target) {
    LimitedCode.assumeRunnable(target);
    Path cwasm = compile(target, "--epoch-interruption");
    Duration timeout = Duration.ofSeconds(1);
    long start = System.nanoTime();
    Outcome run = kiln("run", cwasm.toString(), "--timeout", "1s", "--invoke", "spin");
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    assertEquals(new Outcome(1, "", "error: trap in " + SPIN + ": interrupt (--timeout 1s elapsed)\n"), run);
    // Loading comes before the timer starts; the issue's bound is twice the timeout.
    assertTrue(elapsed.compareTo(timeout) >= 0 && elapsed.compareTo(timeout.multipliedBy(2)) < 0,
        "stopped after " + elapsed);
    // A run that ends first is not interrupted by the timer it started.
    assertEquals(new Outcome(0, "5\n", ""), kiln("run", cwasm.toString(), "--timeout", "1s", "--invoke", "add", "2", "3"));
  }

  @Test
  void aWasmFileIsCompiledWithTheChecksTheRunAsksFor() {
    // the compile inside the run counts against the timeout: 2 s leaves it room on a loaded machine
    assertEquals(new Outcome(1, "", "error: trap in " + SPIN + ": interrupt (--timeout 2s elapsed)\n"),
        kiln("run", wasm.toString(), "--timeout", "2s", "--invoke", "spin"));
    assertEquals(new Outcome(1, "", "error: trap in " + SPIN + ": out of fuel (--fuel 1000 spent)\n"),
        kiln("run", wasm.toString(), "--fuel", "1000", "--invoke", "spin"));
    assertEquals(new Outcome(0, "5\n", ""), kiln("run", wasm.toString(), "--fuel", "4", "--invoke", "add", "2", "3"));
    assertEquals(new Outcome(1, "", "error: trap in wasm[0]::function[1] @ 0x45: out of fuel (--fuel 0 spent)\n"),
        kiln("run", wasm.toString(), "--fuel", "0", "--invoke", "add", "2", "3"));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void fuelAndATimeoutTogetherStopAtTheFuelWithItsBacktrace(Target target) {
    LimitedCode.assumeRunnable(target);
    Path cwasm = compile(target, "--consume-fuel", "--epoch-interruption");
    Outcome run = kiln("run", cwasm.toString(), "--fuel", "1000", "--timeout", "1m", "--backtrace", "--invoke", "spin");
    assertEquals(1, run.exit());
    assertEquals("error: trap in " + SPIN + ": out of fuel (--fuel 1000 spent)",
        run.err().lines().findFirst().orElseThrow());
    assertTrue(run.err().contains("  at spin"), run.err());
  }

  @Test
  void anArtifactCompiledOtherwiseIsOneLineThatSaysWhatToDo() {
    Path plain = compile(Target.X86_64);
    Outcome run = kiln("run", plain.toString(), "--timeout", "1s", "--invoke", "add", "1", "2");
    assertEquals(1, run.exit());
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().startsWith("error: " + plain + ": incompatible artifact: it was compiled without epoch"
        + " interruption"), run.err());
    assertTrue(run.err().contains("kiln compile --epoch-interruption"), run.err());

    Path metered = compile(Target.X86_64, "--consume-fuel");
    run = kiln("run", metered.toString(), "--invoke", "add", "1", "2");
    assertEquals(1, run.err().lines().count(), run.err());
    assertTrue(run.err().contains("compiled with fuel metering, which this runtime does not ask for"), run.err());
  }

  @Test
  void badLimitsAreOneLineErrors() {
    Outcome run = kiln("run", wasm.toString(), "--timeout", "soon", "--invoke", "add", "1", "2");
    assertEquals(new Outcome(1, "", "error: " + wasm + ": --timeout: \"soon\" is not a duration (e.g. 2s, 500ms, 1m)\n"), run);
    run = kiln("run", wasm.toString(), "--timeout", "0s", "--invoke", "add", "1", "2");
    assertEquals(new Outcome(1, "", "error: " + wasm + ": --timeout must be at least 1ms, got 0s\n"), run);
    run = kiln("run", wasm.toString(), "--fuel", "-1", "--invoke", "add", "1", "2");
    assertEquals(new Outcome(1, "", "error: " + wasm + ": --fuel must be at least 0, got -1\n"), run);
  }

  private static final String MEMORY_WAT = """
      (module
        (memory 2)
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void maxMemoryMakesMemoryGrowReturnMinusOneAndRefusesAnInstantiationThatNeedsMore(Target target)
      throws IOException {
    LimitedCode.assumeRunnable(target);
    Files.write(wasm, Wat.toBinaryWithNames(MEMORY_WAT, "test.wat"));
    String cwasm = compile(target).toString();
    // The instance's VMContext counts too (a few hundred bytes here), so 64 pages no longer fit in 4 MiB.
    assertEquals(new Outcome(0, "2\n", ""), kiln("run", cwasm, "--max-memory", "4MiB", "--invoke", "grow", "61"));
    assertEquals(new Outcome(0, "-1\n", ""), kiln("run", cwasm, "--max-memory", "4MiB", "--invoke", "grow", "62"));
    assertEquals(new Outcome(0, "2\n", ""), kiln("run", cwasm, "--max-memory", "262144", "--invoke", "grow", "1"));
    assertEquals(new Outcome(0, "-1\n", ""), kiln("run", cwasm, "--max-memory", "262144", "--invoke", "grow", "2"));
    Outcome refused = kiln("run", cwasm, "--max-memory", "64k", "--invoke", "grow", "0");
    assertEquals(1, refused.exit());
    assertEquals("", refused.out());
    assertTrue(refused.err().matches("error: \\Q" + cwasm + "\\E: a memory of 2 pages needs 131072 bytes; store #\\d+"
        + " has \\d{3} of its 65536-byte memory limit in use\n"), refused.err());
  }

  /** One funcref table; grow fills every new slot with a function, so each one is really written. */
  private static final String TABLE_WAT = """
      (module
        (table 0 funcref)
        (func $f)
        (elem declare func $f)
        (func (export "grow") (param i32) (result i32) (table.grow 0 (ref.func $f) (local.get 0))))
      """;

  @Test
  void maxMemoryBoundsTheTablesBytesAndMaxTableElementsTheirElements() throws IOException {
    Files.write(wasm, Wat.toBinaryWithNames(TABLE_WAT, "test.wat"));
    String file = wasm.toString();
    assertEquals(new Outcome(0, "-1\n", ""),
        kiln("run", "--no-cache", file, "--max-memory", "1MiB", "--invoke", "grow", String.valueOf(1 << 24)));
    assertEquals(new Outcome(0, "0\n", ""),
        kiln("run", "--no-cache", file, "--max-memory", "1MiB", "--invoke", "grow", "100000"));
    assertEquals(new Outcome(0, "-1\n", ""),
        kiln("run", "--no-cache", file, "--max-memory", "1MiB", "--invoke", "grow", "140000"));
    assertEquals(new Outcome(0, "0\n", ""),
        kiln("run", "--no-cache", file, "--max-table-elements", "10", "--invoke", "grow", "10"));
    assertEquals(new Outcome(0, "-1\n", ""),
        kiln("run", "--no-cache", file, "--max-table-elements", "10", "--invoke", "grow", "11"));
    // Without either option, the default element limit still bounds what the guest gets.
    assertEquals(new Outcome(0, "-1\n", ""), kiln("run", "--no-cache", file, "--invoke", "grow",
        String.valueOf(StoreLimits.DEFAULT_TABLE_ELEMENTS + 1)));
    assertEquals(new Outcome(1, "", "error: " + wasm + ": --max-table-elements must be at least 0, got -1\n"),
        kiln("run", "--no-cache", file, "--max-table-elements", "-1", "--invoke", "grow", "1"));
  }

  /**
   * The red team's module of thousands of empty memories, in small: each reserves 4 GiB and a guard
   * of address space and commits nothing, so only {@code --max-address-space} refuses it.
   */
  @Test
  void emptyMemoriesPastTheAddressSpaceLimitAreOneLine() throws IOException {
    Files.write(wasm, Wat.toBinaryWithNames("(module " + "(memory 0) ".repeat(3)
        + "(func (export \"n\") (result i32) (memory.size 2)))", "test.wat"));
    String file = wasm.toString();
    assertEquals(new Outcome(0, "0\n", ""), kiln("run", "--no-cache", file, "--max-memory", "4KiB", "--invoke", "n"));
    assertEquals(new Outcome(0, "0\n", ""),
        kiln("run", "--no-cache", file, "--max-address-space", "13GiB", "--invoke", "n"));
    Outcome refused = kiln("run", "--no-cache", file, "--max-address-space", "12GiB", "--invoke", "n");
    assertEquals(1, refused.exit());
    assertEquals("", refused.out());
    long reservation = (4L << 30) + (32L << 20);
    assertTrue(refused.err().matches("error: \\Q" + file + "\\E: a memory of 0 pages reserves " + reservation
        + " bytes of address space; store #\\d+ has " + 2 * reservation + " of its " + (12L << 30)
        + "-byte address-space limit in use \\(every 32-bit memory reserves 4 GiB plus a guard region, whatever its"
        + " size\\)\n"), refused.err());
  }

  @Test
  void aBadMemorySizeIsOneLine() {
    assertEquals(new Outcome(1, "", "error: " + wasm + ": --max-memory: \"lots\" is not a size (e.g. 65536, 64KiB,"
        + " 64MiB, 1GiB)\n"), kiln("run", wasm.toString(), "--max-memory", "lots", "--invoke", "add", "1", "2"));
    assertEquals(new Outcome(1, "", "error: " + wasm + ": --max-memory: 9999999999999GiB is more bytes than Kiln can"
        + " count\n"), kiln("run", wasm.toString(), "--max-memory", "9999999999999GiB", "--invoke", "add", "1", "2"));
  }
}
