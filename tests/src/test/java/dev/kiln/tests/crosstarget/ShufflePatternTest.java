package dev.kiln.tests.crosstarget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kiln.wast.FileReport;
import dev.kiln.wast.FrontEnd;
import dev.kiln.wast.Tally;
import dev.kiln.wast.Target;
import dev.kiln.wast.TextScriptSource;
import dev.kiln.wast.WastRunner;
import dev.kiln.wast.X64Codegen;
import dev.kiln.codegen.lower.ShuffleMask;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.exec.Executors;
import dev.kiln.wat.Edition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code i8x16.shuffle} with every mask a backend turns into one instruction (each {@link
 * ShuffleMask} pattern at every lane size, with the operands in either order, the same operand
 * twice, consecutive bytes, rotations, splats, word and dword shuffles) and random ones, on two
 * different inputs and on one input named twice, compared with the bytes the mask selects: x86-64
 * natively (host features and the SSSE3+SSE4.1 baseline) and AArch64 where it runs. The spec
 * scripts hold few of these patterns, and a wrong pattern match would pass the fallback's tests.
 */
class ShufflePatternTest {
  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> everyPatternSelectsTheBytesItsMaskNames() throws IOException {
    Path script = dir.resolve("shuffle-patterns.wast");
    Files.writeString(script, script(masks()));
    TextScriptSource reader = new TextScriptSource(Edition.WASM_3);
    List<DynamicTest> tests = new ArrayList<>();
    tests.add(dynamicTest("x86_64 host", () -> assertAllPass(new WastRunner(reader, Target.X86_64, FrontEnd.KILN,
        X64Codegen.HOST, ExecutionLimits.NONE), script)));
    tests.add(dynamicTest("x86_64 ssse3+sse4_1", () -> assertAllPass(new WastRunner(reader, Target.X86_64,
        FrontEnd.KILN, X64Codegen.SIMD_BASELINE_CHECKED, ExecutionLimits.NONE), script)));
    tests.add(dynamicTest("aarch64", () -> {
      assumeTrue(Executors.canRun(dev.kiln.artifact.Target.AARCH64), "no AArch64 executor here");
      assertAllPass(new WastRunner(reader, Target.AARCH64, FrontEnd.KILN, X64Codegen.HOST, ExecutionLimits.NONE),
          script);
    }));
    return tests.stream();
  }

  private static void assertAllPass(WastRunner runner, Path script) throws Exception {
    FileReport report = runner.run(script, "shuffle-patterns.wast");
    Tally t = report.tally();
    assertEquals(List.of(), report.failures());
    assertEquals(0, t.skipped(), "nothing skipped");
    assertEquals(report.results().size(), t.passed());
  }

  /** The masks: every pattern, both operand orders, consecutive bytes, one-input shapes, random. */
  private static List<ShuffleMask> masks() {
    Set<ShuffleMask> masks = new LinkedHashSet<>();
    for (int laneBytes = 1; laneBytes <= 8; laneBytes *= 2) {
      for (boolean second : new boolean[] {false, true}) {
        for (ShuffleMask m : List.of(ShuffleMask.interleave(laneBytes, second),
            ShuffleMask.deinterleave(laneBytes, second), ShuffleMask.transpose(laneBytes, second))) {
          masks.add(m);
          masks.add(m.swapped());
        }
      }
      int size = laneBytes;
      for (int lane = 0; lane < 32 / size; lane++) {
        int first = lane * size;
        masks.add(ShuffleMask.of(IntStream.range(0, 16).map(i -> first + i % size).toArray()));
      }
    }
    for (int n = 0; n <= 16; n++) {
      int offset = n;
      masks.add(ShuffleMask.of(IntStream.range(0, 16).map(i -> offset + i).toArray()));
      masks.add(ShuffleMask.of(IntStream.range(0, 16).map(i -> (offset + i) % 16).toArray()));
    }
    // word shuffles of one half, the other kept; dwords two from each input
    masks.add(ShuffleMask.of(2, 3, 0, 1, 6, 7, 4, 5, 8, 9, 10, 11, 12, 13, 14, 15));
    masks.add(ShuffleMask.of(0, 1, 2, 3, 4, 5, 6, 7, 10, 11, 8, 9, 14, 15, 12, 13));
    masks.add(ShuffleMask.of(8, 9, 10, 11, 4, 5, 6, 7, 20, 21, 22, 23, 28, 29, 30, 31));
    masks.add(ShuffleMask.of(24, 25, 26, 27, 16, 17, 18, 19, 4, 5, 6, 7, 12, 13, 14, 15));
    Random random = new Random(16);
    for (int i = 0; i < 16; i++) {
      masks.add(ShuffleMask.of(IntStream.range(0, 16).map(b -> random.nextInt(32)).toArray()));
    }
    return List.copyOf(masks);
  }

  /**
   * One module, an export per mask taking (x, y) and one taking (x, x), and an assert_return of
   * each with x bytes 0x00-0x0f and y bytes 0x80-0x8f.
   */
  private static String script(List<ShuffleMask> masks) {
    StringBuilder module = new StringBuilder("(module\n");
    StringBuilder asserts = new StringBuilder();
    String x = bytes(i -> i);
    String y = bytes(i -> 0x80 + i);
    for (int k = 0; k < masks.size(); k++) {
      ShuffleMask m = masks.get(k);
      String indexes = IntStream.range(0, 16).mapToObj(i -> Integer.toString(m.index(i)))
          .collect(Collectors.joining(" "));
      module.append("  (func (export \"two").append(k).append("\") (param v128 v128) (result v128)")
          .append(" (i8x16.shuffle ").append(indexes).append(" (local.get 0) (local.get 1)))\n");
      module.append("  (func (export \"one").append(k).append("\") (param v128) (result v128)")
          .append(" (i8x16.shuffle ").append(indexes).append(" (local.get 0) (local.get 0)))\n");
      asserts.append("(assert_return (invoke \"two").append(k).append("\" ").append(x).append(' ')
          .append(y).append(") ").append(bytes(i -> m.index(i) < 16 ? m.index(i) : 0x80 + m.index(i) - 16))
          .append(")\n");
      asserts.append("(assert_return (invoke \"one").append(k).append("\" ").append(x).append(") ")
          .append(bytes(i -> m.index(i) % 16)).append(")\n");
    }
    return module.append(")\n").append(asserts).toString();
  }

  private static String bytes(java.util.function.IntUnaryOperator byteAt) {
    return IntStream.range(0, 16).mapToObj(i -> Integer.toString(byteAt.applyAsInt(i)))
        .collect(Collectors.joining(" ", "(v128.const i8x16 ", ")"));
  }
}
