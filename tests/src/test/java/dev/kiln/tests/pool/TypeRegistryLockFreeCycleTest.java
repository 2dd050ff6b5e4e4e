package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.Epoch;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.RuntimeTypes;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.runtime.WasmValue;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every store of an engine shares its type registry ({@link RuntimeTypes}), and every instantiation
 * needs the runtime id of each of its module's types, a host function its type's id, an import
 * match and a typed funcref argument a subtype check. With the registry's monitor taken for each of
 * those, an instance per request on 16 threads queued on it (the one contended monitor of the cycle
 * in a JFR recording of {@code jdk.JavaMonitorEnter} after warm-up, issue 41). Counted, not timed:
 * while another thread holds the registry's monitor, cycles whose types all have ids already must
 * still finish, which they cannot if any step takes that monitor.
 */
class TypeRegistryLockFreeCycleTest {
  private static final String MODULE = """
      (module
        (import "env" "twice" (func $twice (param i32) (result i32)))
        (type $unary (func (param i32) (result i32)))
        (table 2 funcref) (elem (i32.const 0) $twice $inc)
        (func $inc (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
        (func (export "run") (param i32) (result i32)
          (call_indirect (type $unary)
            (call_indirect (type $unary) (local.get 0) (i32.const 0))
            (i32.const 1))))
      """;
  private static final FuncType UNARY = new FuncType(List.of(ValType.I32), List.of(ValType.I32));

  @Test
  void aCycleWhoseTypesHaveIdsTakesNotTheRegistrysMonitor() throws Exception {
    Target target = HostTarget.current().orElseThrow();
    RuntimeTypes types = new RuntimeTypes();
    try (LoadedModule module = PooledCode.load(MODULE, target)) {
      assertEquals(1, cycle(module, types, target)); // gives the module's and the host function's types ids
      CompletableFuture<Integer> cycles;
      synchronized (types) {
        cycles = CompletableFuture.supplyAsync(() -> {
          int done = 0;
          for (int i = 0; i < 20; i++) {
            done += cycle(module, types, target);
          }
          return done;
        });
        // Generous: the 20 cycles take milliseconds; only a cycle blocked on the monitor reaches it.
        assertEquals(20, cycles.get(60, TimeUnit.SECONDS));
      }
    }
  }

  @Test
  void aTypeSeenFirstStillGetsItsIdWhileOthersAreLookedUp() throws Exception {
    // The other side of the lock-free lookups: registering stays under the monitor, and a store of a
    // fresh registry sees its module's types registered and matched as before.
    Target target = HostTarget.current().orElseThrow();
    RuntimeTypes first = new RuntimeTypes();
    RuntimeTypes second = new RuntimeTypes();
    try (LoadedModule module = PooledCode.load(MODULE, target)) {
      assertEquals(1, cycle(module, first, target));
      assertEquals(1, cycle(module, second, target)); // the module's ids are worked out again for this registry
      assertEquals(1, cycle(module, first, target));
    }
  }

  /** Store, host function, instance, one call through both table slots, close: 1 if run(20) is 41. */
  private static int cycle(LoadedModule module, RuntimeTypes types, Target target) {
    try (NativeStore store = new NativeStore(new Epoch(), types, NativeStore.DEFAULT_MAX_WASM_STACK,
        NativeStore.DEFAULT_HEADROOM, StoreLimits.DEFAULTS)) {
      ImportNamespace linker = new ImportNamespace(store, target);
      linker.defineFunction("env", "twice", UNARY,
          args -> List.of(new WasmValue.I32(2 * (int) args.getFirst().bits())));
      try (LoadedInstance instance = linker.instantiate(module)) {
        return instance.invoke("run", 20).getFirst().bits() == 41 ? 1 : 0;
      }
    }
  }
}
