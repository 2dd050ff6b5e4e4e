package dev.kiln.tests.wasi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.loader.exec.Executors;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.WasiExit;
import dev.kiln.runtime.WasiOptions;
import dev.kiln.runtime.WasmModule;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official WASI preview1 testsuite (WebAssembly/wasi-testsuite, {@code
 * ../shared/corpora/wasi-testsuite}: C and AssemblyScript programs, each with an optional JSON
 * expectation) run through the public API on both targets, as the suite's {@code
 * specification.md} prescribes: {@code args}, {@code env}, {@code root} (a directory beside the
 * test, preopened as the guest's {@code /}; copied first, since tests write into it), stdin a
 * stream that is closed at once, the exact {@code exit_code}, and the first {@code len(expected)}
 * characters of stdout and stderr.
 */
class WasiTestsuiteTest {
  private static final Path SUITE =
      Path.of(System.getProperty("kiln.corpora", "../../shared/corpora"), "wasi-testsuite", "tests");
  private static final List<String> LANGUAGES = List.of("c", "assemblyscript");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path scratch;

  /** One test's expectation, with the specification's defaults for what its JSON leaves out. */
  private record Expectation(List<String> args, Map<String, String> env, Path root, int exitCode,
      String stdout, String stderr) {
    static Expectation of(Path wasm) throws IOException {
      Path json = wasm.resolveSibling(wasm.getFileName().toString().replaceFirst("\\.wasm$", ".json"));
      JsonNode spec = Files.exists(json) ? JSON.readTree(json.toFile()) : JSON.createObjectNode();
      List<String> args = new ArrayList<>();
      spec.path("args").forEach(a -> args.add(a.asText()));
      Map<String, String> env = new java.util.LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = spec.path("env").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        env.put(e.getKey(), e.getValue().asText());
      }
      Path root = spec.hasNonNull("root") ? wasm.resolveSibling(spec.get("root").asText()) : null;
      return new Expectation(args, env, root, spec.path("exit_code").asInt(0),
          spec.path("stdout").asText(""), spec.path("stderr").asText(""));
    }
  }

  private record Outcome(int exitCode, String stdout, String stderr) {}

  @TestFactory
  Stream<DynamicTest> everyTestOfTheSuiteOnBothTargets() throws IOException {
    assumeTrue(Files.isDirectory(SUITE), "no wasi-testsuite corpus at " + SUITE);
    List<Path> programs = new ArrayList<>();
    for (String language : LANGUAGES) {
      try (Stream<Path> files = Files.list(SUITE.resolve(language).resolve("testsuite/wasm32-wasip1"))) {
        files.filter(p -> p.toString().endsWith(".wasm")).sorted().forEach(programs::add);
      }
    }
    assertEquals(26, programs.size(), "the suite's 14 C and 12 AssemblyScript programs");
    List<DynamicTest> tests = new ArrayList<>();
    for (Target target : Target.values()) {
      for (Path wasm : programs) {
        String name = target + " " + SUITE.relativize(wasm);
        tests.add(DynamicTest.dynamicTest(name, () -> check(target, wasm)));
      }
    }
    return tests.stream();
  }

  private void check(Target target, Path wasm) throws IOException {
    assumeTrue(Executors.canRun(dev.kiln.artifact.Target.valueOf(target.name())),
        "this host cannot run " + target + " code");
    Expectation expected = Expectation.of(wasm);
    Outcome actual = run(target, wasm, expected);
    assertEquals(expected.exitCode(), actual.exitCode(), "exit code; stderr: " + actual.stderr());
    assertEquals(expected.stdout(), prefix(actual.stdout(), expected.stdout()), "stdout");
    assertEquals(expected.stderr(), prefix(actual.stderr(), expected.stderr()), "stderr");
  }

  /** The suite compares only the first {@code len(expected)} characters of an output. */
  private static String prefix(String actual, String expected) {
    return actual.substring(0, Math.min(actual.length(), expected.length()));
  }

  private Outcome run(Target target, Path wasm, Expectation expected) throws IOException {
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    WasiOptions.Builder wasi = WasiOptions.builder()
        .arg(wasm.getFileName().toString())
        .args(expected.args())
        .stdin(new ByteArrayInputStream(new byte[0]))
        .stdout(stdout)
        .stderr(stderr);
    expected.env().forEach(wasi::env);
    if (expected.root() != null) {
      wasi.preopen(copyOf(expected.root()), "/");
    }
    Engine engine = Engine.builder().target(target).build();
    int status;
    try (WasmModule module = WasmModule.compile(engine, wasm); Store store = new Store(engine)) {
      Instance instance = new Linker(store).wasi(wasi.build()).instantiate(module);
      try {
        instance.func("_start", Runnable.class).run();
        status = 0;
      } catch (WasiExit exit) {
        status = exit.status();
      }
    }
    return new Outcome(status, stdout.toString(StandardCharsets.UTF_8),
        stderr.toString(StandardCharsets.UTF_8));
  }

  /** A fresh copy of a test's root directory: the tests create, write and remove files in it. */
  private Path copyOf(Path root) throws IOException {
    Path copy = Files.createTempDirectory(scratch, root.getFileName().toString());
    try (Stream<Path> tree = Files.walk(root)) {
      tree.filter(p -> !p.getFileName().toString().endsWith(".cleanup")).forEach(source -> {
        Path target = copy.resolve(root.relativize(source).toString());
        try {
          if (Files.isDirectory(source, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(target);
          } else {
            Files.copy(source, target, java.nio.file.LinkOption.NOFOLLOW_LINKS);
          }
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    }
    return copy;
  }
}
