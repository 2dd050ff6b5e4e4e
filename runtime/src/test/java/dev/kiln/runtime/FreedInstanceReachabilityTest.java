package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertNull;

import dev.kiln.wat.Wat;
import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;

/**
 * A freed instance's Java graph is garbage even while something that names its lifetime lives on: here
 * its tag, kept because an exception it threw lives in another instance's table (red team 20 F1: the
 * kept tag reached the instance through its lifetime's free action, ten times the bytes the store's
 * memory limit was charged for the tag).
 */
class FreedInstanceReachabilityTest {
  private static final String KEEPER = """
      (module
        (table $t 4 exnref)
        (func (export "keep") (param exnref) (table.set $t (i32.const 0) (local.get 0))))
      """;
  private static final String THROWER = """
      (module
        (memory 1)
        (tag $e (param i32))
        (func (export "make") (result exnref)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (throw $e (i32.const 1)))
            (unreachable))))
      """;

  @Test
  void aKeptExceptionsTagDoesNotKeepItsFreedInstance() {
    Engine engine = Engine.builder().target(Target.X86_64).build();
    try (WasmModule keeperModule = WasmModule.compile(engine, Wat.toBinaryWithNames(KEEPER, "keeper.wat"));
        WasmModule throwerModule = WasmModule.compile(engine, Wat.toBinaryWithNames(THROWER, "thrower.wat"));
        Store store = new Store(engine)) {
      Instance keeper = new Linker(store).instantiate(keeperModule);
      WeakReference<Object> quiet = closedInstance(store, throwerModule, null);
      WeakReference<Object> thrower = closedInstance(store, throwerModule, keeper);
      store.internal().collectGarbage(new long[0], false);
      for (int i = 0; i < 8 && (quiet.get() != null || thrower.get() != null); i++) {
        System.gc();
      }
      assertNull(quiet.get(), "control: a freed instance is Java garbage");
      assertNull(thrower.get(), "a kept exception's tag keeps its freed instance's Java graph");
    }
  }

  /** Instantiates, lets {@code keeper} (if any) keep an exception of it, closes it: a weak reference to its internals. */
  private static WeakReference<Object> closedInstance(Store store, WasmModule module, Instance keeper) {
    Instance instance = new Linker(store).instantiate(module);
    WeakReference<Object> ref = new WeakReference<>(instance.internal());
    if (keeper != null) {
      keeper.func("keep").call(instance.func("make").call().getFirst());
    }
    instance.close();
    return ref;
  }
}
