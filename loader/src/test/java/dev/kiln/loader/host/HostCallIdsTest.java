package dev.kiln.loader.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.sys.ArraysThatRunOut;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A host function's id is taken only once nothing is left to allocate, and given back only once
 * the free ids have room for it: an {@code OutOfMemoryError} at either growth leaves every id in
 * use or free, never lost (issue 35: the id was counted taken before the table grew, and a boxed
 * id pushed on a deque after its function left could be lost with every other free id).
 */
class HostCallIdsTest {
  private static final FuncType NOTHING = new FuncType(List.of(), List.of());

  @Test
  void anOutOfMemoryErrorWhereTheTableGrowsLosesNoId() {
    NativeStore store = new NativeStore();
    try {
      HostFunction function = HostFunction.create(store, NOTHING, args -> args);
      ArraysThatRunOut arrays = new ArraysThatRunOut(1);
      HostCalls calls = new HostCalls(store, arrays);
      int held = 0;
      while (!arrays.ranOut()) {
        try {
          assertEquals(held, calls.register(function));
          held++;
        } catch (OutOfMemoryError injected) {
          assertEquals(held, calls.registered(), "a failed register holds an id");
        }
      }
      assertEquals(held, calls.register(function), "the id the failed register would have taken");
      assertEquals(held + 1, calls.registered());
    } finally {
      store.close();
    }
  }

  @Test
  void anOutOfMemoryErrorWhereTheFreeIdsGrowLeavesTheIdForTheRetry() {
    NativeStore store = new NativeStore();
    try {
      HostFunction function = HostFunction.create(store, NOTHING, args -> args);
      ArraysThatRunOut arrays = new ArraysThatRunOut(2); // the table's growth passes, the free ids' fails
      HostCalls calls = new HostCalls(store, arrays);
      int count = 16; // the table grows once, at id 8
      for (int i = 0; i < count; i++) {
        calls.register(function);
      }
      List<Integer> failed = new ArrayList<>();
      for (int id = 0; id < count; id++) {
        try {
          calls.unregister(id);
        } catch (OutOfMemoryError injected) {
          assertEquals(count - id, calls.registered(), "a failed unregister let its id go");
          failed.add(id);
          calls.unregister(id); // the caller's retry
        }
      }
      assertTrue(arrays.ranOut(), "the free ids never grew");
      assertEquals(List.of(8), failed);
      assertEquals(0, calls.registered());
      for (int i = 0; i < count; i++) {
        assertTrue(calls.register(function) < count, "a freed id is reused before a new one");
      }
      assertEquals(count, calls.registered());
    } finally {
      store.close();
    }
  }
}
