package dev.kiln.bench;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.ElementSegment;
import dev.kiln.wasm.module.Module;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The benchmark's modules have upstream's shape and do what the benchmark times. */
class CallIndirectModulesTest {
  @Test
  void tableModulesExportAFullTableOfTheOneEmptyFunction() {
    for (CallIndirectModules.Case c : CallIndirectModules.Case.values()) {
      Module m = Wasm.load(CallIndirectModules.tableModule(c));
      assertEquals(1, m.functions().size());
      assertEquals(1, m.tables().size());
      assertEquals(c.slots(), m.tables().getFirst().limits().min());
      assertEquals(c.slots(), m.tables().getFirst().limits().max().orElseThrow());
      assertEquals("table", m.exports().getFirst().name());
      ElementSegment elem = m.elements().getFirst();
      assertEquals(List.of(), ((ElementSegment.FunctionIndices) elem.items()).indices().stream()
          .filter(f -> f != 0).toList(), "every slot holds function 0");
      assertEquals(c.slots(), ((ElementSegment.FunctionIndices) elem.items()).indices().size());
    }
    assertEquals(5, CallIndirectModules.Case.SAME_CALLEE.slots());
    assertEquals(65_536, CallIndirectModules.Case.DIFFERENT_CALLEES.slots());
  }

  @Test
  void runModulesImportTheTable() {
    for (CallIndirectModules.Case c : CallIndirectModules.Case.values()) {
      Module m = Wasm.load(CallIndirectModules.runModule(c));
      assertEquals(1, m.importedTableCount());
      assertEquals("run", m.exports().getFirst().name());
    }
  }

  /** A lazy table's slots show which were called: one for same-callee, all for different-callees. */
  @Test
  void runCallsOneSlotOrEverySlot() {
    for (CallIndirectModules.Case c : CallIndirectModules.Case.values()) {
      try (LoadedModule table = CallIndirectBenchmark.load(CallIndirectModules.tableModule(c), true);
          LoadedModule run = CallIndirectBenchmark.load(CallIndirectModules.runModule(c), true);
          NativeStore store = new NativeStore()) {
        LoadedInstance t = LoadedInstance.instantiate(table, store);
        LoadedInstance r = LoadedInstance.instantiate(run, store, List.of(t.export("table").orElseThrow()));
        r.invoke("run", 0, c.slots());
        MemorySegment slots = t.table(0);
        long initialised = 0;
        for (int i = 0; i < c.slots(); i++) {
          if ((slots.getAtIndex(JAVA_LONG, i) & TableStorage.INIT_BIT) != 0) {
            initialised++;
          }
        }
        assertEquals(c.advancesCallee() ? c.slots() : 1, initialised, c.label());
        assertTrue(r.invoke("run", 0, CallIndirectModules.CALLS).isEmpty(), "run(0, 65536) returns normally");
        r.close();
        t.close();
      }
    }
  }
}
