package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.loader.sys.WasmFaults;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.PoolingAllocation;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;
import dev.kiln.wat.Wat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A pooled memory's slot passes from instance to instance, and each instantiation gives the slot's
 * guard-fault entry the new store's context ({@code WasmFaults.Registration.retarget}). That took
 * the process-wide monitor of {@link WasmFaults}, the one monitor two threads cycling pooled
 * instances contended for (JFR {@code jdk.JavaMonitorEnter}, issue 41). Counted, not timed: while
 * another thread holds that monitor, pooled cycles must still finish, which they cannot if the
 * retarget takes it.
 */
class GuardRetargetLockFreeCycleTest {
  private static final String MODULE = """
      (module
        (memory 1)
        (data (i32.const 0) "\\07")
        (func (export "poke") (param i32) (result i32)
          (i32.store8 (i32.const 1) (local.get 0))
          (i32.add (i32.load8_u (i32.const 0)) (i32.load8_u (i32.const 1)))))
      """;

  @Test
  void aPooledCycleTakesNotTheGuardTablesMonitor() throws Exception {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(2).withMaxMemoryBytes(1 << 20)).build();
    try (WasmModule module = WasmModule.compile(engine, Wat.toBinary(MODULE, "retarget.wat"))) {
      assertEquals(10, cycle(engine, module)); // the slot is made and registered: that takes the monitor
      CompletableFuture<Integer> cycles;
      synchronized (WasmFaults.class) {
        cycles = CompletableFuture.supplyAsync(() -> {
          int sum = 0;
          for (int i = 0; i < 20; i++) {
            sum += cycle(engine, module);
          }
          return sum;
        });
        // Generous: the 20 cycles take milliseconds; only a cycle blocked on the monitor reaches it.
        assertEquals(200, cycles.get(60, TimeUnit.SECONDS));
      }
    }
  }

  /** Store, instance, poke(3) (7 from the data plus 3), close. */
  private static int cycle(Engine engine, WasmModule module) {
    try (Store store = new Store(engine)) {
      return new Linker(store).instantiate(module).func("poke", IntUnaryOperator.class).applyAsInt(3);
    }
  }
}
