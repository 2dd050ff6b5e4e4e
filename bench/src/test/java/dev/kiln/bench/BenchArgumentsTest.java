package dev.kiln.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A bench program's arguments: the values read, and the one line each wrong argument gets. */
class BenchArgumentsTest {
  /** The shape of CompileTimes' options: numbered options and existing files. */
  private record Read(int iterations, List<Path> files) {}

  private static Read read(BenchArguments a) {
    int iterations = 5;
    List<Path> files = new ArrayList<>();
    while (a.hasNext()) {
      String arg = a.next();
      switch (arg) {
        case "--iterations" -> iterations = a.count(arg);
        case "--warmup" -> a.number(arg, 0);
        default -> files.add(a.existing(arg));
      }
    }
    return new Read(iterations, files);
  }

  private static String error(String... args) {
    return assertThrows(BenchArguments.UsageError.class,
        () -> BenchArguments.read(List.of(args), BenchArgumentsTest::read)).getMessage();
  }

  @Test
  void readsOptionsAndOperands(@TempDir Path dir) throws Exception {
    Path wasm = Files.createFile(dir.resolve("m.wasm"));
    Read r = BenchArguments.read(List.of("--iterations", "7", "--warmup", "0", wasm.toString()),
        BenchArgumentsTest::read);
    assertEquals(new Read(7, List.of(wasm)), r);
  }

  @Test
  void saysWhichArgumentIsWrong(@TempDir Path dir) {
    assertEquals("unknown option --bogus", error("--bogus"));
    assertEquals("--iterations needs a value", error("--iterations"));
    assertEquals("--iterations: 'x' is not a whole number of at least 1", error("--iterations", "x"));
    assertEquals("--iterations: '0' is not a whole number of at least 1", error("--iterations", "0"));
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
}
