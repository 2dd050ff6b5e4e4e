package dev.kiln.tests.crosstarget;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.loader.exec.Executors;
import dev.kiln.wast.FileReport;
import dev.kiln.wast.FrontEnd;
import dev.kiln.wast.Target;
import dev.kiln.wast.TextScriptSource;
import dev.kiln.wast.WastRunner;
import dev.kiln.wast.X64Codegen;
import dev.kiln.wat.Edition;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one result each target chose for every relaxed SIMD instruction, pinned: inputs where the
 * spec allows several results (spec 4.3 "irelaxed_*", "frelaxed_*"), and for each target the exact
 * result its lowering's comment promises. The spec scripts accept any allowed result ({@code
 * either}), so a lowering that changed its choice, or mixed two, would pass them; a program must
 * see the same result from the same artifact every run, and from every artifact of one target and
 * feature set (the compat header records those).
 *
 * <p>x86-64 with AVX and with only SSSE3 and SSE4.1 differ in laneselect alone (blend by the top
 * bit, or bitselect); AArch64 keeps the deterministic result except madd/nmadd, which it fuses.
 */
class RelaxedSimdChoiceTest {
  private static final String MODULE = """
      (module
        (func (export "swizzle") (param v128 v128) (result v128)
          (i8x16.relaxed_swizzle (local.get 0) (local.get 1)))
        (func (export "trunc_s") (param v128) (result v128) (i32x4.relaxed_trunc_f32x4_s (local.get 0)))
        (func (export "trunc_u") (param v128) (result v128) (i32x4.relaxed_trunc_f32x4_u (local.get 0)))
        (func (export "trunc_s_zero") (param v128) (result v128)
          (i32x4.relaxed_trunc_f64x2_s_zero (local.get 0)))
        (func (export "trunc_u_zero") (param v128) (result v128)
          (i32x4.relaxed_trunc_f64x2_u_zero (local.get 0)))
        (func (export "madd") (param v128 v128 v128) (result v128)
          (f32x4.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
        (func (export "nmadd") (param v128 v128 v128) (result v128)
          (f32x4.relaxed_nmadd (local.get 0) (local.get 1) (local.get 2)))
        (func (export "madd64") (param v128 v128 v128) (result v128)
          (f64x2.relaxed_madd (local.get 0) (local.get 1) (local.get 2)))
        (func (export "select8") (param v128 v128 v128) (result v128)
          (i8x16.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
        (func (export "select16") (param v128 v128 v128) (result v128)
          (i16x8.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
        (func (export "select32") (param v128 v128 v128) (result v128)
          (i32x4.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
        (func (export "select64") (param v128 v128 v128) (result v128)
          (i64x2.relaxed_laneselect (local.get 0) (local.get 1) (local.get 2)))
        (func (export "min") (param v128 v128) (result v128) (f32x4.relaxed_min (local.get 0) (local.get 1)))
        (func (export "max") (param v128 v128) (result v128) (f32x4.relaxed_max (local.get 0) (local.get 1)))
        (func (export "min64") (param v128 v128) (result v128) (f64x2.relaxed_min (local.get 0) (local.get 1)))
        (func (export "q15") (param v128 v128) (result v128) (i16x8.relaxed_q15mulr_s (local.get 0) (local.get 1)))
        (func (export "dot") (param v128 v128) (result v128)
          (i16x8.relaxed_dot_i8x16_i7x16_s (local.get 0) (local.get 1)))
        (func (export "dot_add") (param v128 v128 v128) (result v128)
          (i32x4.relaxed_dot_i8x16_i7x16_add_s (local.get 0) (local.get 1) (local.get 2))))
      """;

  /** Which x86-64 code: with AVX, or with the v128 baseline only. */
  private enum Flavour { X64_AVX, X64_SSE, AARCH64 }

  /**
   * One command: the invocation and its result per flavour.
   *
   * @param call {@code (invoke ...)}
   * @param x64Avx the result on x86-64 with AVX
   * @param x64Sse on x86-64 without AVX
   * @param aarch64 on AArch64
   */
  private record Case(String call, String x64Avx, String x64Sse, String aarch64) {
    static Case of(String call, String x64, String aarch64) {
      return new Case(call, x64, x64, aarch64);
    }

    String command(Flavour f) {
      return "(assert_return " + call + " " + switch (f) {
        case X64_AVX -> x64Avx;
        case X64_SSE -> x64Sse;
        case AARCH64 -> aarch64;
      } + ")";
    }
  }

  private static final String A = "(v128.const i32x4 0x11111111 0x11111111 0x11111111 0x11111111)";
  private static final String B = "(v128.const i32x4 0x22222222 0x22222222 0x22222222 0x22222222)";
  /**
   * 1 + 2^-12, three lanes, and 1: the square is 1 + 2^-11 + 2^-24, which rounded to f32 (a tie,
   * to even) loses the 2^-24 and fused keeps it.
   */
  private static final String ONE_PLUS_2_TO_MINUS_12 = "(v128.const f32x4 0x1.001p+0 0x1.001p+0 0x1.001p+0 1)";

  private static final List<Case> CASES = List.of(
      // x86-64: PSHUFB takes byte (index mod 16) below 128; AArch64: TBL gives 0 from 16 on
      Case.of("(invoke \"swizzle\" (v128.const i8x16 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31)"
              + " (v128.const i8x16 0 15 16 17 127 128 255 31 1 2 3 4 5 6 7 8))",
          "(v128.const i8x16 16 31 16 17 31 0 0 31 17 18 19 20 21 22 23 24)",
          "(v128.const i8x16 16 31 0 0 0 0 0 0 17 18 19 20 21 22 23 24)"),
      // x86-64: CVTTPS2DQ's INT32_MIN for NaN and out of range; AArch64: FCVTZS saturates
      Case.of("(invoke \"trunc_s\" (v128.const f32x4 nan 3e9 -3e9 1.5))",
          "(v128.const i32x4 0x80000000 0x80000000 0x80000000 1)",
          "(v128.const i32x4 0 0x7fffffff 0x80000000 1)"),
      Case.of("(invoke \"trunc_s_zero\" (v128.const f64x2 nan 1e10))",
          "(v128.const i32x4 0x80000000 0x80000000 0 0)",
          "(v128.const i32x4 0 0x7fffffff 0 0)"),
      // unsigned: both saturate
      Case.of("(invoke \"trunc_u\" (v128.const f32x4 nan 5e9 -1 1.5))",
          "(v128.const i32x4 0 0xffffffff 0 1)", "(v128.const i32x4 0 0xffffffff 0 1)"),
      Case.of("(invoke \"trunc_u_zero\" (v128.const f64x2 nan 1e10))",
          "(v128.const i32x4 0 0xffffffff 0 0)", "(v128.const i32x4 0 0xffffffff 0 0)"),
      // x86-64: rounded product, then the sum; AArch64: FMLA/FMLS, one rounding
      Case.of("(invoke \"madd\" " + ONE_PLUS_2_TO_MINUS_12 + " " + ONE_PLUS_2_TO_MINUS_12
              + " (v128.const f32x4 -0x1.002p+0 -0x1.002p+0 -0x1.002p+0 2))",
          "(v128.const f32x4 0 0 0 3)", "(v128.const f32x4 0x1p-24 0x1p-24 0x1p-24 3)"),
      Case.of("(invoke \"nmadd\" " + ONE_PLUS_2_TO_MINUS_12 + " " + ONE_PLUS_2_TO_MINUS_12
              + " (v128.const f32x4 0x1.002p+0 0x1.002p+0 0x1.002p+0 2))",
          "(v128.const f32x4 0 0 0 1)", "(v128.const f32x4 -0x1p-24 -0x1p-24 -0x1p-24 1)"),
      // (1 + 2^-27)^2 = 1 + 2^-26 + 2^-54, whose 2^-54 f64 rounding loses
      Case.of("(invoke \"madd64\" (v128.const f64x2 0x1.0000002p+0 1) (v128.const f64x2 0x1.0000002p+0 1)"
              + " (v128.const f64x2 -0x1.0000004p+0 1))",
          "(v128.const f64x2 0 2)", "(v128.const f64x2 0x1p-54 2)"),
      // masks neither all ones nor zero: with AVX a blend by each lane's top bit, else bits
      new Case("(invoke \"select8\" " + A + " " + B
              + " (v128.const i8x16 0x80 0x7f 0xff 0 0x80 0x7f 0xff 0 0x80 0x7f 0xff 0 0x80 0x7f 0xff 0))",
          "(v128.const i8x16 0x11 0x22 0x11 0x22 0x11 0x22 0x11 0x22 0x11 0x22 0x11 0x22 0x11 0x22 0x11 0x22)",
          "(v128.const i8x16 0x22 0x11 0x11 0x22 0x22 0x11 0x11 0x22 0x22 0x11 0x11 0x22 0x22 0x11 0x11 0x22)",
          "(v128.const i8x16 0x22 0x11 0x11 0x22 0x22 0x11 0x11 0x22 0x22 0x11 0x11 0x22 0x22 0x11 0x11 0x22)"),
      Case.of("(invoke \"select16\" " + A + " " + B
              + " (v128.const i16x8 0x8000 0x7fff 0xffff 0 0x8000 0x7fff 0xffff 0))",
          "(v128.const i16x8 0x2222 0x1111 0x1111 0x2222 0x2222 0x1111 0x1111 0x2222)",
          "(v128.const i16x8 0x2222 0x1111 0x1111 0x2222 0x2222 0x1111 0x1111 0x2222)"),
      new Case("(invoke \"select32\" " + A + " " + B
              + " (v128.const i32x4 0x80000000 0x7fffffff 0xffffffff 0))",
          "(v128.const i32x4 0x11111111 0x22222222 0x11111111 0x22222222)",
          "(v128.const i32x4 0x22222222 0x11111111 0x11111111 0x22222222)",
          "(v128.const i32x4 0x22222222 0x11111111 0x11111111 0x22222222)"),
      new Case("(invoke \"select64\" " + A + " " + B + " (v128.const i64x2 0x8000000000000000 0x7fffffffffffffff))",
          "(v128.const i64x2 0x1111111111111111 0x2222222222222222)",
          "(v128.const i64x2 0x2222222222222222 0x1111111111111111)",
          "(v128.const i64x2 0x2222222222222222 0x1111111111111111)"),
      // x86-64: MINPS/MAXPS return the second operand on NaN and on two zeros; AArch64: wasm's
      Case.of("(invoke \"min\" (v128.const f32x4 nan -0 0 1) (v128.const f32x4 1 0 -0 nan))",
          "(v128.const i32x4 0x3f800000 0 0x80000000 0x7fc00000)",
          "(v128.const i32x4 0x7fc00000 0x80000000 0x80000000 0x7fc00000)"),
      Case.of("(invoke \"max\" (v128.const f32x4 nan -0 0 1) (v128.const f32x4 1 0 -0 2))",
          "(v128.const i32x4 0x3f800000 0 0x80000000 0x40000000)",
          "(v128.const i32x4 0x7fc00000 0 0 0x40000000)"),
      Case.of("(invoke \"min64\" (v128.const f64x2 -0 nan) (v128.const f64x2 0 -1))",
          "(v128.const i64x2 0 0xbff0000000000000)",
          "(v128.const i64x2 0x8000000000000000 0x7ff8000000000000)"),
      // x86-64: PMULHRSW wraps -32768 * -32768; AArch64: SQRDMULH saturates
      Case.of("(invoke \"q15\" (v128.const i16x8 -32768 -32768 16384 0 0 0 0 0)"
              + " (v128.const i16x8 -32768 32767 16384 0 0 0 0 0))",
          "(v128.const i16x8 -32768 -32767 8192 0 0 0 0 0)",
          "(v128.const i16x8 32767 -32767 8192 0 0 0 0 0)"),
      // a y byte of 128 or more: x86-64 reads it unsigned and saturates (PMADDUBSW), AArch64
      // reads it signed and wraps (SMULL, ADDP)
      Case.of("(invoke \"dot\" (v128.const i8x16 -128 -128 3 4 0 0 0 0 0 0 0 0 0 0 0 0)"
              + " (v128.const i8x16 -127 -127 5 6 0 0 0 0 0 0 0 0 0 0 0 0))",
          "(v128.const i16x8 -32768 39 0 0 0 0 0 0)",
          "(v128.const i16x8 32512 39 0 0 0 0 0 0)"),
      Case.of("(invoke \"dot_add\" (v128.const i8x16 -128 -128 -128 -128 3 4 0 0 0 0 0 0 0 0 0 0)"
              + " (v128.const i8x16 -127 -127 -127 -127 5 6 0 0 0 0 0 0 0 0 0 0)"
              + " (v128.const i32x4 1 2 3 4))",
          "(v128.const i32x4 -65535 41 3 4)",
          "(v128.const i32x4 65025 41 3 4)"));

  @TempDir Path dir;

  @TestFactory
  Stream<DynamicTest> everyTargetGivesItsDocumentedResult() {
    TextScriptSource reader = new TextScriptSource(Edition.WASM_3);
    Function<X64Feature[], X64Codegen> x64 = f -> new X64Codegen(CpuFeatures.of(f), true);
    return Stream.of(
        dynamicTest("x86_64 avx", () -> {
          assumeTrue(CpuFeatures.host().has(X64Feature.AVX), "this x86-64 host has no AVX");
          run(new WastRunner(reader, Target.X86_64, FrontEnd.KILN,
              x64.apply(new X64Feature[] {X64Feature.SSSE3, X64Feature.SSE4_1, X64Feature.AVX}),
              ExecutionLimits.NONE), Flavour.X64_AVX);
        }),
        dynamicTest("x86_64 ssse3+sse4_1", () -> run(new WastRunner(reader, Target.X86_64, FrontEnd.KILN,
            X64Codegen.SIMD_BASELINE_CHECKED, ExecutionLimits.NONE), Flavour.X64_SSE)),
        dynamicTest("aarch64", () -> {
          assumeTrue(Executors.canRun(dev.kiln.artifact.Target.AARCH64), "no AArch64 executor here");
          run(new WastRunner(reader, Target.AARCH64, FrontEnd.KILN, X64Codegen.HOST, ExecutionLimits.NONE),
              Flavour.AARCH64);
        }));
  }

  private void run(WastRunner runner, Flavour flavour) throws Exception {
    assumeTrue(Executors.canRun(runner.target() == Target.X86_64 ? dev.kiln.artifact.Target.X86_64
        : dev.kiln.artifact.Target.AARCH64), "cannot run this target here");
    StringBuilder script = new StringBuilder(MODULE);
    for (Case c : CASES) {
      script.append(c.command(flavour)).append('\n');
    }
    Path file = Files.writeString(dir.resolve(flavour + ".wast"), script);
    FileReport report = runner.run(file, flavour + ".wast");
    assertEquals(List.of(), report.failures());
    assertEquals(1 + CASES.size(), report.tally().passed(), () -> "the module and every case: " + report.tally());
  }
}
