package dev.kiln.tests.crosstarget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kiln.wast.FileReport;
import dev.kiln.wast.FrontEnd;
import dev.kiln.wast.Target;
import dev.kiln.wast.TextScriptSource;
import dev.kiln.wast.WastRunner;
import dev.kiln.wast.X64Codegen;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.exec.Executors;
import dev.kiln.wat.Edition;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code v128.bitselect} by masks whose lanes are all ones or all zeros (integer and float
 * compares, and not/and/or of them), which x86-64 with AVX lowers to one byte blend (selecting
 * from a pool constant too), beside a
 * mask that is not such a lane mask, on x86-64 (host features and the SSSE3+SSE4.1 baseline) and
 * AArch64 where it runs. The spec scripts select only by constants and parameters, so a wrong
 * blend would pass them.
 */
class LaneMaskSelectTest {
  private static final String SCRIPT = """
      (module
        (func (export "gt_s") (param v128 v128 v128 v128) (result v128)
          (v128.bitselect (local.get 0) (local.get 1) (i32x4.gt_s (local.get 2) (local.get 3))))
        (func (export "not") (param v128 v128 v128 v128) (result v128)
          (v128.bitselect (local.get 0) (local.get 1) (v128.not (i32x4.gt_s (local.get 2) (local.get 3)))))
        (func (export "and") (param v128 v128 v128 v128) (result v128)
          (v128.bitselect (local.get 0) (local.get 1) (v128.and (i32x4.gt_s (local.get 2) (local.get 3))
            (i32x4.lt_s (local.get 2) (v128.const i32x4 6 6 6 6)))))
        (func (export "or") (param v128 v128 v128 v128) (result v128)
          (v128.bitselect (local.get 0) (local.get 1) (v128.or (i32x4.gt_s (local.get 2) (local.get 3))
            (i32x4.lt_s (local.get 2) (v128.const i32x4 6 6 6 6)))))
        (func (export "f32_lt") (param v128 v128 v128 v128) (result v128)
          (v128.bitselect (local.get 0) (local.get 1) (f32x4.lt (local.get 2) (local.get 3))))
        (func (export "u8_gt") (param v128 v128 v128 v128) (result v128)
          (v128.bitselect (local.get 0) (local.get 1) (i8x16.gt_u (local.get 2) (local.get 3))))
        (func (export "const") (param v128 v128 v128 v128) (result v128)
          (v128.bitselect (v128.const i32x4 7 8 9 10) (local.get 1) (i32x4.gt_s (local.get 2) (local.get 3))))
        (func (export "bits") (param v128 v128 v128 v128) (result v128)
          (v128.bitselect (local.get 0) (local.get 1) (v128.xor (i32x4.gt_s (local.get 2) (local.get 3))
            (local.get 3)))))
      (assert_return (invoke "gt_s" (v128.const i32x4 10 20 30 40) (v128.const i32x4 -1 -2 -3 -4)
        (v128.const i32x4 1 5 3 7) (v128.const i32x4 4 4 4 4)) (v128.const i32x4 -1 20 -3 40))
      (assert_return (invoke "not" (v128.const i32x4 10 20 30 40) (v128.const i32x4 -1 -2 -3 -4)
        (v128.const i32x4 1 5 3 7) (v128.const i32x4 4 4 4 4)) (v128.const i32x4 10 -2 30 -4))
      (assert_return (invoke "and" (v128.const i32x4 10 20 30 40) (v128.const i32x4 -1 -2 -3 -4)
        (v128.const i32x4 1 5 3 7) (v128.const i32x4 4 4 4 4)) (v128.const i32x4 -1 20 -3 -4))
      (assert_return (invoke "or" (v128.const i32x4 10 20 30 40) (v128.const i32x4 -1 -2 -3 -4)
        (v128.const i32x4 1 5 3 7) (v128.const i32x4 4 4 4 4)) (v128.const i32x4 10 20 30 40))
      (assert_return (invoke "f32_lt" (v128.const i32x4 10 20 30 40) (v128.const i32x4 -1 -2 -3 -4)
        (v128.const f32x4 1 2 3 nan) (v128.const f32x4 2 2 2 2)) (v128.const i32x4 10 -2 -3 -4))
      (assert_return (invoke "u8_gt" (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
        (v128.const i8x16 100 101 102 103 104 105 106 107 108 109 110 111 112 113 114 115)
        (v128.const i8x16 0 255 9 10 200 0 0 0 0 0 0 0 0 0 0 128)
        (v128.const i8x16 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9 9))
        (v128.const i8x16 100 1 102 3 4 105 106 107 108 109 110 111 112 113 114 15))
      (assert_return (invoke "const" (v128.const i32x4 10 20 30 40) (v128.const i32x4 -1 -2 -3 -4)
        (v128.const i32x4 1 5 3 7) (v128.const i32x4 4 4 4 4)) (v128.const i32x4 -1 8 -3 10))
      (assert_return (invoke "bits" (v128.const i32x4 -1 -1 -1 -1) (v128.const i32x4 0 0 0 0)
        (v128.const i32x4 1 5 3 7) (v128.const i32x4 0x0000ff00 4 4 0x80000001))
        (v128.const i32x4 0x0000ff00 -5 4 0x7ffffffe))
      """;

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> aSelectByALaneMaskTakesWholeLanes() throws IOException {
    Path script = Files.writeString(dir.resolve("lane-mask-select.wast"), SCRIPT);
    TextScriptSource reader = new TextScriptSource(Edition.WASM_3);
    return Stream.of(
        dynamicTest("x86_64 host", () -> assertAllPass(new WastRunner(reader, Target.X86_64, FrontEnd.KILN,
            X64Codegen.HOST_CHECKED, ExecutionLimits.NONE), script)),
        dynamicTest("x86_64 ssse3+sse4_1", () -> assertAllPass(new WastRunner(reader, Target.X86_64,
            FrontEnd.KILN, X64Codegen.SIMD_BASELINE_CHECKED, ExecutionLimits.NONE), script)),
        dynamicTest("aarch64", () -> {
          assumeTrue(Executors.canRun(dev.kiln.artifact.Target.AARCH64), "no AArch64 executor here");
          assertAllPass(new WastRunner(reader, Target.AARCH64, FrontEnd.KILN, X64Codegen.HOST, ExecutionLimits.NONE),
              script);
        }));
  }

  private static void assertAllPass(WastRunner runner, Path script) throws Exception {
    FileReport report = runner.run(script, "lane-mask-select.wast");
    assertEquals(List.of(), report.failures());
    assertEquals(9, report.tally().passed(), () -> "the module and its eight selects: " + report.tally());
  }
}
