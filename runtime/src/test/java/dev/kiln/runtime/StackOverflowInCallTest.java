package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A {@code StackOverflowError} thrown at any Java frame of a call into a store (what an embedder
 * near its thread's stack end gets) fails that call and leaves the store as it was: not claimed by
 * the thread, its depth not raised (issue 35). Each level of a recursion that overflowed calls
 * into the store with a little more stack than the level below, so every frame of the claim and
 * entry path overflows somewhere; afterwards another thread must be let in (a store of any thread)
 * and the store must close.
 */
class StackOverflowInCallTest {
  private static final byte[] MODULE = Wat.toBinaryWithNames("""
      (module (func (export "f") (result i32) (i32.const 42)))
      """, "f.wat");

  /** Overflows, then calls {@code call} at each level of the way back; answers how many calls overflowed. */
  private static int callAtEveryDepth(Runnable call) {
    int[] overflowedCalls = {0};
    try {
      recurse(call, overflowedCalls);
    } catch (StackOverflowError theRecursionsOwn) {
      // every level has made its call
    }
    return overflowedCalls[0];
  }

  private static void recurse(Runnable call, int[] overflowedCalls) {
    try {
      recurse(call, overflowedCalls);
    } catch (StackOverflowError e) {
      try {
        call.run();
      } catch (StackOverflowError inCall) {
        overflowedCalls[0]++;
      }
      throw e;
    }
  }

  @ParameterizedTest
  @CsvSource({"false, false", "false, true", "true, false", "true, true"})
  void anOverflowInACallLeavesTheStoreUsable(boolean confined, boolean direct) throws Exception {
    Engine engine = Engine.builder().target(Target.X86_64).build();
    WasmModule module = WasmModule.compile(engine, MODULE);
    AtomicReference<Object> outcome = new AtomicReference<>();
    AtomicReference<Store> storeRef = new AtomicReference<>();
    AtomicReference<Func> funcRef = new AtomicReference<>();
    Thread caller = new Thread(null, () -> {
      try {
        Store store = confined ? Store.builder(engine).confined().build() : new Store(engine);
        Func f = new Linker(store).instantiate(module).func("f");
        DirectCall d = f.direct();
        f.call(); // the first calls at a shallow depth: what they link is linked (F3 is apart)
        d.call();
        Runnable call = direct ? () -> d.call() : () -> f.call();
        outcome.set(callAtEveryDepth(call));
        storeRef.set(store);
        funcRef.set(f);
        if (confined) {
          store.close(); // refused while a leaked depth says wasm is running
        }
      } catch (Throwable t) {
        outcome.set(t);
      }
    }, "small-stack", 512 * 1024);
    caller.start();
    caller.join(120_000);
    assertTrue(outcome.get() instanceof Integer, () -> "the caller failed: " + outcome.get());
    assertTrue((Integer) outcome.get() > 0, "no call overflowed: the test reached no frame of the path");
    if (!confined) {
      // another thread is let in, with the caller thread still alive (a leaked claim refuses it)
      assertEquals(List.of(new Val.I32(42)), CompletableFuture.supplyAsync(() -> funcRef.get().call()).get());
      storeRef.get().close();
    }
  }
}
