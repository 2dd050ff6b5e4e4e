package dev.kiln.tests.pool;

import static dev.kiln.tests.support.Invocations.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.pool.InstancePool;
import dev.kiln.loader.pool.InstanceSlot;
import dev.kiln.loader.pool.PoolConfig;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.table.TableInstance;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Pooled tables and passive element items, attacked as the next tenant of a slot would: instances
 * made one after another in a pool of one slot, the first (the victim) planting function and
 * extern references in its tables, past their initial size too, and holding passive items; the
 * next must see only its own module's initial tables (a stale funcref would be a call into a freed
 * instance, a stale lazy slot would pass for initialised), and the slot's item bytes must be zero.
 * Views and handles kept from the victim must fail, the store's limits and the pool's sizes still
 * count, and a cycle maps, unmaps and protects nothing.
 */
class PooledTableTest {
  /** Two tables (a lazily initialised funcref one with a segment, an externref one) and passive items. */
  private static final String MODULE = """
      (module
        (table $t 2 funcref)
        (table $e 1 externref)
        (func $a (result i32) (i32.const 1))
        (func $b (result i32) (i32.const 2))
        (func $c (result i32) (i32.const 3))
        (elem (i32.const 0) $a $b)
        (elem $p func $c $c $c)
        (type $r (func (result i32)))
        (func (export "plant") (param externref)
          (table.set $t (i32.const 1) (ref.func $c))
          (drop (table.grow $t (ref.func $c) (i32.const 4)))
          (table.set $e (i32.const 0) (local.get 0))
          (drop (table.grow $e (local.get 0) (i32.const 3))))
        (func (export "size") (result i32) (table.size $t))
        (func (export "grow") (param i32) (result i32) (table.grow $t (ref.null func) (local.get 0)))
        (func (export "isnull") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0))))
        (func (export "esize") (result i32) (table.size $e))
        (func (export "egrow") (param i32) (result i32) (table.grow $e (ref.null extern) (local.get 0)))
        (func (export "eisnull") (param i32) (result i32) (ref.is_null (table.get $e (local.get 0))))
        (func (export "callt") (param i32) (result i32) (call_indirect $t (type $r) (local.get 0)))
        (func (export "init") (table.init $t $p (i32.const 0) (i32.const 0) (i32.const 2))))
      """;
  /**
   * The same with table $t exported, so that the victim's table can be kept as a handle (which
   * pins the instance to its store: its references can leave through the export).
   */
  private static final String EXPORTED = MODULE.replace("(table $t 2 funcref)", "(table $t (export \"t\") 2 funcref)");
  private static final long PLANTED = 0x5EC2E7;

  /** A pool of {@code slots} slots of no memory, 2 tables of up to 10 elements and 64 KiB of VMContext. */
  private static InstancePool pool(int slots) {
    return InstancePool.create(new PoolConfig(slots, 0, 0, 64 << 10, 2, 10));
  }

  private static void plant(LoadedInstance victim) {
    victim.invoke("plant", List.of(WasmValue.ofBits(ValType.EXTERNREF, PLANTED, 0)));
    call(victim, "init");
    assertEquals(6, call(victim, "size"));
    assertEquals(3, call(victim, "callt", 5), "the victim's planted function");
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aReusedSlotShowsNoTableEntryOfThePreviousInstance(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(1);
    try (LoadedModule module = PooledCode.load(MODULE, target)) {
      try (NativeStore first = PooledCode.store(pool)) {
        plant(LoadedInstance.instantiate(module, first));
      }
      try (NativeStore second = PooledCode.store(pool)) {
        LoadedInstance next = LoadedInstance.instantiate(module, second);
        assertEquals(0, pool.freeSlots(), "the second instance took the one slot again");
        assertEquals(2, call(next, "size"), "the table's minimum, not the victim's grown size");
        assertEquals(1, call(next, "callt", 0), "slot 0 as the segment made it, not as table.init rewrote it");
        assertEquals(2, call(next, "callt", 1), "slot 1 as the segment made it, not the victim's table.set");
        assertEquals(2, call(next, "grow", 4), "grows into the pages the victim grew into");
        for (int i = 2; i < 6; i++) {
          assertEquals(1, call(next, "isnull", i), "grown slot " + i + " is null, not the victim's function");
        }
        assertEquals(1, call(next, "esize"));
        assertEquals(1, call(next, "eisnull", 0), "the victim's extern reference is gone");
        assertEquals(1, call(next, "egrow", 3));
        for (int i = 1; i < 4; i++) {
          assertEquals(1, call(next, "eisnull", i), "grown extern slot " + i);
        }
      }
    }
  }

  /** An externref table grown to 20,000 elements: past the part of its slot that is zeroed in place. */
  private static final String LARGE = """
      (module
        (table $e 1 externref)
        (func (export "plant") (param externref) (drop (table.grow $e (local.get 0) (i32.const 19999))))
        (func (export "grow") (param i32) (result i32) (table.grow $e (ref.null extern) (local.get 0)))
        (func (export "isnull") (param i32) (result i32) (ref.is_null (table.get $e (local.get 0)))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void aLargeTablesSlotIsEmptiedPastWhatIsZeroedInPlace(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = InstancePool.create(new PoolConfig(1, 0, 0, 64 << 10, 1, 20_000));
    try (LoadedModule module = PooledCode.load(LARGE, target)) {
      try (NativeStore first = PooledCode.store(pool)) {
        LoadedInstance victim = LoadedInstance.instantiate(module, first);
        victim.invoke("plant", List.of(WasmValue.ofBits(ValType.EXTERNREF, PLANTED, 0)));
        assertEquals(0, call(victim, "isnull", 19_999));
      }
      try (NativeStore second = PooledCode.store(pool)) {
        LoadedInstance next = LoadedInstance.instantiate(module, second);
        assertEquals(1, call(next, "grow", 19_999));
        for (int i : new int[] {0, 1, 100, 8_187, 8_188, 8_189, 12_000, 19_999}) {
          assertEquals(1, call(next, "isnull", i), "slot " + i + " of the victim's grown table");
        }
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void theVictimsPassiveItemsAndVmContextAreZeroBeforeTheSlotIsTakenAgain(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(1);
    try (LoadedModule module = PooledCode.load(MODULE, target)) {
      long vmctxBytes;
      long itemBytes;
      try (NativeStore first = PooledCode.store(pool)) {
        LoadedInstance victim = LoadedInstance.instantiate(module, first);
        plant(victim);
        vmctxBytes = victim.vmctx().byteSize();
        itemBytes = victim.hostBytes() - vmctxBytes;
        assertEquals(3 * 8, itemBytes, "the passive segment's three items");
      }
      // The next tenant's view of the slot: what it is handed before it writes anything.
      InstanceSlot next = pool.acquire("the next tenant");
      try {
        MemorySegment vmctx = next.vmctx(vmctxBytes);
        MemorySegment items = next.afterVmctx(itemBytes);
        assertEquals(-1, vmctx.mismatch(MemorySegment.ofArray(new byte[(int) vmctxBytes])), "the VMContext is zero");
        assertEquals(-1, items.mismatch(MemorySegment.ofArray(new byte[(int) itemBytes])),
            "the victim's passive items (its function references) are zero");
      } finally {
        next.release(new long[0]);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void viewsAndHandlesKeptFromTheVictimFailOnceItIsFreed(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(1);
    try (LoadedModule module = PooledCode.load(EXPORTED, target)) {
      MemorySegment keptSlots;
      TableInstance keptTable;
      try (NativeStore first = PooledCode.store(pool)) {
        LoadedInstance victim = LoadedInstance.instantiate(module, first);
        keptSlots = victim.table(0);
        keptTable = ((Extern.Table) victim.export("t").orElseThrow()).table();
        assertEquals(2, keptTable.size());
      }
      try (NativeStore second = PooledCode.store(pool)) {
        LoadedInstance next = LoadedInstance.instantiate(module, second);
        plant(next);
        assertThrows(IllegalStateException.class, () -> keptSlots.get(ValueLayout.JAVA_LONG, 8),
            "a raw view of the victim's table must not read the next tenant's slots");
        assertThrows(IllegalStateException.class, () -> keptTable.get(1),
            "a handle of the victim's table must not reach the next tenant's");
        assertThrows(IllegalStateException.class, () -> keptTable.storedSlots());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void storeLimitsStillCountForPooledTables(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(1);
    try (LoadedModule module = PooledCode.load(MODULE, target)) {
      try (NativeStore oneTable = PooledCode.store(pool, StoreLimits.DEFAULTS.withMaxTables(1))) {
        assertThrows(ResourceLimitException.class, () -> LoadedInstance.instantiate(module, oneTable));
        assertNothingHeld(oneTable);
      }
      long tableSlot = pool.config().tableSlotBytes();
      try (NativeStore smallShare = PooledCode.store(pool, StoreLimits.DEFAULTS.withMaxAddressSpace(2 * tableSlot - 1))) {
        ResourceLimitException share = assertThrows(ResourceLimitException.class,
            () -> LoadedInstance.instantiate(module, smallShare));
        assertTrue(share.getMessage().contains("address-space limit"), share.getMessage());
        assertNothingHeld(smallShare);
      }
      try (NativeStore fewElements = PooledCode.store(pool, StoreLimits.DEFAULTS.withMaxTableElements(4))) {
        LoadedInstance instance = LoadedInstance.instantiate(module, fewElements);
        assertEquals(2, call(instance, "grow", 1));
        assertEquals(-1, (int) call(instance, "grow", 1), "the store's element limit stops the fifth element");
        assertEquals(4, fewElements.resources().tableElements().used());
        instance.close();
        assertNothingHeld(fewElements);
      }
      try (NativeStore noBytes = PooledCode.store(pool, StoreLimits.DEFAULTS.withMaxMemoryBytes(4096))) {
        assertThrows(ResourceLimitException.class, () -> LoadedInstance.instantiate(module, noBytes),
            "a pooled table's page and the VMContext count against the store's bytes");
        assertNothingHeld(noBytes);
      }
    }
    assertEquals(1, pool.freeSlots(), "refused instances gave their slot back");
  }

  private static void assertNothingHeld(NativeStore store) {
    assertEquals(0, store.resources().memoryBytes().used(), "bytes");
    assertEquals(0, store.resources().tableElements().used(), "elements");
    assertEquals(0, store.resources().reservedAddressSpace(), "address space");
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void whatDoesNotFitThePoolsTablesIsRefusedByName(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(1);
    try (LoadedModule big = PooledCode.load("(module (table 11 funcref))", target);
        LoadedModule three = PooledCode.load("(module (table 1 funcref) (table 1 funcref) (table 1 externref))", target);
        LoadedModule items = PooledCode.load("(module (table 1 funcref) (func $f) (elem $p func "
            + "$f ".repeat(9000) + "))", target);
        LoadedModule growing = PooledCode.load("""
            (module (table 8 funcref)
              (func (export "grow") (param i32) (result i32) (table.grow (ref.null func) (local.get 0))))
            """, target);
        NativeStore store = PooledCode.store(pool)) {
      ModuleInstantiationException tooBig = assertThrows(ModuleInstantiationException.class,
          () -> LoadedInstance.instantiate(big, store));
      assertEquals("table of 11 elements exceeds the instance pool's 10-element limit per table", tooBig.getMessage());
      ModuleInstantiationException tooMany = assertThrows(ModuleInstantiationException.class,
          () -> LoadedInstance.instantiate(three, store));
      assertTrue(tooMany.getMessage().endsWith("defines 3 tables; the engine's instance pool holds 2 per instance"),
          tooMany.getMessage());
      ModuleInstantiationException tooManyItems = assertThrows(ModuleInstantiationException.class,
          () -> LoadedInstance.instantiate(items, store));
      assertTrue(tooManyItems.getMessage().contains("72000 bytes of passive element items; the engine's instance pool"
          + " holds 65536 per instance"), tooManyItems.getMessage());
      LoadedInstance instance = LoadedInstance.instantiate(growing, store);
      assertEquals(8, call(instance, "grow", 2));
      assertEquals(-1, (int) call(instance, "grow", 1), "a pooled table grows to the pool's limit, no further");
      assertNothingHeldButThe(instance, store);
    }
    assertEquals(1, pool.freeSlots());
  }

  /** After refusals, the store holds exactly what its one live instance's table of 10 holds. */
  private static void assertNothingHeldButThe(LoadedInstance instance, NativeStore store) {
    assertEquals(10, store.resources().tableElements().used());
    instance.close();
    assertNothingHeld(store);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void cyclesWithTablesMapUnmapAndProtectNothing(Target target) {
    PooledCode.assumeRunnable(target);
    InstancePool pool = pool(1);
    // One store: an emulated target's store maps its emulator's stack once, which is the store's cost.
    try (LoadedModule module = PooledCode.load(MODULE, target); NativeStore store = PooledCode.store(pool)) {
      cycle(module, store); // the first use of the slot makes its table pages read-write
      PooledCode.MappingCallCounts calls = PooledCode.MappingCallCounts.during(50, () -> cycle(module, store));
      assertEquals(0, calls.mapsAndUnmaps(), "mmap/munmap in 50 cycles");
      assertEquals(0, calls.protects(), "mprotect in 50 cycles of the same size");
      assertEquals(0, calls.advice(), "small tables are zeroed in place, without the TLB shootdown of a MADV_DONTNEED");
    }
  }

  private static void cycle(LoadedModule module, NativeStore store) {
    try (LoadedInstance instance = LoadedInstance.instantiate(module, store)) {
      assertEquals(2, call(instance, "callt", 1));
    }
  }
}
