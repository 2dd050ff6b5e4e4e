package dev.kiln.loader.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.junit.jupiter.api.Test;

/** Argument checks that keep a bad call from reaching native code; running code is tested in tests/x64. */
class EntryInvokerTest {
  @Test
  void rejectsNullTargetsShortOrMisalignedValueArraysBeforeCallingNativeCode() {
    try (Store store = new Store(); Arena arena = Arena.ofConfined()) {
      EntryInvoker invoker = new EntryInvoker(store);
      MemorySegment values = ValRaw.allocate(arena, 2);
      MemorySegment somewhere = MemorySegment.ofAddress(0x1000);
      assertThrows(IllegalArgumentException.class,
          () -> invoker.invoke(MemorySegment.NULL, somewhere, somewhere, values, 2));
      assertThrows(IllegalArgumentException.class,
          () -> invoker.invoke(somewhere, somewhere, somewhere, values, 3));
      assertThrows(IllegalArgumentException.class,
          () -> invoker.invoke(somewhere, somewhere, somewhere, values.asSlice(8), 1));
      assertEquals(0, store.stackLimit(), "nothing ran");
    }
  }
}
