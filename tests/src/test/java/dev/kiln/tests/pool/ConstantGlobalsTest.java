package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.InstantiationWork;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Defined globals whose initialisers read nothing come from their module's block, copied into each
 * VMContext (issue 41, {@code instance.ConstantGlobals}); the others are evaluated per instance, in
 * order, after the copy. Each instance starts with the initial values whatever an earlier one (in
 * the store, a fresh store, or the pool slot before it) wrote, the evaluated ones see the imported
 * and earlier globals, and only those are evaluated, counted.
 */
class ConstantGlobalsTest {
  private static final String EXPORTER = """
      (module (global (export "base") i32 (i32.const 1000)))
      """;

  /** Globals 1-6 defined: three constants (one extended-const), three that read a global or name a function. */
  private static final String MODULE = """
      (module
        (import "m" "base" (global $base i32))
        (global $a i32 (i32.const 5))
        (global $m (mut i32) (i32.const 6))
        (global $b i32 (global.get $base))
        (global $c (mut i64) (i64.add (i64.const 40) (i64.const 2)))
        (global $d i32 (i32.add (global.get $a) (global.get $base)))
        (global $e funcref (ref.func $f))
        (func $f)
        (func (export "setM") (param i32) (global.set $m (local.get 0)))
        (func (export "setC") (param i64) (global.set $c (local.get 0))))
      """;

  private static LoadedInstance instantiate(LoadedModule module, LoadedModule exporter, NativeStore store) {
    return PooledCode.instantiateImporting(module, exporter, "base", store);
  }

  /** Checks the initial values, then writes over both mutable globals. */
  private static void assertInitialThenWrite(LoadedInstance instance, String who) {
    assertEquals(5, instance.globalBits(1), who + ": a constant");
    assertEquals(6, instance.globalBits(2), who + ": a mutable constant");
    assertEquals(1000, instance.globalBits(3), who + ": global.get of an import");
    assertEquals(42, instance.globalBits(4), who + ": extended-const arithmetic");
    assertEquals(1005, instance.globalBits(5), who + ": reads an earlier (constant) global and the import");
    assertNotEquals(0, instance.globalBits(6), who + ": ref.func, this instance's");
    instance.invoke("setM", 77);
    instance.invoke("setC", 0x5EC2E7L);
    assertEquals(77, instance.globalBits(2));
    assertEquals(0x5EC2E7L, instance.globalBits(4));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void eachInstanceStartsFromTheInitialValuesAndOnlyReadersAreEvaluated(Target target) {
    PooledCode.assumeRunnable(target);
    long made = InstantiationWork.CONSTANT_GLOBALS_MADE.countOnThisThread();
    long evaluated = InstantiationWork.GLOBAL_INITIALISER_EVALUATED.countOnThisThread();
    try (LoadedModule module = PooledCode.load(MODULE, target); LoadedModule exporter = PooledCode.load(EXPORTER, target)) {
      try (NativeStore store = new NativeStore()) {
        LoadedInstance first = instantiate(module, exporter, store);
        assertInitialThenWrite(first, "the first instance");
        assertInitialThenWrite(instantiate(module, exporter, store), "a second instance in the store");
        assertEquals(77, first.globalBits(2), "the first keeps its own write");
      }
      try (NativeStore other = new NativeStore()) {
        assertInitialThenWrite(instantiate(module, exporter, other), "an instance in a fresh store");
      }
      // Three instances of the module (3 evaluated globals each: $b, $d, $e), three of the exporter (none).
      assertEquals(9, InstantiationWork.GLOBAL_INITIALISER_EVALUATED.countOnThisThread() - evaluated,
          "only the globals that read something are evaluated per instance");
      assertEquals(2, InstantiationWork.CONSTANT_GLOBALS_MADE.countOnThisThread() - made,
          "one block per module, made at its first instantiation");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aPoolSlotsNextTenantStartsFromTheInitialValues(Target target) {
    PooledCode.assumeRunnable(target);
    PooledCode.inPoolSlots(target, EXPORTER, "base", MODULE, 3,
        (tenant, round) -> assertInitialThenWrite(tenant, "round " + round));
  }
}
