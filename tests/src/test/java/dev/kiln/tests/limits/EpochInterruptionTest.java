package dev.kiln.tests.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.Epoch;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Engine;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Epoch interruption on both targets: guests that never return by themselves (a loop, a loop of
 * calls, a cycle of tail calls with no loop at all) stop with an {@code interrupt} trap once
 * another thread advances the epoch past the store's deadline, and the same thread then runs wasm
 * in the same store again. Where the epoch moves inside the guest (from a host function) the stop
 * is exact, with no clock involved.
 */
class EpochInterruptionTest {
  private static final ExecutionLimits EPOCHS = new ExecutionLimits(true, false);
  /** How long the timer waits before advancing the epoch. */
  private static final Duration TIMEOUT = Duration.ofMillis(500);
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private static final String ENDLESS = """
      (module
        (global $n (mut i64) (i64.const 0))
        (func $spin (export "spin")
          (loop $l (global.set $n (i64.add (global.get $n) (i64.const 1))) (br $l)))
        (func $bump (global.set $n (i64.add (global.get $n) (i64.const 1))))
        (func $callLoop (export "callLoop") (loop $l (call $bump) (br $l)))
        (func $bumpTwice (call $bump) (call $bump))
        (func $callerLoop (export "callerLoop") (loop $l (call $bumpTwice) (br $l)))
        (func $ping (export "tailCalls") (call $bump) (return_call $pong))
        (func $pong (call $bump) (return_call $ping))
        (func $callOnce (export "callOnce") (call $bump))
        (func $add (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))
      """;

  private static final String TICKING = """
      (module
        (import "env" "tick" (func $tick))
        (global $n (mut i32) (i32.const 0))
        (func $run (export "run") (loop $l (call $tick) (global.set $n (i32.add (global.get $n) (i32.const 1))) (br $l))))
      """;

  static Stream<Arguments> endlessGuests() {
    return Stream.of(Target.values()).flatMap(target -> Stream.of(
        Arguments.of(target, "spin", Set.of("spin")),
        Arguments.of(target, "callLoop", Set.of("callLoop", "bump")),
        // The loop header has no check (its body calls a function that checks at entry first):
        // the interrupt comes from bumpTwice's entry.
        Arguments.of(target, "callerLoop", Set.of("bumpTwice")),
        Arguments.of(target, "tailCalls", Set.of("ping", "pong", "bump"))));
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("endlessGuests")
  void anEndlessGuestStopsWithinTwiceTheTimeoutAndTheThreadRunsWasmAgain(Target target, String export,
      Set<String> innermost) throws Exception {
    LimitedCode.assumeRunnable(target);
    try (NativeStore store = new NativeStore(); LoadedModule module = LimitedCode.load(ENDLESS, target, EPOCHS);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      store.setEpochDeadline(1);
      long start = System.nanoTime();
      AtomicLong guestCpuAtAdvance = new AtomicLong();
      Thread timer = advanceAfter(store.epoch(), TIMEOUT, Thread.currentThread(), guestCpuAtAdvance);
      TrapException trap = assertThrows(TrapException.class, () -> instance.invoke(export));
      long trappedAt = System.nanoTime();
      long guestCpuAtTrap = THREADS.getCurrentThreadCpuTime();
      timer.join();
      assertEquals(TrapCode.INTERRUPT, trap.code());
      assertEquals("interrupt", trap.getMessage());
      assertTrue(innermost.contains(trap.functionNames().getFirst()), trap.functionNames().toString());
      // The sleep lasts at least the timeout, so an earlier trap would not be the timer's. The
      // issue's bound is twice the timeout: the code must stop within one timeout of the epoch's
      // advance (compiled code checks every loop iteration), counted in the guest thread's CPU time
      // from the advance, so that neither a timer thread a loaded machine wakes late nor a guest
      // thread it does not run counts against the code (wall time failed at a load of 27).
      assertTrue(Duration.ofNanos(trappedAt - start).compareTo(TIMEOUT) >= 0,
          "trapped after " + Duration.ofNanos(trappedAt - start));
      Duration reaction = Duration.ofNanos(guestCpuAtTrap - guestCpuAtAdvance.get());
      assertTrue(!reaction.isNegative() && reaction.compareTo(TIMEOUT) < 0,
          "trapped after " + reaction + " of the guest thread's CPU time once the epoch advanced");
      assertTrue(instance.globalBits(0) > 0, "the guest ran until the interrupt");

      store.setEpochDeadline(1);
      assertEquals(List.of(new WasmValue.I32(5)), instance.invoke("add", 2, 3));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anEpochAdvancedFromAHostCallStopsTheLoopAtItsNextHeader(Target target) throws Exception {
    LimitedCode.assumeRunnable(target);
    AtomicInteger ticks = new AtomicInteger();
    try (NativeStore store = new NativeStore(); LoadedModule module = LimitedCode.load(TICKING, target, EPOCHS)) {
      ImportNamespace linker = new ImportNamespace(store, target);
      linker.defineFunction("env", "tick", new FuncType(List.of(), List.of()), args -> {
        int tick = ticks.incrementAndGet();
        if (tick == 5 || tick == 10) {
          store.epoch().increment();
        }
        if (tick == 5) {
          // Moved one tick further on: the loop's cached deadline is stale, its re-read is not.
          store.setEpochDeadline(1);
        }
        return List.of();
      });
      try (LoadedInstance instance = linker.instantiate(module)) {
        store.setEpochDeadline(1);
        TrapException trap = assertThrows(TrapException.class, () -> instance.invoke("run"));
        assertEquals(TrapCode.INTERRUPT, trap.code());
        assertEquals("run", trap.functionNames().getFirst());
        assertEquals(10, ticks.get());
        assertEquals(10, instance.globalBits(0), "each tick's iteration finished before the check");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aFreshStoresDeadlineTrapsAtTheFirstCheckAndALaterOneLetsCodeRun(Target target) throws Exception {
    LimitedCode.assumeRunnable(target);
    try (NativeStore store = new NativeStore(); LoadedModule module = LimitedCode.load(ENDLESS, target, EPOCHS);
        LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      TrapException trap = assertThrows(TrapException.class, () -> instance.invoke("callOnce"));
      assertEquals(TrapCode.INTERRUPT, trap.code());
      assertEquals(List.of("callOnce"), trap.functionNames());
      // A function that calls nothing and has no loop runs to its return: it has no check.
      assertEquals(List.of(new WasmValue.I32(3)), instance.invoke("add", 1, 2));
      store.setEpochDeadline(3);
      store.epoch().increment();
      store.epoch().increment();
      instance.invoke("callOnce");
      assertEquals(1, instance.globalBits(0));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anEnginesStoresShareItsEpochAndItRefusesCodeCompiledTheOtherWay(Target target) throws Exception {
    LimitedCode.assumeRunnable(target);
    Engine engine = new Engine().withEpochInterruption(true);
    try (NativeStore first = engine.newStore(); NativeStore second = engine.newStore();
        LoadedModule module = engine.fromArtifact(LimitedCode.compile(ENDLESS, target, EPOCHS))) {
      assertTrue(first.epoch() == engine.epoch() && second.epoch() == engine.epoch());
      first.setEpochDeadline(1);
      second.setEpochDeadline(2);
      engine.incrementEpoch();
      try (LoadedInstance a = new ImportNamespace(first, target).instantiate(module);
          LoadedInstance b = new ImportNamespace(second, target).instantiate(module)) {
        assertEquals(TrapCode.INTERRUPT, assertThrows(TrapException.class, () -> a.invoke("callOnce")).code());
        b.invoke("callOnce");
        assertEquals(1, b.globalBits(0));
      }
    }
    byte[] plain = LimitedCode.compile(ENDLESS, target, ExecutionLimits.NONE);
    String refused = assertThrows(IncompatibleArtifactException.class, () -> engine.fromArtifact(plain)).getMessage();
    assertTrue(refused.contains("compiled without epoch interruption, which this runtime asks for"), refused);
    byte[] checked = LimitedCode.compile(ENDLESS, target, EPOCHS);
    refused = assertThrows(IncompatibleArtifactException.class, () -> new Engine().fromArtifact(checked)).getMessage();
    assertTrue(refused.contains("compiled with epoch interruption, which this runtime does not ask for"), refused);
  }

  /**
   * A thread that advances {@code epoch} once {@code delay} has passed, noting {@code guest}'s CPU
   * time at that moment in {@code guestCpu}.
   */
  private static Thread advanceAfter(Epoch epoch, Duration delay, Thread guest, AtomicLong guestCpu) {
    return Thread.ofPlatform().daemon().start(() -> {
      try {
        Thread.sleep(delay);
        guestCpu.set(THREADS.getThreadCpuTime(guest.threadId()));
        epoch.increment();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
  }
}
