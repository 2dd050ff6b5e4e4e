package dev.kiln.tests.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Host memory a store allocates for each instance beyond its memories and tables, and which grows
 * with what the module declares: the VMContext (a slot per global, a record per function, memory,
 * table and segment) and the items of passive element segments, kept for {@code table.init} while
 * the instance lives. Both count against the store's byte limit ({@code --max-memory}), taken
 * before they are allocated: an attacker's module of 20,000 globals or of a 40,000-item passive
 * segment under a 256 KiB limit is one line, not 320 KB per instance. (Passive data segments are
 * read where the mapped artifact holds them: the module's, not copied per instance.)
 */
class InstanceHostMemoryTest {
  private static final long LIMIT = 256 << 10;
  private static final StoreLimits SMALL = StoreLimits.DEFAULTS.withMaxMemoryBytes(LIMIT);

  @ParameterizedTest
  @EnumSource(Target.class)
  void aVmContextPastTheByteLimitIsRefusedBeforeItIsAllocated(Target target) {
    LimitedCode.assumeRunnable(target);
    String globals = "(module " + "(global i64 (i64.const 7)) ".repeat(20_000) + ")";
    try (LoadedModule module = LimitedCode.load(globals, target, ExecutionLimits.NONE); NativeStore store = new NativeStore(SMALL)) {
      ResourceLimitException refused = assertThrows(ResourceLimitException.class,
          () -> LoadedInstance.instantiate(module, store));
      assertTrue(refused.getMessage().matches("the VMContext of an instance of .* needs \\d{6} bytes; " + store
          + " has 0 of its " + LIMIT + "-byte memory limit in use"), refused.getMessage());
      assertEquals(0, store.resources().memoryBytes().used());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void passiveElementItemsPastTheByteLimitAreRefused(Target target) {
    LimitedCode.assumeRunnable(target);
    String passive = "(module (func $f) (elem func" + " $f".repeat(40_000) + "))";
    try (LoadedModule module = LimitedCode.load(passive, target, ExecutionLimits.NONE); NativeStore store = new NativeStore(SMALL)) {
      ResourceLimitException refused = assertThrows(ResourceLimitException.class,
          () -> LoadedInstance.instantiate(module, store));
      assertTrue(refused.getMessage().startsWith("passive element segment 0 of 40000 items needs 320000 bytes; "
          + store + " has "), refused.getMessage());
      assertEquals(0, store.resources().memoryBytes().used(), "the refused instance gave its VMContext back");
    }
  }

  /**
   * A module with a funcref at its boundary is pinned to its store (its references may be anywhere),
   * but not before they can have left it: refused before its segments and start function, it gives
   * everything back like any other (red team 12 F4: each refusal kept its VMContext's 160 bytes
   * charged, and after ~6,500 the store could instantiate nothing).
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aRefusedInstanceWithAFuncrefExportGivesItsVmContextBack(Target target) {
    LimitedCode.assumeRunnable(target);
    String pinned = "(module (memory 100) (func $f (export \"f\") (result funcref) (ref.func $f)))";
    try (LoadedModule module = LimitedCode.load(pinned, target, ExecutionLimits.NONE); NativeStore store = new NativeStore(SMALL)) {
      for (int refusal = 1; refusal <= 200; refusal++) {
        assertThrows(ResourceLimitException.class, () -> LoadedInstance.instantiate(module, store));
        assertEquals(0, store.resources().memoryBytes().used(), "bytes left charged after " + refusal + " refusals");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anInstancesHostMemoryIsHeldWhileItLivesAndGivenBackWhenItCloses(Target target) {
    LimitedCode.assumeRunnable(target);
    String small = "(module (global (mut i32) (i32.const 1)) (func $f) (elem func $f $f $f $f))";
    try (LoadedModule module = LimitedCode.load(small, target, ExecutionLimits.NONE); NativeStore store = new NativeStore(SMALL)) {
      try (LoadedInstance _ = LoadedInstance.instantiate(module, store)) {
        long used = store.resources().memoryBytes().used();
        assertTrue(used >= 4 * 8 + 16 && used < 4096, "a VMContext and four items: " + used);
      }
      assertEquals(0, store.resources().memoryBytes().used());
    }
  }
}
