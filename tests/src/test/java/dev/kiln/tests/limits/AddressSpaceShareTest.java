package dev.kiln.tests.limits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Red-team finding (issue 35): a zero-page memory counts nothing against a store's byte limit but
 * reserves 4 GiB of address space, and the process's memories share one budget of 64 TiB, so one
 * tenant's stores full of empty memories left every other tenant unable to create a memory. Each
 * store now reserves at most its share ({@code StoreLimits.maxAddressSpace}, 1 TiB by default). The
 * attacker here fills two stores as far as they let it; a third tenant must still run, and the
 * attacker's refusal is one line naming the limit. Reservations are address space only, so the
 * attack costs no memory: it is the same on every target, and runs on the host's.
 */
class AddressSpaceShareTest {
  /** One 32-bit memory's reservation: the whole index space and the loader's guard. */
  private static final long MEMORY_RESERVATION = MemoryGuard.RESERVATION_32 + MemoryGuard.LOADER_GUARD_BYTES;
  /** What one request of the attacker instantiates: 100 empty memories, 403 GiB of address space. */
  private static final String HUNDRED_EMPTY_MEMORIES = "(module " + "(memory 0) ".repeat(100) + ")";
  private static final String ORDINARY = """
      (module (memory 1) (data (i32.const 0) "\\2a")
        (func (export "first") (result i32) (i32.load8_u (i32.const 0))))
      """;

  @Test
  void twoAttackerStoresFilledToTheirShareLeaveRoomForAnotherTenant() {
    Target target = HostTarget.current().orElseThrow();
    List<AutoCloseable> attacker = new ArrayList<>();
    try (LoadedModule hostile = load(HUNDRED_EMPTY_MEMORIES, target); LoadedModule ordinary = load(ORDINARY, target)) {
      for (int s = 0; s < 2; s++) {
        NativeStore store = new NativeStore();
        attacker.add(store);
        RuntimeException refused = null;
        while (refused == null) {
          try {
            attacker.add(LoadedInstance.instantiate(hostile, store));
          } catch (RuntimeException e) {
            refused = e;
          }
        }
        // Before the share, the first store stopped at 10,000 memories (40 TiB) and the second at
        // the process's 64 TiB: with a ModuleInstantiationException, and nothing left for anyone.
        assertEquals(ResourceLimitException.class, refused.getClass(), refused.getMessage());
        assertTrue(refused.getMessage().startsWith("a memory of 0 pages reserves " + MEMORY_RESERVATION
            + " bytes of address space; " + store + " has "), refused.getMessage());
        assertTrue(refused.getMessage().contains("of its " + StoreLimits.DEFAULT_ADDRESS_SPACE
            + "-byte address-space limit in use"), refused.getMessage());
        long held = store.resources().reservedAddressSpace();
        assertEquals(StoreLimits.DEFAULT_ADDRESS_SPACE / MEMORY_RESERVATION / 100 * 100 * MEMORY_RESERVATION, held,
            "whole instances of 100 memories; the refused one gave back what it had reserved");
      }
      try (NativeStore tenant = new NativeStore(); LoadedInstance instance = LoadedInstance.instantiate(ordinary, tenant)) {
        assertEquals(List.of(new WasmValue.I32(42)), instance.invoke("first"));
      }
    } finally {
      closeAll(attacker);
    }
  }

  @Test
  void anOrdinaryMultiMemoryModuleRunsUnderTheDefaultShare() {
    Target target = HostTarget.current().orElseThrow();
    try (LoadedModule module = load("(module " + "(memory 1) ".repeat(200) + ")", target);
        NativeStore store = new NativeStore(); LoadedInstance _ = LoadedInstance.instantiate(module, store)) {
      assertEquals(200 * MEMORY_RESERVATION, store.resources().reservedAddressSpace());
    }
  }

  @Test
  void tablesAndMemory64ReservationsCountTowardTheShareToo() {
    Target target = HostTarget.current().orElseThrow();
    long tableReservation;
    try (LoadedModule oneTable = load("(module (table 0 funcref))", target); NativeStore store = new NativeStore();
        LoadedInstance _ = LoadedInstance.instantiate(oneTable, store)) {
      tableReservation = store.resources().reservedAddressSpace();
      assertTrue(tableReservation >= 128L << 20, "a table without a maximum reserves 2^24 slots: " + tableReservation);
    }
    StoreLimits twoTables = StoreLimits.DEFAULTS.withMaxAddressSpace(2 * tableReservation);
    try (LoadedModule threeTables = load("(module (table 0 funcref) (table 0 funcref) (table 0 externref))", target);
        NativeStore store = new NativeStore(twoTables)) {
      ResourceLimitException refused = assertThrows(ResourceLimitException.class,
          () -> LoadedInstance.instantiate(threeTables, store));
      assertEquals("a table of 0 elements reserves " + tableReservation + " bytes of address space; " + store
          + " has " + 2 * tableReservation + " of its " + 2 * tableReservation + "-byte address-space limit in use"
          + " (every 32-bit memory reserves 4 GiB plus a guard region, whatever its size)", refused.getMessage());
      assertEquals(0, store.resources().reservedAddressSpace(), "the failed instantiation gave everything back");
    }
    try (LoadedModule memory64 = load("(module (memory i64 0) (memory i64 0))", target);
        NativeStore store = new NativeStore(StoreLimits.DEFAULTS.withMaxAddressSpace(6L << 30))) {
      assertThrows(ResourceLimitException.class, () -> LoadedInstance.instantiate(memory64, store),
          "two memory64 memories reserve 4 GiB each");
    }
  }

  private static LoadedModule load(String wat, Target target) {
    return LoadedModule.fromBytes(LimitedCode.compileWasm(Wat.toBinaryWithNames(wat, "test.wat"), target, ExecutionLimits.NONE),
        null, ExecutionLimits.NONE);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable resource : resources.reversed()) {
      try {
        resource.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }
}
