package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.sys.ArraysThatRunOut;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * The process-wide upcalls find their store only from an open store's own context: a copy of a
 * context's block at another address (its slot word and all), a context whose store closed, or
 * nothing at all finds no store, so no upcall can be made to act on a store other than the one
 * whose context it was given.
 */
class UpcallRegistryTest {
  private static final HostCallTarget CALLS = (id, caller, values, len) -> 1;

  @Test
  void anOpenStoresContextFindsItsEntryAndNothingElseDoes() {
    StoreContext block = new StoreContext();
    try (Arena arena = Arena.ofConfined()) {
      StoreUpcalls upcalls = block.upcalls();
      upcalls.hostCalls(CALLS);
      long context = block.segment().address();
      assertSame(upcalls, UpcallRegistry.of(context));
      assertSame(upcalls, UpcallRegistry.ofVmctx(vmctxNaming(arena, context).address()));

      // A forged context: the same bytes, slot word included, at another address.
      MemorySegment copy = arena.allocate(StoreContext.UPCALL_SLOT_OFFSET + 4, 16);
      MemorySegment.copy(block.segment().reinterpret(copy.byteSize()), 0, copy, 0, copy.byteSize());
      assertNull(UpcallRegistry.of(copy.address()), "a copy of an open store's context");
      assertNull(UpcallRegistry.ofVmctx(vmctxNaming(arena, copy.address()).address()), "a vmctx naming the copy");
      assertNull(UpcallRegistry.of(0), "no context");
      assertNull(UpcallRegistry.ofVmctx(0), "no vmctx");
    } finally {
      block.free();
    }
  }

  @Test
  void aClosedStoresEntryIsGoneItsTargetsDroppedAndItsSlotServesAnotherStoreOnly() {
    int before = UpcallRegistry.registered();
    StoreContext closed = new StoreContext();
    StoreUpcalls closedUpcalls = closed.upcalls();
    closedUpcalls.hostCalls(CALLS);
    assertEquals(before + 1, UpcallRegistry.registered());
    try (Arena arena = Arena.ofConfined()) {
      // What a stale context would still hold: the closed store's slot word, at an address of its own.
      MemorySegment stale = arena.allocate(StoreContext.UPCALL_SLOT_OFFSET + 4, 16);
      MemorySegment.copy(closed.segment().reinterpret(stale.byteSize()), 0, stale, 0, stale.byteSize());
      closed.free();
      assertEquals(before, UpcallRegistry.registered());
      assertNull(closedUpcalls.hostCalls(), "a closed store's entry keeps no target");
      StoreContext next = new StoreContext();
      try {
        StoreUpcalls nextUpcalls = next.upcalls();
        assertEquals(closedUpcalls.slot(), nextUpcalls.slot(), "the freed slot is reused");
        assertSame(nextUpcalls, UpcallRegistry.of(next.segment().address()));
        assertNull(UpcallRegistry.of(stale.address()), "the closed store's slot word names the next store's slot");
      } finally {
        next.free();
      }
    }
  }

  /**
   * An {@code OutOfMemoryError} where the table grows leaves the registry as it was: the slot that
   * register would have taken is still free, and the next store gets it (issue 35: the slot was
   * taken before the allocation, and lost for the process's life).
   */
  @Test
  void anOutOfMemoryErrorWhereTheTableGrowsLosesNoSlot() {
    int before = UpcallRegistry.registered();
    java.util.List<StoreUpcalls> made = new java.util.ArrayList<>();
    try (Arena arena = Arena.ofConfined()) {
      boolean ranOut = false;
      // Fills the table (however many slots other tests left in use) until a register must grow it
      for (int i = 0; i < 1 << 16 && !ranOut; i++) {
        MemorySegment context = arena.allocate(StoreContext.UPCALL_SLOT_OFFSET + 4, 16);
        MemorySegment slotWord = context.asSlice(StoreContext.UPCALL_SLOT_OFFSET, 4);
        int registered = UpcallRegistry.registered();
        try {
          made.add(UpcallRegistry.register(context.address(), slotWord, new ArraysThatRunOut(1)));
        } catch (OutOfMemoryError injected) {
          ranOut = true;
          assertEquals(registered, UpcallRegistry.registered(), "a failed register holds a slot");
          assertNull(UpcallRegistry.of(context.address()), "a failed register's context finds an entry");
          StoreUpcalls next = UpcallRegistry.register(context.address(), slotWord);
          made.add(next);
          assertEquals(registered + 1, UpcallRegistry.registered());
          assertEquals(registered, next.slot(), "the slot the failed register would have taken");
          assertSame(next, UpcallRegistry.of(context.address()));
        }
      }
      assertTrue(ranOut, "the table never grew");
    } finally {
      made.forEach(UpcallRegistry::unregister);
    }
    assertEquals(before, UpcallRegistry.registered());
  }

  /** A VMContext's first word: the store context pointer. */
  private static MemorySegment vmctxNaming(Arena arena, long context) {
    MemorySegment vmctx = arena.allocate(16, 16);
    vmctx.set(JAVA_LONG, 0, context);
    return vmctx;
  }
}
