package dev.kiln.tests.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kiln.cli.Main;
import dev.kiln.wat.Wat;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A guest that attacks its preopen as an attacker would (src/test/resources/wasi/sandbox-attacks.wat:
 * the symlink swap of issue 11, ".." from a subdirectory descriptor, links, renames, absolute and
 * escaping symlinks, loops, wild iovecs) run by {@code kiln run --dir} on both targets. Its output,
 * one errno per step, must be the expected listing (every escape {@code NOTCAPABLE}, as Node's WASI
 * reports; Wasmtime 49 says {@code PERM} for the same steps), it must never print the secret, and the
 * directory above the preopen must be left exactly as it was.
 */
class SandboxEscapeTest {
  private static final Path RESOURCES = Path.of("src/test/resources/wasi");
  private static final String SECRET = "SECRET-OUTSIDE-THE-PREOPEN";

  private static Path wasm;

  @TempDir Path dir;

  @BeforeAll
  static void build(@TempDir Path shared) throws Exception {
    wasm = Files.write(shared.resolve("sandbox-attacks.wasm"),
        Wat.toBinaryWithNames(Files.readString(RESOURCES.resolve("sandbox-attacks.wat")), "test.wat"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"x86_64", "aarch64"})
  void everyEscapeIsRefusedAndNothingOutsideChanges(String target) throws Exception {
    Path outside = Files.createDirectory(dir.resolve("outside"));
    Path root = Files.createDirectory(outside.resolve("root"));
    Path secret = Files.writeString(outside.resolve("secret.txt"), SECRET);
    Path program = wasm;
    if (target.equals("aarch64")) {
      program = dir.resolve("attacks.cwasm");
      assertEquals(0, Main.run(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()),
          "compile", "--target", "aarch64", wasm.toString(), "-o", program.toString()));
    }
    String stdout = runCapturingStdout("run", program.toString(), "--dir", root + "::.");
    assertEquals(Files.readString(RESOURCES.resolve("sandbox-attacks.expected")), stdout);
    assertFalse(stdout.contains("SECRET"), stdout);
    assertEquals(SECRET, Files.readString(secret));
    try (Stream<Path> above = Files.list(outside)) {
      assertEquals(List.of("root", "secret.txt"),
          above.map(p -> p.getFileName().toString()).sorted().toList());
    }
  }

  /** Runs kiln in this JVM with System.out captured, where a WASI guest's stdout goes. */
  private static String runCapturingStdout(String... args) {
    PrintStream saved = System.out;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    StringWriter err = new StringWriter();
    int exit;
    try {
      System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
      exit = Main.run(new PrintWriter(new StringWriter()), new PrintWriter(err), args);
    } finally {
      System.setOut(saved);
    }
    assertEquals(0, exit, err.toString());
    return out.toString(StandardCharsets.UTF_8);
  }
}
