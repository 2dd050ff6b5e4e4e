package dev.kiln.tests.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiPredicate;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Differential fuzzing of the compiler and runtime (issue 12, item 5): binaryen's {@code wasm-opt
 * -ttf --denan} turns seeded random bytes into a valid module, whose exports then run on Kiln's
 * x86-64 code (natively), Kiln's AArch64 code (on the Unicorn executor) and Node's V8; the three
 * {@link DiffTrace}s (every log call, result and trap) must be equal, but for the NaN bits of v128
 * float arithmetic, which the spec leaves to the target ({@link #compare}). Every second module
 * uses SIMD (issue 16, item 2). Modules once found to differ are kept in
 * src/test/resources/difffuzz/regressions/ and run every time.
 *
 * <p>Seeded and reproducible: module {@code n} comes from seed {@code kiln.difffuzz.seed + n}. The
 * default run is a short slice; {@code scripts/difffuzz SECONDS} runs for longer and prints the
 * count. A mismatch is written to target/difffuzz-failures/ (module and the three traces), to be
 * reduced with {@code wasm-reduce} into a regression.
 */
class DifferentialFuzzTest {
  static final Path REFERENCE = Path.of("src/test/resources/difffuzz/reference.mjs");
  private static final long SEED = Long.getLong("kiln.difffuzz.seed", 0x6b696c6e_64696666L);
  private static final int MODULES = Integer.getInteger("kiln.difffuzz.modules", 40);
  private static final long SECONDS = Long.getLong("kiln.difffuzz.seconds", 0);
  private static final Path RESOURCES = Path.of("src/test/resources/difffuzz");
  private static final Path FAILURES = Path.of("target/difffuzz-failures");
  /** A progress line every this many modules. */
  private static final int PROGRESS_EVERY = 1000;

  private final DifferentialHarness harness = new DifferentialHarness("V8", FAILURES);
  private final PhaseTimes times = harness.times;

  @AfterEach
  void stopWorkers() {
    harness.close();
  }

  @Test
  void generatedModulesBehaveAlikeOnKilnX64KilnAArch64AndV8() throws Exception {
    Path work = Files.createTempDirectory("kiln-difffuzz");
    // Scratch for the generated modules (each deleted once compared); kept modules go to FAILURES.
    try {
      DifferentialHarness.Slice slice = DifferentialHarness.Slice.of(SECONDS, MODULES);
      List<String> mismatches = new ArrayList<>();
      int modules = 0;
      long calls = 0;
      try (ReferenceEngine v8 = new ReferenceEngine(REFERENCE.toAbsolutePath())) {
        for (Path regression : DifferentialHarness.regressions(RESOURCES.resolve("regressions"))) {
          calls += compare(v8, regression, Files.readAllBytes(regression), mismatches);
          modules++;
        }
        try (TtfModuleSource source = new TtfModuleSource(work, SEED)) {
          for (int n = 0; slice.more(n, mismatches.size()); n++) {
            long waited = System.nanoTime();
            Path wasm = source.next().file();
            times.add("wait for wasm-opt", System.nanoTime() - waited);
            calls += compare(v8, wasm, Files.readAllBytes(wasm), mismatches);
            modules++;
            Files.delete(wasm);
            if (modules % PROGRESS_EVERY == 0) {
              // A long run's count survives a crash or a kill: the last line says how far it got.
              System.out.printf("difffuzz: %d modules, %d mismatches so far%n", modules, mismatches.size());
            }
          }
        }
      }
      System.out.printf("difffuzz: %d modules, %d export calls, %d mismatches, %d NaN-bit"
          + " divergences allowed (seeds from %d)%n", modules, calls, mismatches.size(), nanDivergences, SEED);
      System.out.printf("difffuzz time: %s%n", times.summary());
      assertTrue(mismatches.isEmpty(), () -> String.join("\n", mismatches));
    } finally {
      DifferentialHarness.deleteTree(work);
    }
  }

  /**
   * v128 float operations whose NaN results differ between x86 and Arm (spec 4.3.3: the sign and
   * payload of a NaN result are nondeterministic): a NaN made from non-NaN inputs is negative on
   * x86 and positive on Arm, min/max keep a NaN input's payload on Arm and give x86's canonical
   * sequence's NaN. binaryen's --denan keeps NaNs out of scalar floats, not out of v128 lanes.
   */
  private static final Pattern TARGET_NAN_OPS = Pattern.compile(
      "\\((f32x4|f64x2)\\.(add|sub|mul|div|min|max|sqrt|ceil|floor|trunc|nearest)|f32x4\\.demote|f64x2\\.promote");

  private int nanDivergences;

  /**
   * Runs one module on the three engines; records a mismatch; returns the calls made. Kiln's
   * x86-64 code must match V8's (on this x86-64 host) but for NaN bits in v128 results ({@link
   * #sameButNaNBits}: V8 and Kiln may pick canonical NaNs of different sign, which the spec allows),
   * Kiln's AArch64 code too unless the module has a v128 float operation of {@link #TARGET_NAN_OPS},
   * whose NaN bits may reach an integer and then a trace: such a divergence is counted and its module
   * kept, not failed.
   */
  int compare(ReferenceEngine v8, Path file, byte[] bytes, List<String> mismatches)
      throws IOException {
    Module module = Wasm.load(bytes);
    List<DiffTrace.Call> calls = DiffTrace.calls(module);
    // The two Kiln targets run on the two workers while V8 answers on this thread.
    DifferentialHarness.Running kiln =
        harness.start((backend, target) -> DiffTrace.kiln(module, backend, target, calls, times));
    long start = System.nanoTime();
    List<String> reference = v8.trace(file, calls);
    times.add("v8", System.nanoTime() - start);
    DifferentialHarness.Traces traces = kiln.await();
    List<String> onX64 = traces.x64();
    List<String> onAArch64 = traces.aarch64();
    if (!reference.equals(onX64) || !reference.equals(onAArch64)) {
      String name = file.getFileName().toString().replace(".wasm", "");
      // x86-64 must match V8 but for the NaN bits of v128 float lanes, and of an integer whose bits
      // are a NaN on both where the module has a v128 float operation of TARGET_NAN_OPS (a lane's
      // NaN reinterpreted or extracted as an integer); AArch64 anything where the module has one.
      boolean targetNaNs = usesTargetNaNs(file);
      boolean nanBits = (sameButNaNBits(reference, onX64)
          || targetNaNs && sameButNaNBitsInIntegers(reference, onX64))
          && (sameButNaNBits(reference, onAArch64) || targetNaNs);
      harness.keep(name, bytes, reference, traces);
      if (nanBits) {
        nanDivergences++;
      } else {
        mismatches.add(harness.mismatch(name, reference, onX64.equals(reference) ? onAArch64 : onX64));
      }
    }
    return calls.size();
  }

  /**
   * Whether two traces are the same line for line, except that a v128 (an export's result, or a
   * value passed to binaryen's {@code log-v128} import) may differ in a 32-bit lane where both values
   * are f32 NaNs, or a 64-bit half where both are f64 NaNs (spec 4.3.3: a NaN result's sign and
   * payload are nondeterministic; which canonical NaN a lane holds is the engine's choice, wherever
   * the value goes next).
   */
  static boolean sameButNaNBits(List<String> a, List<String> b) {
    return alikeLineByLine(a, b, DifferentialFuzzTest::v128SameButNaNs);
  }

  /**
   * {@link #sameButNaNBits}, and also an i64 (or i32) result or logged value whose bits are an f64
   * (or f32) NaN in both traces: the NaN of a v128 float lane that the module moved into an integer
   * (an {@code i64x2.extract_lane} of an {@code f64x2.max}'s result, seed 4602828: V8's
   * 0x7ff8000000000000 against Kiln x86-64's 0xfff8000000000000; spec 4.3.3 lets either be chosen).
   */
  static boolean sameButNaNBitsInIntegers(List<String> a, List<String> b) {
    return alikeLineByLine(a, b, (x, y) -> v128SameButNaNs(x, y) || integerNaNsAlike(x, y));
  }

  /** Whether two traces have as many lines, each pair equal or {@code alike}. */
  private static boolean alikeLineByLine(List<String> a, List<String> b, BiPredicate<String, String> alike) {
    if (a.size() != b.size()) {
      return false;
    }
    for (int i = 0; i < a.size(); i++) {
      if (!a.get(i).equals(b.get(i)) && !alike.test(a.get(i), b.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean integerNaNsAlike(String a, String b) {
    for (String prefix : List.of("result i64 ", "log i64 ", "result i32 ", "log i32 ")) {
      if (a.startsWith(prefix) && b.startsWith(prefix)) {
        try {
          long p = Long.parseLong(a.substring(prefix.length()));
          long q = Long.parseLong(b.substring(prefix.length()));
          return prefix.contains("i64")
              ? Double.isNaN(Double.longBitsToDouble(p)) && Double.isNaN(Double.longBitsToDouble(q))
              : Float.isNaN(Float.intBitsToFloat((int) p)) && Float.isNaN(Float.intBitsToFloat((int) q));
        } catch (NumberFormatException e) {
          return false;
        }
      }
    }
    return false;
  }

  private static boolean v128SameButNaNs(String a, String b) {
    String prefix = a.startsWith("log v128 ") ? "log v128 " : "result v128 ";
    if (!a.startsWith(prefix) || !b.startsWith(prefix)) {
      return false;
    }
    String[] x = a.substring(prefix.length()).split(" ");
    String[] y = b.substring(prefix.length()).split(" ");
    if (x.length != 2 || y.length != 2) {
      return false;
    }
    for (int half = 0; half < 2; half++) {
      long p = Long.parseUnsignedLong(x[half], 16);
      long q = Long.parseUnsignedLong(y[half], 16);
      boolean lanesAlike = lane32Alike((int) p, (int) q) && lane32Alike((int) (p >>> 32), (int) (q >>> 32));
      boolean bothF64NaN = Double.isNaN(Double.longBitsToDouble(p)) && Double.isNaN(Double.longBitsToDouble(q));
      if (!lanesAlike && !bothF64NaN) {
        return false;
      }
    }
    return true;
  }

  private static boolean lane32Alike(int p, int q) {
    return p == q || (Float.isNaN(Float.intBitsToFloat(p)) && Float.isNaN(Float.intBitsToFloat(q)));
  }

  /** Whether the module (as wasm-dis prints it) has an operation of {@link #TARGET_NAN_OPS}. */
  private static boolean usesTargetNaNs(Path file) throws IOException {
    Process p = new ProcessBuilder("wasm-dis", file.toString()).redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes());
    try {
      p.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return TARGET_NAN_OPS.matcher(text).find();
  }
}
