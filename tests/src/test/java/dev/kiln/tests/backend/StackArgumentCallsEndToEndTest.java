package dev.kiln.tests.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Artifacts;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way into a function with stack arguments under the callee-pops convention (red team 6,
 * F1; {@code codegen.abi.ArgumentArea}), on both targets: from Java through the entry trampoline
 * (stack arguments and a return area), by {@code call_indirect} in a loop (the caller reserves
 * again what the callee popped, so values kept in its frame across the call stay where they were),
 * to a host function (its wasm-to-array trampoline pops like a wasm function), and by a tail call
 * from a function with two parameters into that host function (the area grows in place). The
 * 20 parameters interleave i64 and f64, so on both ISAs integers and floats go to the stack, and
 * every result weighs each argument by its position: one argument read from the wrong slot, or a
 * stack pointer off by a slot after a call, changes the sums.
 */
class StackArgumentCallsEndToEndTest {
  /** Pairs of (i64, f64) parameters. */
  private static final int PAIRS = 10;
  private static final int LOOPS = 1000;

  private static final String PARAMS = " i64 f64".repeat(PAIRS);

  /** Argument k of pair k in round {@code i}: the i64 {@code i + 3k + 1}, the f64 {@code k + 0.5}. */
  private static String arguments(String round) {
    return IntStream.range(0, PAIRS).mapToObj(k -> " (i64.add " + round + " (i64.const " + (3 * k + 1)
        + ")) (f64.const " + (k + 0.5) + ")").collect(Collectors.joining());
  }

  /** {@code sum over pairs of (k + 1) * param(2k + offset)}, as {@code type}. */
  private static String weighted(String type, int offset) {
    String sum = "(" + type + ".const 0)";
    for (int k = 0; k < PAIRS; k++) {
      sum = "(" + type + ".add " + sum + " (" + type + ".mul (local.get " + (2 * k + offset) + ") ("
          + type + ".const " + (k + 1) + ")))";
    }
    return sum;
  }

  private static final String WAT = "(module"
      + " (import \"env\" \"wide\" (func $wide (param" + PARAMS + ") (result i64 f64)))"
      + " (type $many (func (param" + PARAMS + ") (result i64 i64 i64 f64 f64 f64)))"
      + " (table 1 funcref) (elem (i32.const 0) $mix)"
      // Six results: two in registers of each class on x86-64, the rest in the caller's return area.
      + " (func $mix (export \"mix\") (type $many)"
      + "  (i64.sub (local.get 0) (local.get 18)) " + weighted("i64", 0) + " (local.get 18)"
      + "  (local.get 1) " + weighted("f64", 1) + " (local.get 19))"
      + " (func (export \"indirect\") (param $n i64) (result i64) (local $i i64) (local $acc i64)"
      + "  (local $r0 i64) (local $r1 i64) (local $r2 i64) (local $r3 f64) (local $r4 f64) (local $r5 f64)"
      + "  (loop $again"
      + "   (call_indirect (type $many)" + arguments("(local.get $i)") + " (i32.const 0))"
      + "   (local.set $r5) (local.set $r4) (local.set $r3) (local.set $r2) (local.set $r1) (local.set $r0)"
      + "   (local.set $acc (i64.add (local.get $acc) (i64.add (i64.add (local.get $r0) (local.get $r1))"
      + "    (i64.add (local.get $r2) (i64.trunc_f64_s (f64.add (local.get $r3) (f64.add (local.get $r4)"
      + "     (local.get $r5))))))))"
      + "   (local.set $i (i64.add (local.get $i) (i64.const 1)))"
      + "   (br_if $again (i64.lt_u (local.get $i) (local.get $n))))"
      + "  (local.get $acc))"
      + " (func (export \"host\") (param $n i64) (result i64) (local $i i64) (local $acc i64) (local $f f64)"
      + "  (loop $again"
      + "   (call $wide" + arguments("(local.get $i)") + ")"
      + "   (local.set $f)"
      + "   (local.set $acc (i64.add (local.get $acc) (i64.add (i64.trunc_f64_s (local.get $f)))))"
      + "   (local.set $i (i64.add (local.get $i) (i64.const 1)))"
      + "   (br_if $again (i64.lt_u (local.get $i) (local.get $n))))"
      + "  (local.get $acc))"
      + " (func $tailHost (export \"tailHost\") (param $i i64) (param f64) (result i64 f64)"
      + "  (return_call $wide" + arguments("(local.get $i)") + "))"
      + " (func (export \"tailHostLoop\") (param $n i64) (result i64) (local $i i64) (local $acc i64)"
      + "  (local $f f64)"
      + "  (loop $again"
      + "   (call $tailHost (local.get $i) (f64.const 0))"
      + "   (local.set $f)"
      + "   (local.set $acc (i64.add (local.get $acc) (i64.add (i64.trunc_f64_s (local.get $f)))))"
      + "   (local.set $i (i64.add (local.get $i) (i64.const 1)))"
      + "   (br_if $again (i64.lt_u (local.get $i) (local.get $n))))"
      + "  (local.get $acc)))";

  /** The 20 arguments of round {@code i} ({@link #arguments}). */
  private static List<WasmValue> argumentValues(long i) {
    List<WasmValue> values = new ArrayList<>();
    for (int k = 0; k < PAIRS; k++) {
      values.add(new WasmValue.I64(i + 3 * k + 1));
      values.add(new WasmValue.F64(k + 0.5));
    }
    return values;
  }

  private static long weightedInts(List<WasmValue> args) {
    long sum = 0;
    for (int k = 0; k < PAIRS; k++) {
      sum += (k + 1) * ((WasmValue.I64) args.get(2 * k)).value();
    }
    return sum;
  }

  private static double weightedFloats(List<WasmValue> args) {
    double sum = 0;
    for (int k = 0; k < PAIRS; k++) {
      sum += (k + 1) * ((WasmValue.F64) args.get(2 * k + 1)).value();
    }
    return sum;
  }

  /** What {@code $mix} returns for {@code args}. */
  private static List<WasmValue> mix(List<WasmValue> args) {
    long first = ((WasmValue.I64) args.get(0)).value();
    long last = ((WasmValue.I64) args.get(18)).value();
    return List.of(new WasmValue.I64(first - last), new WasmValue.I64(weightedInts(args)),
        new WasmValue.I64(last), args.get(1), new WasmValue.F64(weightedFloats(args)), args.get(19));
  }

  private static long sumOfMix(long rounds) {
    long acc = 0;
    for (long i = 0; i < rounds; i++) {
      List<WasmValue> r = mix(argumentValues(i));
      acc += ((WasmValue.I64) r.get(0)).value() + ((WasmValue.I64) r.get(1)).value()
          + ((WasmValue.I64) r.get(2)).value() + (long) (((WasmValue.F64) r.get(3)).value()
          + (((WasmValue.F64) r.get(4)).value() + ((WasmValue.F64) r.get(5)).value()));
    }
    return acc;
  }

  /** What the loops calling {@code $wide} add up: its integer result and its float one truncated. */
  private static long sumOfWide(long rounds) {
    long acc = 0;
    for (long i = 0; i < rounds; i++) {
      List<WasmValue> args = argumentValues(i);
      acc += weightedInts(args) + (long) weightedFloats(args);
    }
    return acc;
  }

  private static Backend backend(Target target) {
    return target == Target.X86_64 ? new X64Backend(CpuFeatures.host(), true) : new AArch64Backend(true);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void callsWithStackArgumentsFromJavaIndirectlyToTheHostAndByTailCallReturnTheRightValues(Target target)
      throws Exception {
    Assumptions.assumeTrue(Executors.canRun(target), target + " code cannot run here");
    List<ValType> params = new ArrayList<>();
    for (int k = 0; k < PAIRS; k++) {
      params.add(ValType.I64);
      params.add(ValType.F64);
    }
    FuncType wideType = new FuncType(params, List.of(ValType.I64, ValType.F64));
    try (NativeStore store = new NativeStore();
        LoadedModule module = LoadedModule.fromBytes(Artifacts.fromWat(WAT, backend(target)), null)) {
      ImportNamespace linker = new ImportNamespace(store, target);
      linker.defineFunction("env", "wide", wideType,
          args -> List.of(new WasmValue.I64(weightedInts(args)), new WasmValue.F64(weightedFloats(args))));
      try (LoadedInstance instance = linker.instantiate(module)) {
        assertEquals(mix(argumentValues(77)), instance.invoke("mix", argumentValues(77)),
            "from Java through the entry trampoline");
        assertEquals(sumOfMix(LOOPS), instance.invoke("indirect", LOOPS).get(0).bits(), "by call_indirect");
        assertEquals(sumOfWide(LOOPS), instance.invoke("host", LOOPS).get(0).bits(), "to the host");
        List<WasmValue> args = argumentValues(5);
        assertEquals(List.of(new WasmValue.I64(weightedInts(args)), new WasmValue.F64(weightedFloats(args))),
            instance.invoke("tailHost", List.of(new WasmValue.I64(5), new WasmValue.F64(0))),
            "a tail call into the host from Java");
        assertEquals(sumOfWide(LOOPS), instance.invoke("tailHostLoop", LOOPS).get(0).bits(),
            "a tail call into the host from wasm");
      }
    }
  }
}
