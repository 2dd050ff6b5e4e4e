package dev.kiln.compiler.translate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.compiler.inline.Inliner;
import dev.kiln.ir.Function;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.ir.text.Printer;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.wat.Wat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Golden files under {@code src/test/resources/golden/translate}: a wasm text module, then a
 * {@code ;; expect:} line and the IR of every defined function as {@code ;; } comment lines, so the
 * whole file stays valid wasm text. A {@code ;; limits:} line names the execution-limit settings to
 * compile with (default none), a {@code ;; inline} line has the small callees inlined into each
 * function ({@link Inliner}) before it is printed. Every translated function must pass the IR
 * verifier. With
 * {@code -Dkiln.bless=true} (or {@code KILN_BLESS=1}) the expectation is rewritten instead.
 */
class TranslationGoldenTest {
  static final Path ROOT = Path.of("src", "test", "resources", "golden", "translate");
  static final String MARKER = ";; expect:";
  static final String LIMITS = ";; limits:";
  /** A line of the wat that compiles it with {@link MemoryGuard#DEFAULT} (explicit checks otherwise). */
  static final String MEMORY_GUARD = ";; memory-guard";
  /** A line of the wat that prints each function as {@link Inliner#translate} makes it. */
  static final String INLINE = ";; inline";

  @TestFactory
  Stream<DynamicTest> goldenFiles() throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(ROOT)) {
      files = s.filter(p -> p.toString().endsWith(".wat")).sorted().toList();
    }
    assertFalse(files.isEmpty(), "no golden files in " + ROOT.toAbsolutePath());
    return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(),
        () -> check(p)));
  }

  private static void check(Path path) {
    String text = read(path);
    int marker = text.indexOf("\n" + MARKER + "\n");
    String wat = marker < 0 ? text : text.substring(0, marker + 1);
    String expected = marker < 0 ? null : uncomment(text.substring(marker + MARKER.length() + 2));
    Module module = Wasm.load(Wat.toBinary(wat, "test.wat"));
    ModuleEnvironment env = new ModuleEnvironment(module, 0, true, limitsOf(wat),
        wat.contains("\n" + MEMORY_GUARD + "\n") ? MemoryGuard.DEFAULT : MemoryGuard.NONE);
    Inliner inliner = wat.contains("\n" + INLINE + "\n") ? new Inliner(env) : null;
    StringBuilder actual = new StringBuilder();
    for (int d = 0; d < env.definedFunctionCount(); d++) {
      Function f = inliner != null ? inliner.translate(d, new ReusedGraph()) : FuncTranslator.translate(env, d);
      Verifier.check(f);
      if (d > 0) {
        actual.append('\n');
      }
      actual.append(Printer.print(f));
    }
    String out = actual.toString().endsWith("\n") ? actual.toString() : actual + "\n";
    if (blessing()) {
      if (!out.equals(expected)) {
        write(path, wat + MARKER + "\n" + comment(out));
      }
      return;
    }
    String hint = expected == null
        ? path + " has no '" + MARKER + "' section; run with -Dkiln.bless=true to write it"
        : path + " differs from the expected IR; if the new output is right, rerun with"
            + " -Dkiln.bless=true to rewrite the expectation";
    assertEquals(expected, out, hint);
  }

  /**
   * The compile settings a file asks for on a {@code ;; limits:} line, by their compat-header names
   * ({@code epoch_interruption}, {@code consume_fuel}); none without the line.
   */
  private static ExecutionLimits limitsOf(String wat) {
    for (String line : wat.split("\n")) {
      if (line.startsWith(LIMITS)) {
        List<String> names = List.of(line.substring(LIMITS.length()).trim().split("\\s+"));
        return new ExecutionLimits(names.contains(ExecutionLimits.EPOCH_INTERRUPTION_SETTING),
            names.contains(ExecutionLimits.CONSUME_FUEL_SETTING));
      }
    }
    return ExecutionLimits.NONE;
  }

  static boolean blessing() {
    return Boolean.getBoolean("kiln.bless") || "1".equals(System.getenv("KILN_BLESS"));
  }

  private static String uncomment(String block) {
    StringBuilder sb = new StringBuilder();
    for (String line : block.split("\n")) {
      if (line.equals(";;")) {
        sb.append('\n');
      } else if (line.startsWith(";; ")) {
        sb.append(line, 3, line.length()).append('\n');
      } else {
        throw new IllegalArgumentException("expectation line is not a ';; ' comment: " + line);
      }
    }
    return sb.toString();
  }

  private static String comment(String output) {
    StringBuilder sb = new StringBuilder();
    for (String line : output.split("\n")) {
      sb.append(line.isEmpty() ? ";;" : ";; " + line).append('\n');
    }
    return sb.toString();
  }

  private static String read(Path path) {
    try {
      return Files.readString(path, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void write(Path path, String text) {
    try {
      Files.writeString(path, text, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
