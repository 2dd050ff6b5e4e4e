package dev.kiln.loader.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.sys.NativeHeap;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A host function made at every depth near the end of a thread's stack (an embedder's linker per
 * request, deep in its own code): one that fails leaves neither its C-heap block nor its count
 * against the store's host function limit. It allocates its block, registers itself and adopts a
 * lifetime, and gives back what it took in a handler whose calls could overflow too (red team 24
 * F4's shape); it begins only with room to finish.
 */
class HostFunctionAtTheStacksEndTest {
  private static final FuncType I32_TO_I32 = new FuncType(List.of(ValType.I32), List.of(ValType.I32));

  @Test
  void aHostFunctionMadeAtEveryDepthNearTheStacksEndLeavesNothingWhenItFails() throws Exception {
    NativeStore warm = new NativeStore();
    HostFunction.create(warm, I32_TO_I32, args -> args); // its paths linked at the top
    warm.close();
    long before = NativeHeap.liveBlocks();
    NativeStore store = new NativeStore();
    int[] made = {0};
    int[] overflowed = {0};
    for (int t = 0; t < 8; t++) {
      Thread thread = new Thread(null, () -> {
        try {
          attemptOnTheWayBack(store, new int[1], made, overflowed);
        } catch (StackOverflowError theRecursionsOwn) {
          // every level has had its turn
        }
      }, "stack-end-" + t, 256 * 1024);
      thread.start();
      thread.join();
    }
    assertTrue(overflowed[0] > 0, "no attempt overflowed");
    assertEquals(made[0], store.resources().count(StoreResources.Kind.HOST_FUNCTION),
        "host functions counted, of " + made[0] + " made and " + overflowed[0] + " overflowed");
    store.close();
    assertEquals(before, NativeHeap.liveBlocks(), "C-heap blocks left by " + overflowed[0] + " overflowed attempts");
  }

  private static int attemptOnTheWayBack(NativeStore store, int[] fromBottom, int[] made, int[] overflowed) {
    try {
      return 1 + attemptOnTheWayBack(store, fromBottom, made, overflowed);
    } catch (StackOverflowError overflow) {
      if (fromBottom[0]++ < 200) {
        for (int pad = 0; pad < 4; pad++) {
          try {
            padded(store, pad);
            made[0]++;
          } catch (StackOverflowError atTheEnd) {
            overflowed[0]++;
          }
        }
      }
      throw overflow;
    }
  }

  /** A host function made below {@code frames} frames more. */
  private static int padded(NativeStore store, int frames) {
    if (frames == 0) {
      HostFunction.create(store, I32_TO_I32, args -> args);
      return 0;
    }
    return padded(store, frames - 1) + 1;
  }
}
