package dev.kiln.tests.limits;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Engine;
import dev.kiln.wat.Wat;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Fuel metering on both targets, against counts worked out by hand from the cost model ({@code
 * artifact.vm.ExecutionLimits}: 1 per operator, 0 for nop, drop, block, loop, end, else,
 * unreachable, return; checks at function entries and loop headers).
 *
 * <ul>
 *   <li>{@code burn}'s loop body is global.get, i32.const, i32.add, global.set, br: 5 per
 *       iteration, so with fuel F the header check after iteration k traps once 5k >= F: the
 *       global ends at ceil(F / 5).
 *   <li>{@code count n} runs n iterations of local.get, i32.const, i32.add, local.set, local.get,
 *       local.get, i32.lt_u, br_if (8 each) and one local.get: 8n + 1. With fuel 72 the check
 *       before iteration 10 sees 72 spent and traps; with 73 the loop exits first and the call
 *       returns, 8 past its budget.
 * </ul>
 */
class FuelTest {
  private static final ExecutionLimits FUEL = new ExecutionLimits(false, true);

  private static final String METERED = """
      (module
        (global $n (mut i32) (i32.const 0))
        (func (export "burn") (loop $l (global.set $n (i32.add (global.get $n) (i32.const 1))) (br $l)))
        (func $count (export "count") (param $n i32) (result i32) (local $i i32)
          (loop $l
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
          (local.get $i)))
      """;

  private static final String REFILLED = """
      (module
        (import "env" "refill" (func $refill))
        (func (export "run") (loop $l (call $refill) (br $l))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void anEndlessLoopRunsOutAfterTheSameIterationsOnEveryRun(Target target) throws Exception {
    LimitedCode.assumeRunnable(target);
    for (long fuel : new long[] {1, 5, 1000, 1003}) {
      for (int run = 0; run < 3; run++) {
        Burned burned = burn(target, fuel);
        assertEquals((fuel + 4) / 5, burned.iterations(), "fuel " + fuel + ", run " + run);
        assertEquals(5 * burned.iterations() - fuel, burned.consumedPastBudget(), "fuel " + fuel);
      }
    }
  }

  @Test
  void bothTargetsRunOutAtTheSameCount() throws Exception {
    assumeTrue(Executors.canRun(Target.X86_64) && Executors.canRun(Target.AARCH64), "needs both targets");
    for (long fuel : new long[] {7, 777, 12_345}) {
      assertEquals(burn(Target.X86_64, fuel), burn(Target.AARCH64, fuel), "fuel " + fuel);
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aCallSpendsItsOperatorsExactlyAndTheBudgetBoundaryIsExact(Target target) throws Exception {
    LimitedCode.assumeRunnable(target);
    try (NativeStore store = new NativeStore(); LoadedModule module = LimitedCode.load(METERED, target, FUEL);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      store.setFuel(1000);
      assertEquals(List.of(new WasmValue.I32(10)), instance.invoke("count", 10));
      assertEquals(1000 - 81, store.fuel());
      assertEquals(List.of(new WasmValue.I32(1)), instance.invoke("count", 1));
      assertEquals(1000 - 81 - 9, store.fuel());

      store.setFuel(72);
      TrapException trap = assertThrows(TrapException.class, () -> instance.invoke("count", 10));
      assertEquals(TrapCode.OUT_OF_FUEL, trap.code());
      assertEquals("out of fuel", trap.getMessage());
      assertEquals(List.of("count"), trap.functionNames());
      assertEquals(0, store.fuel());

      // Refuelled, the same store and thread run it to the end.
      store.addFuel(1000);
      assertEquals(List.of(new WasmValue.I32(10)), instance.invoke("count", 10));
      assertEquals(1000 - 81, store.fuel());

      store.setFuel(73);
      assertEquals(List.of(new WasmValue.I32(10)), instance.invoke("count", 10));
      assertEquals(0, store.fuel());

      store.setFuel(0);
      assertEquals(TrapCode.OUT_OF_FUEL, assertThrows(TrapException.class, () -> instance.invoke("count", 1)).code());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void fuelAHostFunctionAddsIsSpentAfterItReturns(Target target) throws Exception {
    LimitedCode.assumeRunnable(target);
    // Each iteration is call (1) and br (1). From 20: 10 calls. A first call that adds 100 (the
    // store then holds 119: one unit went to that call) gives 1 + 118 / 2 = 60.
    assertEquals(10, callsUntilOutOfFuel(target, 20, 0));
    assertEquals(60, callsUntilOutOfFuel(target, 20, 100));
  }

  private static int callsUntilOutOfFuel(Target target, long fuel, long firstRefill) throws Exception {
    AtomicInteger calls = new AtomicInteger();
    try (NativeStore store = new NativeStore(); LoadedModule module = LimitedCode.load(REFILLED, target, FUEL)) {
      ImportNamespace linker = new ImportNamespace(store, target);
      linker.defineFunction("env", "refill", new FuncType(List.of(), List.of()), args -> {
        if (calls.incrementAndGet() == 1) {
          store.addFuel(firstRefill);
        }
        return List.of();
      });
      try (LoadedInstance instance = linker.instantiate(module)) {
        store.setFuel(fuel);
        assertEquals(TrapCode.OUT_OF_FUEL, assertThrows(TrapException.class, () -> instance.invoke("run")).code());
      }
    }
    return calls.get();
  }

  /**
   * Fuel a callee spends counts wherever control comes back from it: {@code $burn} spends 5 per
   * iteration for 100 iterations (500) and then returns or throws. Each loop below runs it at most
   * {@value #ROUNDS} times, far more than fuel {@value #BUDGET} pays for, so each must run out,
   * after at most {@value #BUDGET} / 500 rounds. Without the store's count brought up to date
   * before the callee or the unwinder reads it, and read again where control comes back (after a
   * {@code call_ref}, at a landing pad), the callee's spending was lost and each loop ran all its
   * rounds; a self tail call through {@code return_call_ref} never ran out at all.
   */
  private static final String ACROSS = """
      (module
        (type $t (func))
        (type $countdown (func (param i32)))
        (tag $e)
        (elem declare func $burnAndReturn $spin)
        (global $rounds (mut i32) (i32.const 0))
        (func $burnAndReturn (type $t) (local $i i32)
          (loop $l
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $l (i32.lt_u (local.get $i) (i32.const 100)))))
        (func $burnAndThrow (call $burnAndReturn) (throw $e))
        (func $round (result i32)
          (global.set $rounds (i32.add (global.get $rounds) (i32.const 1)))
          (i32.lt_u (global.get $rounds) (i32.const %d)))
        (func (export "rounds") (result i32) (global.get $rounds))
        (func (export "try-table")
          (loop $l
            (block $h (try_table (catch_all $h) (call $burnAndThrow)))
            (br_if $l (call $round))))
        (func (export "legacy")
          (loop $l
            (try (do (call $burnAndThrow)) (catch_all))
            (br_if $l (call $round))))
        (func (export "call-ref")
          (loop $l
            (call_ref $t (ref.func $burnAndReturn))
            (br_if $l (call $round))))
        (func $spin (type $countdown)
          (if (local.get 0)
            (then (return_call_ref $countdown (i32.sub (local.get 0) (i32.const 1)) (ref.func $spin)))))
        (func (export "tail-call-ref") (call $spin (i32.const %d))))
      """.formatted(FuelTest.ROUNDS, 500 * FuelTest.ROUNDS);
  private static final int ROUNDS = 2000;
  private static final long BUDGET = 100_000;

  @ParameterizedTest
  @EnumSource(Target.class)
  void fuelSpentByACalleeCountsAfterAThrowAndThroughReferences(Target target) throws Exception {
    LimitedCode.assumeRunnable(target);
    try (NativeStore store = new NativeStore(); LoadedModule module = LimitedCode.load(ACROSS, target, FUEL)) {
      // each loop judged on its own, in a fresh instance
      assertAll(Stream.of("try-table", "legacy", "call-ref", "tail-call-ref").map(loop -> () -> {
        try (LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
          store.setFuel(BUDGET);
          TrapException trap = assertThrows(TrapException.class, () -> instance.invoke(loop), loop);
          assertEquals(TrapCode.OUT_OF_FUEL, trap.code(), loop);
          store.setFuel(BUDGET);
          long rounds = instance.invoke("rounds").getFirst().bits();
          assertTrue(rounds <= BUDGET / 500, loop + " ran " + rounds + " rounds of 500 on " + BUDGET);
        }
      }));
    }
  }

  @Test
  void anEngineCompilesWasmWithTheChecksItAsksFor() throws Exception {
    LimitedCode.assumeRunnable(Target.X86_64);
    Engine engine = new Engine().withCompiler(LimitedCode::compileWasm).withConsumeFuel(true);
    try (NativeStore store = engine.newStore(); LoadedModule module = engine.compile(Wat.toBinaryWithNames(METERED, "test.wat"));
        LoadedInstance instance = new ImportNamespace(store).instantiate(module)) {
      assertEquals("true", module.file().compat().settings().get(ExecutionLimits.CONSUME_FUEL_SETTING));
      assertEquals(TrapCode.OUT_OF_FUEL, assertThrows(TrapException.class, () -> instance.invoke("count", 3)).code());
      store.setFuel(100);
      assertEquals(List.of(new WasmValue.I32(3)), instance.invoke("count", 3));
      assertEquals(100 - 25, store.fuel());
    }
  }

  /** How far {@code burn} got on {@code fuel}, and how far past the budget its count went. */
  private record Burned(long iterations, long consumedPastBudget) {}

  private static Burned burn(Target target, long fuel) throws Exception {
    try (NativeStore store = new NativeStore(); LoadedModule module = LimitedCode.load(METERED, target, FUEL);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      store.setFuel(fuel);
      assertEquals(TrapCode.OUT_OF_FUEL, assertThrows(TrapException.class, () -> instance.invoke("burn")).code());
      return new Burned(instance.globalBits(0),
          store.context().get(ValueLayout.JAVA_LONG, StoreLayout.FUEL_CONSUMED));
    }
  }
}
