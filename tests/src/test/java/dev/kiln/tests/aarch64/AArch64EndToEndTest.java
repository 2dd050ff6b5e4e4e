package dev.kiln.tests.aarch64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.tests.support.OperatorOracle.EdgeValues;
import dev.kiln.tests.support.OperatorOracle.Op;
import dev.kiln.tests.support.OperatorOracle;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * AArch64 code executed: modules compiled by {@link AArch64Backend} (allocation checker on), emitted
 * as an AArch64 {@code .cwasm}, loaded and run by the loader's executor (Unicorn on this x86-64
 * host). Every integer and float operator is compared with the IR reference interpreter over edge
 * values; hand-written programs (stack arguments, return areas, spills across calls, long
 * br_tables, recursion into the stack limit, memory growth: each call grows the memory by a page) are compared with the same module run
 * natively by the x86-64 backend.
 */
class AArch64EndToEndTest {
  private static final long[] I32 = {0, 1, -1, 2, 31, 32, 33, Integer.MAX_VALUE, Integer.MIN_VALUE,
      0x8000_0001L, 123456789, -123456789, 0xFFFF_0000L};
  private static final long[] I64 = {0, 1, -1, 63, 64, 65, Long.MAX_VALUE, Long.MIN_VALUE,
      0x8000_0000_0000_0001L, 1L << 32, 0xFFFF_FFFFL, -9007199254740993L, 0x0123_4567_89AB_CDEFL};
  private static final float[] F32 = {0f, -0f, 1f, -1f, 0.5f, -0.5f, 1.5f, 2.5f, -2.5f, 0.7f,
      Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE, Float.POSITIVE_INFINITY,
      Float.NEGATIVE_INFINITY, 0x1p23f, 2147483520f, 2147483648f, -2147483648f, -2147483904f,
      4294967040f, 4294967296f, 0x1p63f, -0x1p63f, 0x1p64f, -0.99999994f, -1f};
  private static final int[] F32_NANS = {0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0x7FC0_1234};
  private static final double[] F64 = {0d, -0d, 1d, -1d, 0.5, -0.5, 1.5, 2.5, -2.5, 0.7,
      Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE, Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY, 0x1p52, 2147483647.9, 2147483648.0, -2147483648.9,
      -2147483649.0, 4294967295.9, 4294967296.0, -0.999, 0x1p63, -0x1p63, 0x1p64,
      0x1.fffffffffffffp62, -0x1.0000000000001p63};
  private static final long[] F64_NANS = {0x7FF8_0000_0000_0000L, 0xFFF8_0000_0000_0000L,
      0x7FF0_0000_0000_0001L, 0x7FF8_0000_0000_1234L};

  private static final EdgeValues VALUES = new EdgeValues(I32, I64, F32, F32_NANS, F64, F64_NANS);

  @BeforeEach
  void needsAnAarch64Executor() {
    assumeTrue(Executors.canRun(Target.AARCH64), "no AArch64 executor on this host (libunicorn2)");
  }

  private static List<Op> operators() {
    List<Op> ops = new ArrayList<>();
    for (String t : new String[] {"i32", "i64"}) {
      char c = t.equals("i32") ? 'i' : 'l';
      String two = "" + c + c;
      for (String u : new String[] {"add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and",
          "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr"}) {
        ops.add(new Op(t + "." + u, two, c, t + "." + u + " (local.get 0) (local.get 1)", true));
      }
      for (String u : new String[] {"eq", "ne", "lt_s", "lt_u", "le_s", "le_u", "gt_s", "gt_u",
          "ge_s", "ge_u"}) {
        ops.add(new Op(t + "." + u, two, 'i', t + "." + u + " (local.get 0) (local.get 1)", true));
        ops.add(new Op(t + ".select_" + u, two, c, "select (local.get 0) (local.get 1) (" + t + "."
            + u + " (local.get 0) (local.get 1))", true));
      }
      for (String u : new String[] {"clz", "ctz", "popcnt", "extend8_s", "extend16_s"}) {
        ops.add(new Op(t + "." + u, "" + c, c, t + "." + u + " (local.get 0)", true));
      }
      ops.add(new Op(t + ".eqz", "" + c, 'i', t + ".eqz (local.get 0)", true));
      ops.add(new Op(t + ".add_k", "" + c, c, t + ".add (local.get 0) (" + t + ".const -4095)", true));
      ops.add(new Op(t + ".and_k", "" + c, c, t + ".and (local.get 0) (" + t + ".const 0xff00)", true));
      ops.add(new Op(t + ".shl_k", "" + c, c, t + ".shl (local.get 0) (" + t + ".const 35)", true));
      ops.add(new Op(t + ".rotl_k", "" + c, c, t + ".rotl (local.get 0) (" + t + ".const 7)", true));
      ops.add(new Op(t + ".div_s_k", "" + c, c, t + ".div_s (local.get 0) (" + t + ".const -1)", true));
    }
    ops.add(new Op("i64.extend32_s", "l", 'l', "i64.extend32_s (local.get 0)", true));
    ops.add(new Op("i64.extend_i32_s", "i", 'l', "i64.extend_i32_s (local.get 0)", true));
    ops.add(new Op("i64.extend_i32_u", "i", 'l', "i64.extend_i32_u (local.get 0)", true));
    ops.add(new Op("i32.wrap_i64", "l", 'i', "i32.wrap_i64 (local.get 0)", true));
    ops.addAll(OperatorOracle.floatOperators());
    return ops;
  }

  @Test
  void everyOperatorMatchesTheInterpreterOnTheEmulator() throws Exception {
    List<Op> ops = operators();
    Module module = Wasm.load(Wat.toBinaryWithNames(OperatorOracle.moduleText(ops), "test.wat"));
    ModuleEnvironment env = new ModuleEnvironment(module);
    List<Function> reference = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      reference.add(FuncTranslator.translate(env, i));
    }
    OperatorOracle.Outcome outcome;
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(Artifacts.compile(module, new AArch64Backend(true)), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      outcome = OperatorOracle.sweep(ops, reference, instance, VALUES);
    }
    if (!outcome.failures().isEmpty()) {
      fail(outcome.failures().size() + "+ mismatches\n" + String.join("\n", outcome.failures()));
    }
    assertTrue(outcome.cases() > 20_000, "ran " + outcome.cases() + " cases");
  }

  // ------------------------------------------------------------------ programs, both targets

  private static final String PROGRAMS = """
      (module
        (memory 1 4)
        (func $sum10 (param i64 i64 i64 i64 i64 i64 i64 i64 i64 i64) (result i64)
          (i64.add (i64.add (i64.add (local.get 0) (i64.mul (local.get 1) (i64.const 3)))
            (i64.add (local.get 2) (i64.sub (local.get 3) (local.get 4))))
            (i64.add (i64.add (local.get 5) (i64.shl (local.get 6) (i64.const 2)))
              (i64.add (local.get 7) (i64.xor (local.get 8) (local.get 9))))))
        (func (export "stack_args") (param i64) (result i64)
          (call $sum10 (local.get 0) (i64.const 2) (i64.const 3) (i64.const 40) (i64.const 5)
            (i64.const 6) (i64.const 7) (i64.const 8) (i64.const 9) (local.get 0)))
        (func $three (param i32 f64) (result i32 i64 f64 i32 f32 i64)
          (local.get 0) (i64.extend_i32_s (local.get 0)) (f64.mul (local.get 1) (f64.const 2))
          (i32.mul (local.get 0) (i32.const 3)) (f32.demote_f64 (local.get 1))
          (i64.const -5))
        (func (export "return_area") (param i32) (result i64)
          (local i32 i64 f64 i32 f32 i64)
          (call $three (local.get 0) (f64.const 1.25))
          (local.set 6) (local.set 5) (local.set 4) (local.set 3) (local.set 2) (local.set 1)
          (i64.add (i64.add (i64.extend_i32_u (local.get 1)) (local.get 2))
            (i64.add (i64.trunc_f64_s (local.get 3))
              (i64.add (i64.extend_i32_u (local.get 4))
                (i64.add (i64.trunc_f32_s (local.get 5)) (local.get 6))))))
        (func $fib (param i32) (result i32)
          (if (result i32) (i32.lt_u (local.get 0) (i32.const 2)) (then (local.get 0))
            (else (i32.add (call $fib (i32.sub (local.get 0) (i32.const 1)))
              (call $fib (i32.sub (local.get 0) (i32.const 2)))))))
        (func (export "fib") (param i32) (result i32) (call $fib (local.get 0)))
        (func $deep (param i64) (result i64)
          (i64.add (call $deep (i64.add (local.get 0) (i64.const 1))) (i64.const 1)))
        (func (export "overflow") (result i64) (call $deep (i64.const 0)))
        (func (export "table") (param i32) (result i32)
          (block $d (block $c (block $b (block $a
            (br_table $a $b $c $a $b $c $a $b $c $a $b $c $a $b $c $a $b $c $a $b $d
              (local.get 0)))
            (return (i32.const 10))) (return (i32.const 20))) (return (i32.const 30)))
          (i32.const 40))
        (func (export "memory") (param i32) (result i64)
          (local $i i32) (local $acc i64)
          (drop (memory.grow (i32.const 1)))
          (local.set $i (i32.const 0))
          (loop $fill
            (i64.store offset=65536 (i32.shl (local.get $i) (i32.const 3))
              (i64.mul (i64.extend_i32_u (local.get $i)) (i64.const 0x100000001)))
            (i32.store8 offset=3 (local.get $i) (local.get $i))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $fill (i32.lt_u (local.get $i) (local.get 0))))
          (local.set $i (i32.const 0))
          (loop $sum
            (local.set $acc (i64.add (local.get $acc)
              (i64.load offset=65536 (i32.shl (local.get $i) (i32.const 3)))))
            (local.set $acc (i64.add (local.get $acc) (i64.load8_s offset=3 (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $sum (i32.lt_u (local.get $i) (local.get 0))))
          (i64.add (local.get $acc) (i64.extend_i32_u (memory.size))))
        (func (export "oob") (param i32) (result i32) (i32.load offset=8 (local.get 0)))
        (func (export "pressure") (param i64) (result i64)
          (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64
            i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
          (local.set 1 (i64.add (local.get 0) (i64.const 1)))
          (local.set 2 (i64.mul (local.get 1) (i64.const 3)))
          (local.set 3 (i64.xor (local.get 2) (local.get 0)))
          (local.set 4 (i64.add (local.get 3) (local.get 1)))
          (local.set 5 (i64.sub (local.get 4) (local.get 2)))
          (local.set 6 (i64.rotl (local.get 5) (local.get 3)))
          (local.set 7 (i64.add (local.get 6) (local.get 4)))
          (local.set 8 (i64.mul (local.get 7) (local.get 5)))
          (local.set 9 (i64.or (local.get 8) (local.get 6)))
          (local.set 10 (i64.add (local.get 9) (local.get 7)))
          (local.set 11 (i64.add (local.get 10) (local.get 8)))
          (local.set 12 (i64.add (local.get 11) (local.get 9)))
          (local.set 13 (i64.add (local.get 12) (local.get 10)))
          (local.set 14 (i64.add (local.get 13) (local.get 11)))
          (local.set 15 (i64.add (local.get 14) (local.get 12)))
          (local.set 16 (i64.add (local.get 15) (local.get 13)))
          (local.set 17 (i64.add (local.get 16) (local.get 14)))
          (local.set 18 (i64.add (local.get 17) (local.get 15)))
          (local.set 19 (i64.add (local.get 18) (local.get 16)))
          (local.set 20 (i64.add (local.get 19) (local.get 17)))
          (local.set 21 (i64.add (local.get 20) (call $fib64 (local.get 18))))
          (local.set 22 (i64.add (local.get 21) (local.get 19)))
          (local.set 23 (i64.add (local.get 22) (local.get 20)))
          (local.set 24 (i64.add (local.get 23) (local.get 1)))
          (local.set 25 (i64.add (local.get 24) (local.get 2)))
          (local.set 26 (i64.add (local.get 25) (local.get 3)))
          (local.set 27 (i64.add (local.get 26) (local.get 4)))
          (local.set 28 (i64.add (local.get 27) (local.get 5)))
          (local.set 29 (i64.add (local.get 28) (local.get 6)))
          (local.set 30 (i64.add (local.get 29) (local.get 7)))
          (i64.add (local.get 30) (i64.add (local.get 1) (i64.add (local.get 2) (i64.add
            (local.get 3) (i64.add (local.get 4) (i64.add (local.get 5) (i64.add (local.get 6)
            (i64.add (local.get 7) (i64.add (local.get 8) (i64.add (local.get 9) (i64.add
            (local.get 10) (i64.add (local.get 11) (i64.add (local.get 12) (local.get 13)))))))))))))))
        (func $fib64 (param i64) (result i64) (i64.and (local.get 0) (i64.const 255)))
      )
      """;

  @Test
  void programsGiveTheSameResultsAsOnX86() throws Exception {
    Module module = Wasm.load(Wat.toBinaryWithNames(PROGRAMS, "test.wat"));
    List<String> aarch64 = run(module, new AArch64Backend(true));
    List<String> x86 = run(module, X64Backend.forHost());
    assertEquals(x86, aarch64);
    assertTrue(aarch64.contains("fib(20) = [6765]"), aarch64::toString);
    assertTrue(aarch64.contains("overflow() = trap STACK_OVERFLOW"), aarch64::toString);
    assertTrue(aarch64.contains("oob(196600) = trap HEAP_OUT_OF_BOUNDS"), aarch64::toString);
  }

  private List<String> run(Module module, Backend backend) {
    List<String> out = new ArrayList<>();
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(Artifacts.compile(module, backend), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      Consumer<String> call = text -> {
        String name = text.substring(0, text.indexOf('('));
        String inside = text.substring(text.indexOf('(') + 1, text.length() - 1);
        long[] args = inside.isEmpty() ? new long[0]
            : java.util.Arrays.stream(inside.split(",")).mapToLong(Long::parseLong).toArray();
        try {
          out.add(text + " = " + instance.invoke(name, args).stream().map(WasmValue::bits).toList());
        } catch (TrapException t) {
          out.add(text + " = trap " + t.code());
        }
      };
      for (String c : List.of("stack_args(1)", "stack_args(-7)", "return_area(5)",
          "return_area(-3)", "fib(0)", "fib(1)", "fib(20)", "overflow()", "fib(10)", "table(0)",
          "table(1)", "table(2)", "table(19)", "table(20)", "table(21)", "table(1000)",
          "memory(100)", "memory(4000)", "oob(65524)", "oob(196596)", "oob(196600)", "oob(-1)", "pressure(3)",
          "pressure(-1000)")) {
        call.accept(c);
      }
    }
    return out;
  }

  @Test
  void aTrapLeavesTheStoreUsable() throws Exception {
    Module module = Wasm.load(Wat.toBinaryWithNames(PROGRAMS, "test.wat"));
    try (NativeStore store = new NativeStore();
        LoadedModule loaded = LoadedModule.fromBytes(Artifacts.compile(module, new AArch64Backend(true)), null);
        LoadedInstance instance = LoadedInstance.instantiate(loaded, store)) {
      TrapException trap = assertThrows(TrapException.class, () -> instance.invoke("overflow"));
      assertEquals(TrapCode.STACK_OVERFLOW, trap.code());
      assertEquals(List.of(new WasmValue.I32(6765)), instance.invoke("fib", 20));
    }
  }
}
