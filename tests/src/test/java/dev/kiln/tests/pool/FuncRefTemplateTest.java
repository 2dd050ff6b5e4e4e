package dev.kiln.tests.pool;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.InstantiationWork;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.Epoch;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.RuntimeTypes;
import dev.kiln.loader.runtime.StoreLimits;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An instance's VMFuncRefs come from its module's template (issue 41, {@code
 * instance.FuncRefTemplate}): made once per module, copied into each VMContext with the instance's
 * own address in every {@code vmctx} word. Each instance's table calls must reach its own functions
 * (which read its own global), never a previous instance's, whether it is the store's second, a
 * fresh store's, or the next tenant of a pool slot; an imported function in the table calls its
 * exporter; and the template is made once and its copy reused, counted.
 */
class FuncRefTemplateTest {
  private static final String EXPORTER = """
      (module
        (global $g (mut i32) (i32.const 7000))
        (func (export "seven") (result i32) (global.get $g)))
      """;

  /** Three defined functions and an imported one in a table, each adding its number to the instance's global. */
  private static final String MODULE = """
      (module
        (type $t (func (result i32)))
        (import "m" "seven" (func $seven (result i32)))
        (global $g (mut i32) (i32.const 0))
        (table 4 funcref)
        (elem (i32.const 0) $one $two $three $seven)
        (func $one (result i32) (i32.add (global.get $g) (i32.const 1)))
        (func $two (result i32) (i32.add (global.get $g) (i32.const 2)))
        (func $three (result i32) (i32.add (global.get $g) (i32.const 3)))
        (func (export "set") (param i32) (global.set $g (local.get 0)))
        (func (export "call") (param i32) (result i32) (call_indirect (type $t) (local.get 0))))
      """;

  private static long call(LoadedInstance instance, String name, long... args) {
    List<dev.kiln.loader.runtime.WasmValue> results = instance.invoke(name, args);
    return results.isEmpty() ? 0 : (int) results.getFirst().bits();
  }

  private static LoadedInstance instantiate(LoadedModule module, LoadedModule exporter, NativeStore store) {
    return PooledCode.instantiateImporting(module, exporter, "seven", store);
  }

  /** Sets the instance's global to {@code base} and checks that its table reaches its own functions. */
  private static void assertOwnFunctions(LoadedInstance instance, long base, String who) {
    // First, before any call through them: every defined function's VMFuncRef names this
    // VMContext (the imported one its exporter's).
    int escaping = instance.module().info().escaping().size();
    VmLayout layout = new VmLayout(instance.module().info().vmShape());
    for (int k = 0; k < escaping; k++) {
      long vmctx = instance.vmctx().get(JAVA_LONG, layout.funcRef(k) + VmLayout.FUNC_REF_VMCTX);
      if (instance.module().info().escaping().get(k) >= instance.module().info().importedFunctionCount()) {
        assertEquals(instance.vmctx().address(), vmctx, who + ": VMFuncRef " + k + "'s vmctx");
      }
    }
    call(instance, "set", base);
    for (int slot = 0; slot < 3; slot++) {
      assertEquals(base + slot + 1, call(instance, "call", slot), who + ": table slot " + slot);
    }
    assertEquals(7000, call(instance, "call", 3), who + ": the imported function runs in its exporter");
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void eachInstanceCallsItsOwnFunctionsAndTheTemplateIsMadeOnce(Target target) {
    PooledCode.assumeRunnable(target);
    long made = InstantiationWork.FUNC_REF_TEMPLATE_MADE.countOnThisThread();
    long cloned = InstantiationWork.FUNC_REF_TEMPLATE_CLONED.countOnThisThread();
    RuntimeTypes engineTypes = new RuntimeTypes();
    try (LoadedModule module = PooledCode.load(MODULE, target); LoadedModule exporter = PooledCode.load(EXPORTER, target)) {
      try (NativeStore store = storeOf(engineTypes)) {
        LoadedInstance first = instantiate(module, exporter, store);
        LoadedInstance second = instantiate(module, exporter, store);
        assertOwnFunctions(first, 100, "the first instance");
        assertOwnFunctions(second, 200, "a second instance in the same store");
        assertEquals(101, call(first, "call", 0), "the first keeps its own after the second was made");
      }
      try (NativeStore other = storeOf(engineTypes)) {
        assertOwnFunctions(instantiate(module, exporter, other), 300, "an instance in a fresh store of the engine");
      }
      // Two modules, each with escaping functions (the exporter's export): one template each.
      assertEquals(2, InstantiationWork.FUNC_REF_TEMPLATE_MADE.countOnThisThread() - made,
          "one template per module and engine, made at its first instantiation");
      try (NativeStore ownTypes = new NativeStore()) {
        assertOwnFunctions(instantiate(module, exporter, ownTypes), 400, "an instance in a store of other type ids");
      }
      assertEquals(4, InstantiationWork.FUNC_REF_TEMPLATE_MADE.countOnThisThread() - made,
          "other type ids, other templates");
      assertEquals(0, InstantiationWork.FUNC_REF_TEMPLATE_CLONED.countOnThisThread() - cloned,
          "one thread reuses a template's spare copy, never clones it");
    }
  }

  /** A store whose type ids are {@code types}, as an engine's stores share theirs. */
  private static NativeStore storeOf(RuntimeTypes types) {
    return new NativeStore(new Epoch(), types, NativeStore.DEFAULT_MAX_WASM_STACK, NativeStore.DEFAULT_HEADROOM,
        StoreLimits.DEFAULTS);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aPoolSlotsNextTenantCallsItsOwnFunctions(Target target) {
    PooledCode.assumeRunnable(target);
    PooledCode.inPoolSlots(target, EXPORTER, "seven", MODULE, 5,
        (tenant, round) -> assertOwnFunctions(tenant, 1000L * round, "round " + round));
  }
}
