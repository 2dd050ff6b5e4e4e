package dev.kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bench program's arguments, through CompileTimes' parser: the values read, and the one line
 * each wrong argument gets.
 */
class BenchArgumentsTest {
  private static String error(String... args) {
    return assertThrows(BenchArguments.UsageError.class,
        () -> BenchArguments.read(List.of(args), CompileTimes::options)).getMessage();
  }

  @Test
  void readsOptionsAndOperands(@TempDir Path dir) throws Exception {
    Path wasm = Files.createFile(dir.resolve("m.wasm"));
    CompileTimes.Options o = BenchArguments.read(
        List.of("--iterations", "7", "--warmup", "0", "--jobs", "1", wasm.toString()), CompileTimes::options);
    assertEquals(new CompileTimes.Options(0, 7, 1, List.of(wasm)), o);
  }

  @Test
  void saysWhichArgumentIsWrong(@TempDir Path dir) {
    assertEquals("unknown option --bogus", error("--bogus"));
    assertEquals("--iterations needs a value", error("--iterations"));
    assertEquals("--iterations: 'x' is not a whole number of at least 1", error("--iterations", "x"));
    assertEquals("--jobs: '0' is not a whole number of at least 1", error("--jobs", "0"));
    assertEquals("--warmup: '-1' is not a whole number of at least 0", error("--warmup", "-1"));
    String missing = dir.resolve("missing.wasm").toString();
    assertEquals("no such file or folder: " + missing, error(missing));
  }

  @Test
  void anArgumentLeftUnreadIsOneTooMany() {
    BenchArguments.UsageError e = assertThrows(BenchArguments.UsageError.class,
        () -> BenchArguments.read(List.of("3", "4"), a -> a.count("ROUNDS", a.next())));
    assertEquals("unexpected argument 4", e.getMessage());
  }

  /** Whether reading {@code args} with CompileTimes' parser ends in a request for help. */
  private static boolean asksForHelp(String... args) {
    BenchArguments arguments = new BenchArguments(List.of(args));
    assertThrows(BenchArguments.UsageError.class, () -> arguments.readAll(CompileTimes::options));
    return arguments.asksForHelp();
  }

  @Test
  void helpWhereAnOptionOrOperandStandsButNotAsAnOptionsValue() {
    assertTrue(asksForHelp("-h"));
    assertTrue(asksForHelp("--iterations", "3", "--help"));
    assertTrue(asksForHelp("--bogus", "-h"), "help wins over an error before it");
    assertFalse(asksForHelp("--bogus"));
    assertFalse(asksForHelp("--jobs", "-h"), "--jobs's value, a wrong one: its error stands");
  }
}
