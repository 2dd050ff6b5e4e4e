package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.tests.support.OperatorOracle.EdgeValues;
import dev.kiln.tests.support.OperatorOracle.Op;
import dev.kiln.tests.support.OperatorOracle;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every float operator executed on x86-64 and compared with the IR reference interpreter on edge
 * values (signed zeros, infinities, quiet and signalling NaNs with payloads, subnormals, the
 * boundaries of every truncation, halves for the roundings), once with the host's CPU features and
 * once on baseline x86-64, whose rounding is an SSE2 sequence instead of ROUNDSS.
 *
 * <p>Results must match bit for bit, with one freedom the spec gives (4.3.3 "NaN propagation"): when
 * the reference yields a NaN from an arithmetic operator, the machine's NaN must be canonical if
 * every NaN input was canonical, else arithmetic (quiet bit set). The bit operators (abs, neg,
 * copysign, reinterpret, select) must match exactly, NaNs included. A trap must be the same trap.
 */
class FloatEndToEndTest {
  private static final float[] F32 = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, -1.5f, 2.5f, -2.5f,
      0.7f, -0.7f, 0.3f, -0.3f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
      -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0x1p23f, -0x1p23f,
      0x1p23f - 0.5f, 8388609f, 0x1p24f, 2147483520f, 2147483648f, -2147483648f, -2147483904f,
      4294967040f, 4294967296f, 0x1p63f, -0x1p63f, 0x1.fffffep62f, 0x1p64f, 1e10f, -0.99999994f,
      -1.0000001f, 3.14159f};
  private static final int[] F32_NANS = {0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0xFF81_2345,
      0x7FC0_1234};
  private static final double[] F64 = {0d, -0d, 1d, -1d, 0.5, -0.5, 1.5, -1.5, 2.5, -2.5, 0.7,
      -0.7, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
      -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0x1p52, -0x1p52,
      0x1p52 - 0.5, 0x1p52 + 1, 0x1p53, 2147483647.9, 2147483648.0, -2147483648.9, -2147483649.0,
      4294967295.9, 4294967296.0, -0.999, -1.0, 0x1p63, -0x1p63, 0x1.fffffffffffffp62,
      -0x1.0000000000001p63, 0x1p64, 0x1.fffffffffffffp63, 1e300, 3.141592653589793};
  private static final long[] F64_NANS = {0x7FF8_0000_0000_0000L, 0xFFF8_0000_0000_0000L,
      0x7FF0_0000_0000_0001L, 0xFFF4_5678_9ABC_DEF0L, 0x7FF8_0000_0000_1234L};
  private static final long[] I32 = {0, 1, -1, 2, Integer.MAX_VALUE, Integer.MIN_VALUE, 16777217,
      -16777217, 123456789, 0x8000_0001L};
  private static final long[] I64 = {0, 1, -1, Long.MAX_VALUE, Long.MIN_VALUE, 9007199254740993L,
      -9007199254740993L, 0x8000_0000_0000_0401L, 0xFFFF_FFFF_FFFF_FC01L, 0x0020_0000_0000_0001L,
      0x7FFF_FF80_0000_0001L, 1L << 32};

  private static final EdgeValues VALUES = new EdgeValues(I32, I64, F32, F32_NANS, F64, F64_NANS);

  @TestFactory
  Stream<DynamicTest> everyFloatOperatorMatchesTheInterpreter() throws Exception {
    List<Op> ops = OperatorOracle.floatOperators();
    byte[] wasm = Wat.toBinaryWithNames(OperatorOracle.moduleText(ops), "test.wat");
    Module module = Wasm.load(wasm);
    ModuleEnvironment env = new ModuleEnvironment(module);
    List<Function> reference = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      reference.add(FuncTranslator.translate(env, i));
    }
    List<DynamicTest> tests = new ArrayList<>();
    for (boolean host : new boolean[] {true, false}) {
      CpuFeatures features = host ? CpuFeatures.host() : CpuFeatures.baseline();
      tests.add(DynamicTest.dynamicTest((host ? "host " : "baseline ") + features.text(),
          () -> runAll(module, features, ops, reference)));
    }
    return tests.stream();
  }

  private static void runAll(Module module, CpuFeatures features, List<Op> ops,
      List<Function> reference) {
    CompiledModule compiled = Compiler.compile(module, new X64Backend(features, true),
        CompileOptions.defaults());
    byte[] artifact = ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "floats");
    OperatorOracle.Outcome outcome;
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(artifact, null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      outcome = OperatorOracle.sweep(ops, reference, instance, VALUES);
    }
    if (!outcome.failures().isEmpty()) {
      fail(features.text() + ": " + outcome.failures().size() + "+ mismatches\n"
          + String.join("\n", outcome.failures()));
    }
    assertTrue(outcome.cases() > 10_000, "ran " + outcome.cases() + " cases");
  }

  /**
   * Floats where the calling convention and the allocator meet them: ten f64 parameters (two on the
   * stack), four f32 results (two in the return area), sixteen floats live across a call (every xmm
   * register is caller-saved, so they are spilled), mutable f32/f64 globals and float memory.
   */
  @org.junit.jupiter.api.Test
  void floatsCrossCallsStackArgumentsReturnAreasGlobalsAndMemory() throws Exception {
    StringBuilder live = new StringBuilder();
    StringBuilder sum = new StringBuilder("(local.get 1)");
    for (int i = 2; i < 18; i++) {
      live.append("(local.set ").append(i).append(" (f64.mul (local.get 0) (f64.const ")
          .append(i).append(")))\n");
      sum = new StringBuilder("(f64.add ").append(sum).append(" (local.get ").append(i)
          .append("))");
    }
    String wat = """
        (module
          (memory 1)
          (global $g32 (mut f32) (f32.const 1.5))
          (global $g64 (mut f64) (f64.const -2.25))
          (func $ten (param f64 f64 f64 f64 f64 f64 f64 f64 f64 f64) (result f64)
            (f64.sub (f64.add (local.get 0) (f64.mul (local.get 8) (f64.const 100)))
                     (f64.mul (local.get 9) (f64.const 1000))))
          (func $four (param f32 f32) (result f32 f32 f32 f32)
            (local.get 0) (local.get 1) (f32.add (local.get 0) (local.get 1))
            (f32.mul (local.get 0) (local.get 1)))
          (func $id (param f64) (result f64) (local.get 0))
          (func (export "ten") (param f64) (result f64)
            (call $ten (local.get 0) (f64.const 1) (f64.const 2) (f64.const 3) (f64.const 4)
              (f64.const 5) (f64.const 6) (f64.const 7) (f64.const 8) (f64.const 9)))
          (func (export "four") (param f32 f32) (result f32)
            (local f32 f32 f32 f32)
            (call $four (local.get 0) (local.get 1))
            (local.set 5) (local.set 4) (local.set 3) (local.set 2)
            (f32.sub (f32.add (local.get 2) (local.get 3)) (f32.sub (local.get 4) (local.get 5))))
          (func (export "live") (param f64) (result f64)
            (local f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64 f64)
            %s
            (local.set 1 (call $id (local.get 0)))
            %s)
          (func (export "globals") (param f32 f64) (result f64)
            (global.set $g32 (f32.add (global.get $g32) (local.get 0)))
            (global.set $g64 (f64.mul (global.get $g64) (local.get 1)))
            (f64.add (f64.promote_f32 (global.get $g32)) (global.get $g64)))
          (func (export "memory") (param i32 f32 f64) (result f64)
            (f32.store offset=3 (local.get 0) (local.get 1))
            (f64.store offset=11 (local.get 0) (local.get 2))
            (f64.add (f64.promote_f32 (f32.load offset=3 (local.get 0)))
                     (f64.load offset=11 (local.get 0)))))
        """.formatted(live, sum);
    Module module = Wasm.load(Wat.toBinaryWithNames(wat, "test.wat"));
    for (CpuFeatures features : List.of(CpuFeatures.host(), CpuFeatures.baseline())) {
      CompiledModule compiled = Compiler.compile(module, new X64Backend(features, true),
          CompileOptions.defaults());
      byte[] artifact = ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "floats");
      try (NativeStore store = new NativeStore();
          LoadedModule loaded = LoadedModule.fromBytes(artifact, null);
          LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
        assertEquals(0.5 + 800 - 9000, f64(instance, "ten", d(0.5)));
        float x = 1.25f;
        float y = -3.5f;
        assertEquals((x + y) - ((x + y) - x * y), f32(instance, "four", f(x), f(y)));
        double expected = 3;
        for (int i = 2; i < 18; i++) {
          expected += 3.0 * i;
        }
        assertEquals(expected, f64(instance, "live", d(3)));
        assertEquals((1.5 + 0.25) + (-2.25 * 2), f64(instance, "globals", f(0.25f), d(2)));
        assertEquals((1.75 + 0.25) + (-4.5 * 2), f64(instance, "globals", f(0.25f), d(2)));
        assertEquals(0.1f + 2.5, f64(instance, "memory", 65517, f(0.1f), d(2.5)));
        TrapException oob = org.junit.jupiter.api.Assertions.assertThrows(TrapException.class,
            () -> instance.invoke("memory", 65518, f(0.1f), d(1e300)));
        assertEquals("HEAP_OUT_OF_BOUNDS", oob.code().name());
      }
    }
  }

  private static long f(float v) {
    return Integer.toUnsignedLong(Float.floatToRawIntBits(v));
  }

  private static long d(double v) {
    return Double.doubleToRawLongBits(v);
  }

  private static double f64(LoadedInstance instance, String name, long... args) {
    return Double.longBitsToDouble(instance.invoke(name, args).get(0).bits());
  }

  private static float f32(LoadedInstance instance, String name, long... args) {
    return Float.intBitsToFloat((int) instance.invoke(name, args).get(0).bits());
  }

}
