package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Threads making instances of one module share the module; an instance per request on 16 threads
 * queued on the module's monitor (its instance count and table plan were {@code synchronized}: the
 * most contended lock of the cycle in a JFR recording of {@code jdk.JavaMonitorEnter}, issue 41).
 * Counted, not timed: while another thread holds the module's monitor, a cycle (instantiate, call,
 * close) must still finish, which it cannot if any step takes that monitor.
 */
class ModuleLockFreeCycleTest {
  @Test
  void aCycleTakesNotTheModulesMonitor() throws Exception {
    try (LoadedModule module = PooledCode.load("""
        (module
          (table 2 funcref) (func $f (result i32) (i32.const 5)) (elem (i32.const 0) $f)
          (type $r (func (result i32)))
          (func (export "run") (result i32) (call_indirect (type $r) (i32.const 0))))
        """, HostTarget.current().orElseThrow())) {
      cycle(module); // builds the table plan once; the cycles below must not need the monitor
      CompletableFuture<Integer> cycles;
      synchronized (module) {
        cycles = CompletableFuture.supplyAsync(() -> {
          int done = 0;
          for (int i = 0; i < 20; i++) {
            done += cycle(module);
          }
          return done;
        });
        // Generous: the 20 cycles take milliseconds; only a cycle blocked on the monitor reaches it.
        assertEquals(20, cycles.get(60, TimeUnit.SECONDS));
      }
      assertTrue(cycles.isDone());
    }
  }

  private static int cycle(LoadedModule module) {
    try (NativeStore store = new NativeStore(); LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      return instance.invoke("run").getFirst().bits() == 5 ? 1 : 0;
    }
  }
}
