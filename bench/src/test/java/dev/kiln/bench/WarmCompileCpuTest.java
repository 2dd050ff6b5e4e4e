package dev.kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.runtime.Target;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code bench/run compile-warm}: its arguments, and a run of two rounds on a small module. */
class WarmCompileCpuTest {
  private static final Path HELLO = Path.of("..", "examples", "hello.wasm");
  private static final Path DEFAULT = Path.of("default.wasm");

  private static WarmCompileCpu.Options options(String... args) {
    return BenchArguments.read(List.of(args), a -> WarmCompileCpu.parse(a, DEFAULT));
  }

  private static String error(String... args) {
    return assertThrows(BenchArguments.UsageError.class, () -> options(args)).getMessage();
  }

  @Test
  void readsItsOptions() {
    assertEquals(new WarmCompileCpu.Options(DEFAULT, 4, Runtime.getRuntime().availableProcessors(), Target.X86_64),
        options());
    assertEquals(new WarmCompileCpu.Options(HELLO, 2, 1, Target.AARCH64),
        options("--rounds", "2", "--jobs", "1", "--target", "aarch64", HELLO.toString()));
    assertEquals("--target takes x86_64 or aarch64, not mips", error("--target", "mips"));
    assertEquals("--rounds: '0' is not a whole number of at least 1", error("--rounds", "0"));
    assertEquals("unknown option --bogus", error("--bogus"));
    assertEquals("unexpected argument " + HELLO, error(HELLO.toString(), HELLO.toString()));
    assertEquals("no such file or folder: missing.wasm", error("missing.wasm"));
  }

  @Test
  void eachRoundSaysItsCostAndTheLaterRoundsAreSummarised() throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    WarmCompileCpu.run(new WarmCompileCpu.Options(HELLO, 3, 1, Target.X86_64), new PrintStream(bytes, true, StandardCharsets.UTF_8));
    String out = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(out.startsWith("# hello.wasm: "), out);
    for (int round = 1; round <= 3; round++) {
      assertTrue(out.contains("round " + round + ": "), out);
    }
    assertTrue(out.matches("(?s).*after the first round: best [0-9.]+ s CPU, median [0-9.]+ \\(the first [0-9.]+\\)\\R"), out);
  }
}
