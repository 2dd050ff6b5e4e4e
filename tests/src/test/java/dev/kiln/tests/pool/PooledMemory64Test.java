package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.pool.InstancePool;
import dev.kiln.loader.pool.PoolConfig;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * 64-bit memories larger than 4 GiB in a pool (memory64): a pool sized for them ({@code
 * maxMemoryPages} past 65,536) gives each memory slot that size plus the guard, so such a memory is
 * made, grows and is emptied for the next tenant like any pooled memory (bytes past 4 GiB
 * included); a pool of 4 GiB memories refuses one with a message naming the setting.
 */
class PooledMemory64Test {
  private static final long FOUR_GIB_PAGES = 1L << 16;
  /** A 64-bit memory whose minimum is 4 GiB and one page, with accessors at 64-bit addresses. */
  private static final String MODULE = """
      (module
        (memory i64 65537)
        (func (export "store") (param i64 i64) (i64.store (local.get 0) (local.get 1)))
        (func (export "load") (param i64) (result i64) (i64.load (local.get 0)))
        (func (export "grow") (param i64) (result i64) (memory.grow (local.get 0))))
      """;
  private static final long PAST_FOUR_GIB = (1L << 32) + 8;

  @ParameterizedTest
  @EnumSource(Target.class)
  void aPoolSizedForThemHoldsMemoriesPastFourGibAndEmptiesThem(Target target) {
    PooledCode.assumeRunnable(target);
    // Slots of 4 GiB and two pages, plus the guard.
    InstancePool pool = InstancePool.create(new PoolConfig(1, 1, FOUR_GIB_PAGES + 2, 64 << 10));
    assertTrue(pool.config().memorySlotBytes() > (1L << 32) + (2L << 16), "the slot holds the whole memory");
    try (LoadedModule module = PooledCode.load(MODULE, target)) {
      try (NativeStore first = PooledCode.store(pool)) {
        LoadedInstance victim = LoadedInstance.instantiate(module, first);
        victim.invoke("store", PAST_FOUR_GIB, 0x5EC2E7);
        assertEquals(0x5EC2E7, victim.invoke("load", PAST_FOUR_GIB).getFirst().bits());
        assertEquals(FOUR_GIB_PAGES + 1, victim.invoke("grow", 1).getFirst().bits());
        victim.invoke("store", (1L << 32) + (1L << 16) + 8, 0x5EC2E7);
        assertEquals(-1, victim.invoke("grow", 1).getFirst().bits(), "the pool's size, no further");
      }
      try (NativeStore second = PooledCode.store(pool)) {
        LoadedInstance next = LoadedInstance.instantiate(module, second);
        assertEquals(0, next.invoke("load", PAST_FOUR_GIB).getFirst().bits(), "the victim's bytes past 4 GiB are gone");
        TrapException past = assertThrows(TrapException.class,
            () -> next.invoke("load", (1L << 32) + (1L << 16) + 8));
        assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, past.code(), "the page the victim grew is out of bounds again");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aPoolOfFourGibMemoriesRefusesALargerOneByItsSetting(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = InstancePool.create(new PoolConfig(1, 1, FOUR_GIB_PAGES, 64 << 10));
    try (LoadedModule module = PooledCode.load(MODULE, target); NativeStore store = PooledCode.store(pool)) {
      ModuleInstantiationException refused = assertThrows(ModuleInstantiationException.class,
          () -> LoadedInstance.instantiate(module, store));
      assertEquals("memory of 65537 pages exceeds the instance pool's 65536-page limit per memory (its maxMemoryBytes,"
          + " which may be larger than 4 GiB for 64-bit memories)", refused.getMessage());
      assertEquals(1, pool.freeSlots());
    }
  }
}
