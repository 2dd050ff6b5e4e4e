package dev.kiln.tests.pool;

import static dev.kiln.tests.support.Invocations.call;
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
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.runtime.TrapException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Instances of one module made one after another in a pool of one slot, so each takes the slot the
 * previous one left, as an attacker's request would take a victim's: what the first one wrote
 * (memory inside and past its initial size, a grown size, a mutable global, a table slot) must not
 * be seen by the next, and what the pool promises (no mapping per instance, one error when full,
 * the store's limits) is counted.
 */
class InstancePoolTest {
  /** A memory of 1 page (data "hi" at 0), a global, a table of 2 (elem $a $b), and accessors. */
  private static final String MODULE = """
      (module
        (memory 1 4)
        (data (i32.const 0) "hi")
        (global $g (mut i64) (i64.const 7))
        (table $t 2 funcref)
        (func $a (result i32) (i32.const 1))
        (func $b (result i32) (i32.const 2))
        (elem (i32.const 0) $a $b)
        (type $r (func (result i32)))
        (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1)))
        (func (export "load") (param i32) (result i32) (i32.load (local.get 0)))
        (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
        (func (export "size") (result i32) (memory.size))
        (func (export "setg") (param i64) (global.set $g (local.get 0)))
        (func (export "getg") (result i64) (global.get $g))
        (func (export "clear") (table.set $t (i32.const 1) (ref.null func)))
        (func (export "callt") (param i32) (result i32) (call_indirect (type $r) (local.get 0))))
      """;

  private static InstancePool pool(int slots) {
    return InstancePool.create(new PoolConfig(slots, 1, 4, 64 << 10));
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aReusedSlotShowsNothingOfThePreviousInstance(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(1);
    try (LoadedModule module = PooledCode.load(MODULE, target)) {
      try (NativeStore first = PooledCode.store(pool)) {
        LoadedInstance victim = LoadedInstance.instantiate(module, first);
        call(victim, "store", 4, 0x5EC2E7);
        call(victim, "store", 65_532, 0x5EC2E7);
        assertEquals(1, call(victim, "grow", 2));
        call(victim, "store", 3 * 65_536 - 4, 0x5EC2E7);
        call(victim, "setg", 0x5EC2E7);
        call(victim, "clear");
        victim.close();
      }
      try (NativeStore second = PooledCode.store(pool)) {
        LoadedInstance next = LoadedInstance.instantiate(module, second);
        assertEquals(0, pool.freeSlots(), "the second instance took the one slot again");
        assertEquals(1, call(next, "size"), "a fresh instance has its minimum, not the grown size");
        assertEquals('h' | 'i' << 8, call(next, "load", 0), "the data segment, and nothing after it");
        assertEquals(0, call(next, "load", 4));
        assertEquals(0, call(next, "load", 65_532));
        TrapException past = assertThrows(TrapException.class, () -> call(next, "load", 3 * 65_536 - 4));
        assertEquals(TrapCode.HEAP_OUT_OF_BOUNDS, past.code(), "the grown pages are a guard again");
        assertEquals(7, call(next, "getg"));
        assertEquals(2, call(next, "callt", 1), "the table as its segment made it");
        assertEquals(1, call(next, "grow", 1), "and it grows again, into zeroed pages");
        assertEquals(0, call(next, "load", 2 * 65_536 - 4));
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aFullPoolIsOneErrorAndAFreedSlotIsTakenAgain(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(2);
    try (LoadedModule module = PooledCode.load(MODULE, target);
        NativeStore a = PooledCode.store(pool);
        NativeStore b = PooledCode.store(pool)) {
      LoadedInstance one = LoadedInstance.instantiate(module, a);
      LoadedInstance.instantiate(module, a);
      ResourceLimitException full = assertThrows(ResourceLimitException.class,
          () -> LoadedInstance.instantiate(module, b));
      assertTrue(full.getMessage().startsWith("the engine's instance pool has all of its 2 slots in use; cannot create"
          + " an instance of"), full.getMessage());
      assertEquals(0, b.resources().memoryBytes().used(), "the refused instance holds nothing");
      one.close();
      assertEquals(1, call(LoadedInstance.instantiate(module, b), "size"));
    }
    assertEquals(2, pool.freeSlots(), "closing the stores gave every slot back");
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void instancesOfAPoolMapAndUnmapNothing(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(1);
    // One store: an emulated target's store maps its emulator's stack once, which is the store's cost.
    try (LoadedModule module = PooledCode.load(MEMORY_AND_GLOBALS, target); NativeStore store = PooledCode.store(pool)) {
      cycle(module, store); // the first use of the slot makes its pages read-write
      PooledCode.MappingCallCounts calls = PooledCode.MappingCallCounts.during(50, () -> cycle(module, store));
      assertEquals(0, calls.mapsAndUnmaps(), "mmap/munmap in 50 cycles");
      assertEquals(0, calls.protects(), "mprotect in 50 cycles of the same size");
      assertEquals(0, calls.advice(), "a one-page memory is emptied in place: no MADV_DONTNEED, no TLB shootdown");
    }
  }

  /**
   * A memory larger than the bytes a slot empties in place: the first page is rewritten, the rest
   * dropped with one {@code MADV_DONTNEED} a cycle, and a write into each part is gone for the
   * next instance.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aLargerMemoryIsEmptiedInPlaceThenDropped(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(1);
    try (LoadedModule module = PooledCode.load(MODULE.replace("(memory 1 4)", "(memory 3 4)"), target);
        NativeStore store = PooledCode.store(pool)) {
      cycle(module, store);
      PooledCode.MappingCallCounts calls = PooledCode.MappingCallCounts.during(20, () -> {
        try (LoadedInstance victim = LoadedInstance.instantiate(module, store)) {
          call(victim, "store", 65_532, 0x5EC2E7);
          call(victim, "store", 65_536, 0x5EC2E7);
          call(victim, "store", 3 * 65_536 - 4, 0x5EC2E7);
        }
        try (LoadedInstance next = LoadedInstance.instantiate(module, store)) {
          assertEquals('h' | 'i' << 8, call(next, "load", 0));
          assertEquals(0, call(next, "load", 65_532), "the last byte emptied in place");
          assertEquals(0, call(next, "load", 65_536), "the first byte dropped");
          assertEquals(0, call(next, "load", 3 * 65_536 - 4), "the last byte of the memory");
        }
      });
      assertEquals(0, calls.mapsAndUnmaps(), "mmap/munmap in 40 cycles");
      assertEquals(40, calls.advice(), "one MADV_DONTNEED of the pages past the first per freed instance");
    }
  }

  /** A memory with data and a global, no table. */
  private static final String MEMORY_AND_GLOBALS = """
      (module
        (memory 1 4)
        (data (i32.const 0) "hi")
        (global $g (mut i64) (i64.const 7))
        (func (export "store") (param i32 i32) (i32.store (local.get 0) (local.get 1))))
      """;

  private static void cycle(LoadedModule module, NativeStore store) {
    try (LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      call(instance, "store", 8, 1);
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aViewOfAPooledMemoryFailsOnceItsInstanceIsFreed(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(1);
    try (LoadedModule module = PooledCode.load(MODULE, target)) {
      MemorySegment kept;
      try (NativeStore first = PooledCode.store(pool)) {
        LoadedInstance instance = LoadedInstance.instantiate(module, first);
        kept = instance.memory(0);
        assertEquals('h', kept.get(ValueLayout.JAVA_BYTE, 0));
      }
      try (NativeStore second = PooledCode.store(pool)) {
        LoadedInstance next = LoadedInstance.instantiate(module, second);
        call(next, "store", 4, 0x5EC2E7);
        assertThrows(IllegalStateException.class, () -> kept.get(ValueLayout.JAVA_INT, 4),
            "a view kept from the slot's last instance must not read the next one's bytes");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void storeLimitsStillCountForPooledInstances(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(2);
    try (LoadedModule module = PooledCode.load(MODULE, target)) {
      try (NativeStore noMemories = PooledCode.store(pool, StoreLimits.DEFAULTS.withMaxMemories(0))) {
        assertThrows(ResourceLimitException.class, () -> LoadedInstance.instantiate(module, noMemories));
      }
      try (NativeStore smallShare = PooledCode.store(pool, StoreLimits.DEFAULTS.withMaxAddressSpace(1L << 32))) {
        assertThrows(ResourceLimitException.class, () -> LoadedInstance.instantiate(module, smallShare),
            "a pooled memory holds its slot's address space against the store's share");
      }
      try (NativeStore twoPages = PooledCode.store(pool, StoreLimits.DEFAULTS.withMaxMemoryBytes(2 * 65_536 + 16_384))) {
        LoadedInstance instance = LoadedInstance.instantiate(module, twoPages);
        assertEquals(1, call(instance, "grow", 1));
        assertEquals(-1, (int) call(instance, "grow", 1), "the store's byte limit stops the third page");
      }
      assertEquals(2, pool.freeSlots(), "refused instances gave their slots back");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void whatDoesNotFitThePoolIsRefusedByName(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(1);
    try (LoadedModule big = PooledCode.load("(module (memory 5))", target);
        LoadedModule two = PooledCode.load("(module (memory 1) (memory 1))", target);
        LoadedModule growing = PooledCode.load("""
            (module (memory 3) (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0))))
            """, target);
        NativeStore store = PooledCode.store(pool)) {
      ModuleInstantiationException tooBig = assertThrows(ModuleInstantiationException.class,
          () -> LoadedInstance.instantiate(big, store));
      assertEquals("memory of 5 pages exceeds the instance pool's 4-page limit per memory", tooBig.getMessage());
      ModuleInstantiationException tooMany = assertThrows(ModuleInstantiationException.class,
          () -> LoadedInstance.instantiate(two, store));
      assertTrue(tooMany.getMessage().endsWith("defines 2 memories; the engine's instance pool holds 1 per instance"),
          tooMany.getMessage());
      LoadedInstance instance = LoadedInstance.instantiate(growing, store);
      assertEquals(3, call(instance, "grow", 1));
      assertEquals(-1, (int) call(instance, "grow", 1), "a pooled memory grows to the pool's limit, no further");
    }
  }
}
