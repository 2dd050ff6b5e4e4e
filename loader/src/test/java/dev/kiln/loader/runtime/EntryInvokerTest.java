package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.vm.VmLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/**
 * Checks that keep a bad call from reaching native code, where it would crash the JVM instead of
 * failing; running code is tested in tests/x64.
 */
class EntryInvokerTest {
  private static final MemorySegment SOMEWHERE = MemorySegment.ofAddress(0x1000);

  @Test
  void rejectsNullTargetsShortOrMisalignedValueArrays() {
    try (NativeStore store = new NativeStore(); Arena arena = Arena.ofConfined()) {
      EntryInvoker invoker = new EntryInvoker(store);
      MemorySegment vmctx = vmctxOf(arena, store);
      MemorySegment values = ValRaw.allocate(arena, 2);
      assertThrows(IllegalArgumentException.class,
          () -> invoker.invoke(MemorySegment.NULL, vmctx, vmctx, values, 2));
      assertThrows(IllegalArgumentException.class,
          () -> invoker.invoke(SOMEWHERE, vmctx, vmctx, values, 3));
      assertThrows(IllegalArgumentException.class,
          () -> invoker.invoke(SOMEWHERE, vmctx, vmctx, values.asSlice(8), 1));
      assertThrows(IllegalArgumentException.class,
          () -> invoker.invoke(SOMEWHERE, vmctx, vmctx, MemorySegment.ofArray(new long[4]), 1),
          "a heap segment has no address native code could use");
      assertEquals(0, store.stackLimit(), "nothing ran");
    }
  }

  @Test
  void rejectsAVmctxOfAnotherStore() {
    try (NativeStore store = new NativeStore(); NativeStore other = new NativeStore(); Arena arena = Arena.ofConfined()) {
      EntryInvoker invoker = new EntryInvoker(store);
      MemorySegment foreign = vmctxOf(arena, other);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> invoker.invoke(SOMEWHERE, foreign, foreign, ValRaw.allocate(arena, 1), 1));
      assertTrue(e.getMessage().contains("another store's context"), e.getMessage());
      // Names the store, never where either context lies in host memory (issue 35).
      assertTrue(!e.getMessage().matches("(?s).*0x[0-9a-f]{6,}.*"), e.getMessage());
    }
  }

  @Test
  void rejectsAClosedStore() {
    try (Arena arena = Arena.ofConfined()) {
      NativeStore store = new NativeStore();
      MemorySegment vmctx = vmctxOf(arena, store);
      EntryInvoker invoker = new EntryInvoker(store);
      store.close();
      assertThrows(IllegalStateException.class,
          () -> invoker.invoke(SOMEWHERE, vmctx, vmctx, ValRaw.allocate(arena, 1), 1));
    }
  }

  private static MemorySegment vmctxOf(Arena arena, NativeStore store) {
    MemorySegment vmctx = arena.allocate(16, 16);
    vmctx.set(ADDRESS, VmLayout.STORE_CONTEXT, store.context());
    return vmctx;
  }
}
