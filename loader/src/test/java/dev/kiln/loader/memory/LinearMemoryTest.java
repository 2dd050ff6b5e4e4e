package dev.kiln.loader.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.Limits;
import dev.kiln.artifact.info.MemoryType;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.sys.WasmFaults;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.runtime.StoreResources;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class LinearMemoryTest {
  private static final long PAGE = MemoryType.PAGE_SIZE;
  private final NativeStore store = new NativeStore();

  @AfterEach
  void closeStore() {
    store.close();
  }

  /** A memory with its definition record allocated in {@code arena} first, as its owner does. */
  private static LinearMemory create(MemoryType type, Arena arena, StoreResources resources, long storeContext) {
    return LinearMemory.create(type, arena, resources, storeContext, arena.allocate(VmLayout.MEMORY_DEFINITION_SIZE, 8));
  }

  /** Shared arenas, as every owner uses: they free in reverse order of registration (see LinearMemory). */
  @Test
  void theRecordIsTheStateThatCompiledCodeReadsAndGrows() {
    try (Arena arena = Arena.ofShared()) {
      MemorySegment record = arena.allocate(VmLayout.MEMORY_DEFINITION_SIZE, 8);
      LinearMemory memory = LinearMemory.create(new MemoryType(Limits.of(1, 5), false, false), arena,
          store.resources(), store.context().address(), record);
      assertEquals(memory.base(), record.get(ValueLayout.JAVA_LONG, VmLayout.MEMORY_BASE));
      assertEquals(PAGE, record.get(ValueLayout.JAVA_LONG, VmLayout.MEMORY_LENGTH));
      assertEquals(5 * PAGE, record.get(ValueLayout.JAVA_LONG, VmLayout.MEMORY_MAX_LENGTH), "the declared maximum");
      assertEquals(PAGE, store.context().get(ValueLayout.JAVA_LONG, StoreLayout.MEMORY_BYTES_USED),
          "the store's account, where compiled memory.grow takes from it");
      assertEquals(1, memory.grow(1));
      assertEquals(2 * PAGE, record.get(ValueLayout.JAVA_LONG, VmLayout.MEMORY_LENGTH));
      // What the compiled builtin does after committing a page (not done here: only sizes are read)
      // and taking it from the account: the length in the record is the size.
      assertTrue(store.resources().memoryBytes().tryTake(PAGE));
      record.set(ValueLayout.JAVA_LONG, VmLayout.MEMORY_LENGTH, 3 * PAGE);
      assertEquals(3, memory.pages());
      assertEquals(3 * PAGE, memory.segment().byteSize());
    }
    try (Arena arena = Arena.ofShared()) {
      MemorySegment record = arena.allocate(VmLayout.MEMORY_DEFINITION_SIZE, 8);
      LinearMemory.create(new MemoryType(Limits.of(0), true, false), arena, store.resources(), 0L, record);
      assertEquals(LinearMemory.DEFAULT_RESERVATION, record.get(ValueLayout.JAVA_LONG, VmLayout.MEMORY_MAX_LENGTH),
          "a 64-bit memory without a maximum grows as far as its reservation");
    }
  }

  @Test
  void theStoresMemoryLimitCountsEveryMemoryAndComesBackWhenItsArenaCloses() {
    try (NativeStore limited = new NativeStore(StoreLimits.DEFAULTS.withMaxMemoryBytes(5 * PAGE).withMaxMemories(2))) {
      StoreResources resources = limited.resources();
      Arena first = Arena.ofShared();
      LinearMemory a = create(new MemoryType(Limits.of(2), false, false), first, resources, 0L);
      try (Arena second = Arena.ofShared()) {
        LinearMemory b = create(new MemoryType(Limits.of(1), false, false), second, resources, 0L);
        assertEquals(3 * PAGE, resources.memoryBytes().used());
        assertEquals(2, a.grow(2), "5 pages in the store: at the limit");
        assertEquals(-1, b.grow(1), "a sixth page is past it");
        assertEquals(1, b.pages(), "a refused grow changes nothing");
        assertEquals(1, b.grow(0));
        ResourceLimitException third = assertThrows(ResourceLimitException.class,
            () -> create(new MemoryType(Limits.of(0), false, false), Arena.ofAuto(), resources, 0L));
        assertTrue(third.getMessage().contains("2 live memories"), third.getMessage());
      }
      assertEquals(4 * PAGE, resources.memoryBytes().used(), "the second memory's page came back");
      assertEquals(1, resources.count(StoreResources.Kind.MEMORY));
      Arena refused = Arena.ofShared();
      ResourceLimitException tooBig = assertThrows(ResourceLimitException.class,
          () -> create(new MemoryType(Limits.of(2), false, false), refused, resources, 0L));
      refused.close(); // as a failed instantiation frees its instance
      assertEquals("a memory of 2 pages needs 131072 bytes; " + limited + " has 262144 of its 327680-byte memory"
          + " limit in use", tooBig.getMessage());
      first.close();
      assertEquals(0, resources.memoryBytes().used());
      assertEquals(0, resources.count(StoreResources.Kind.MEMORY));
    }
  }
  @Test
  void growsInPlaceUpToTheDeclaredMaximum() {
    try (Arena arena = Arena.ofConfined()) {
      LinearMemory memory = create(new MemoryType(Limits.of(1, 3), false, false), arena, store.resources(), store.context().address());
      long base = memory.base();
      memory.segment().set(ValueLayout.JAVA_INT, 0, 7);
      assertEquals(1, memory.grow(2));
      assertEquals(3, memory.pages());
      assertEquals(base, memory.base(), "the base never moves");
      assertEquals(7, memory.segment().get(ValueLayout.JAVA_INT, 0));
      assertEquals(0, memory.segment().get(ValueLayout.JAVA_INT, 3 * MemoryType.PAGE_SIZE - 4), "new pages are zero");
      assertEquals(-1, memory.grow(1));
      assertEquals(3, memory.grow(0));
      assertEquals(-1, memory.grow(-1));
    }
  }

  @Test
  void withoutAMaximumA32BitMemoryReachesFourGibibytesOfPages() {
    try (Arena arena = Arena.ofConfined()) {
      LinearMemory memory = create(new MemoryType(Limits.of(0), false, false), arena, store.resources(), store.context().address());
      assertEquals(0, memory.byteLength());
      assertEquals(-1, memory.grow(LinearMemory.MAX_PAGES_32 + 1));
      assertEquals(0, memory.grow(1));
      assertEquals(1, memory.pages());
    }
  }

  @Test
  void aMinimumAboveTheIndexSpaceIsUninstantiable() {
    try (Arena arena = Arena.ofConfined()) {
      assertThrows(ModuleInstantiationException.class,
          () -> create(new MemoryType(Limits.of(LinearMemory.MAX_PAGES_32 + 1), false, false), arena,
              store.resources(), 0L));
    }
  }

  @Test
  void aMemory32ReservesTheIndexSpaceAndTheGuardAndRegistersThemUntilItsArenaCloses() {
    Arena arena = Arena.ofShared();
    LinearMemory memory = create(new MemoryType(Limits.of(1, 2), false, false), arena,
        store.resources(), store.context().address());
    long base = memory.base();
    long last = base + MemoryGuard.RESERVATION_32 + MemoryGuard.LOADER_GUARD_BYTES - 1;
    assertTrue(WasmFaults.inMemoryReservation(base), "the first byte");
    assertTrue(WasmFaults.inMemoryReservation(last), "the guard's last byte, whatever the maximum");
    assertFalse(WasmFaults.inMemoryReservation(last + 1), "past the reservation");
    arena.close();
    assertFalse(WasmFaults.inMemoryReservation(base), "unregistered with the memory");
  }

  @Test
  void closingTheArenaUnmapsTheMemoryAndInvalidatesItsViews() {
    Arena arena = Arena.ofShared();
    LinearMemory memory = create(new MemoryType(Limits.of(1), false, false), arena, store.resources(), store.context().address());
    var view = memory.segment();
    view.set(ValueLayout.JAVA_INT, 0, 7);
    arena.close();
    assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_INT, 0), "no access to unmapped pages");
    assertThrows(IllegalStateException.class, memory::segment);
  }
}
