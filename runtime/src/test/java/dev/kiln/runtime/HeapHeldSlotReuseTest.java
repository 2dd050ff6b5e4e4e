package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A closed instance that only the heap keeps (its module defines struct types, or a tag carries a
 * funcref) holds its pool slot and its count against the store's instance limit until an owner
 * decision frees it. Attacked as a server instantiating and closing one such instance per request
 * in a store of a small pool: an instantiation the pool or the limit would refuse first makes the
 * decision, so the loop is never refused while nothing reaches the closed instances.
 */
class HeapHeldSlotReuseTest {
  private static final String STRUCTS = """
      (module
        (type $s (struct (field i32)))
        (func (export "run") (result i32)
          (struct.get $s 0 (struct.new $s (i32.const 7)))))
      """;
  private static final String FUNCREF_TAG = """
      (module
        (tag $t (param funcref))
        (func $f (result i32) (i32.const 7))
        (elem declare func $f)
        (func (export "run") (result i32)
          (drop (block $h (result funcref)
            (try_table (catch $t $h) (throw $t (ref.func $f)))
            (unreachable)))
          (i32.const 7)))
      """;

  private static String wat(String kind) {
    return kind.equals("structs") ? STRUCTS : FUNCREF_TAG;
  }

  @ParameterizedTest
  @ValueSource(strings = {"structs", "funcref tag"})
  void aPoolOfTwoServesEveryRequest(String kind) {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(2)).build();
    try (WasmModule module = WasmModule.compile(engine, Wat.toBinary(wat(kind), kind + ".wat"));
        Store store = new Store(engine)) {
      for (int request = 0; request < 40; request++) {
        Instance instance = new Linker(store).instantiate(module);
        assertEquals(7, instance.func("run").call().getFirst().asInt(), "request " + request);
        instance.close();
      }
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"structs", "funcref tag"})
  void aStoreOfTwoInstancesServesEveryRequest(String kind) {
    Engine engine = Engine.builder().build();
    try (WasmModule module = WasmModule.compile(engine, Wat.toBinary(wat(kind), kind + ".wat"));
        Store store = Store.builder(engine).maxCounts(2, 10, 10).build()) {
      for (int request = 0; request < 40; request++) {
        Instance instance = new Linker(store).instantiate(module);
        assertEquals(7, instance.func("run").call().getFirst().asInt(), "request " + request);
        instance.close();
      }
    }
  }

  private static final String THROWER = """
      (module
        (tag $t (param funcref))
        (func $f (result i32) (i32.const 7))
        (elem declare func $f)
        (func (export "exn") (result exnref)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (throw $t (ref.func $f)))
            (unreachable))))
      """;
  private static final String KEEPER = """
      (module
        (global $kept (export "kept") (mut exnref) (ref.null exn))
        (func (export "keep") (param exnref) (global.set $kept (local.get 0)))
        (func (export "clear") (global.set $kept (ref.null exn))))
      """;
  /** A thrower that keeps its own exception in the keeper's global: no handle of Java holds it. */
  private static final String THROWER_INTO_KEEPER = """
      (module
        (import "keeper" "kept" (global $kept (mut exnref)))
        (tag $t (param funcref))
        (func $f (result i32) (i32.const 7))
        (elem declare func $f)
        (func (export "keep")
          (global.set $kept
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (throw $t (ref.func $f)))
              (unreachable)))))
      """;

  private static final int RETRIES = 100;

  /**
   * A closed instance the guest keeps reachable (its exception in a live instance's global) keeps its
   * slot: the refusal's decision frees nothing, and a server's retries must not each copy the live
   * heap (red team 18 F1): a fruitless answer is trusted for twice as many refusals each time, so
   * {@code r} refusals make at most {@code log2(r) + 1} decisions.
   */
  @Test
  void refusedRetriesDoNotEachCollect() {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(2)).build();
    try (WasmModule thrower = WasmModule.compile(engine, Wat.toBinary(THROWER, "thrower.wat"));
        WasmModule keeper = WasmModule.compile(engine, Wat.toBinary(KEEPER, "keeper.wat"));
        Store store = new Store(engine)) {
      Instance keeping = new Linker(store).instantiate(keeper);
      Instance throwing = new Linker(store).instantiate(thrower);
      keeping.func("keep").call(throwing.func("exn").call().getFirst());
      throwing.close();
      long before = store.gcStatistics().collections();
      for (int retry = 0; retry < RETRIES; retry++) {
        KilnException refused = assertThrows(KilnException.class, () -> new Linker(store).instantiate(keeper));
        assertTrue(refused.getMessage().contains("slots in use"), refused.getMessage());
      }
      long collections = store.gcStatistics().collections() - before;
      long bound = 64 - Long.numberOfLeadingZeros(RETRIES);
      assertTrue(collections <= bound, collections + " collections for " + RETRIES + " refused retries");
    }
  }

  /**
   * The fruitless answer depends on the roots, which Java's {@code Global.set} or a wasm {@code
   * global.set} change without a collection (red team 19 F2): once the keeper drops the exception,
   * a retry within as many refusals as came before gets the slot, none of them collecting otherwise.
   */
  @ParameterizedTest
  @ValueSource(strings = {"java", "wasm"})
  void aRetryAfterTheRootIsClearedGetsTheSlot(String how) {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(2)).build();
    try (WasmModule thrower = WasmModule.compile(engine, Wat.toBinary(THROWER_INTO_KEEPER, "thrower.wat"));
        WasmModule keeper = WasmModule.compile(engine, Wat.toBinary(KEEPER, "keeper.wat"));
        Store store = new Store(engine)) {
      Instance keeping = new Linker(store).instantiate(keeper);
      Instance throwing = new Linker(store).instance("keeper", keeping).instantiate(thrower);
      throwing.func("keep").call();
      throwing.close();
      int refusals = 10;
      for (int retry = 0; retry < refusals; retry++) {
        assertThrows(KilnException.class, () -> new Linker(store).instantiate(keeper));
      }
      if (how.equals("java")) {
        keeping.global("kept").set(Val.nullRef(ValType.EXNREF));
      } else {
        keeping.func("clear").call();
      }
      Instance next = null;
      for (int retry = 0; retry <= refusals && next == null; retry++) {
        try {
          next = new Linker(store).instantiate(keeper);
        } catch (KilnException refused) {
          assertTrue(refused.getMessage().contains("slots in use"), refused.getMessage());
        }
      }
      assertTrue(next != null, "still refused " + (refusals + 1) + " retries after the root was cleared");
    }
  }

  /**
   * The pool is the engine's, the owner decision each store's: store A's two closed instances only
   * its heap keeps (fewer than the 16 closes that make a decision due) held both slots of a pool of
   * 2, and store B was refused for as long as A stayed idle. B's refusal now has A decide.
   */
  @ParameterizedTest
  @ValueSource(strings = {"structs", "funcref tag"})
  void anotherStoresClosedInstancesGiveTheirSlotsBack(String kind) {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(2)).build();
    try (WasmModule module = WasmModule.compile(engine, Wat.toBinary(wat(kind), kind + ".wat"));
        Store a = new Store(engine);
        Store b = new Store(engine)) {
      for (int i = 0; i < 2; i++) {
        Instance instance = new Linker(a).instantiate(module);
        assertEquals(7, instance.func("run").call().getFirst().asInt());
        instance.close();
      }
      Instance inB = new Linker(b).instantiate(module);
      assertEquals(7, inB.func("run").call().getFirst().asInt());
      // A is as usable as before the decision B's refusal made in it
      inB.close();
      assertEquals(7, new Linker(a).instantiate(module).func("run").call().getFirst().asInt());
    }
  }

  private static final String WAITER = """
      (module
        (import "env" "wait" (func $wait (param i32) (result i32)))
        (func (export "run") (result i32) (call $wait (i32.const 7))))
      """;

  /**
   * Store A's thread is in a host call (wasm of A on its stack, A's claim held) while store B's
   * instantiation finds the pool full of A's instances: B must not collect A under the running code,
   * so it is refused and A's call goes on untouched; once A is idle, B's next try gets A's closed
   * instance's slot.
   */
  @Test
  void aStoreBusyInAHostCallIsNotCollectedForAnother() throws Exception {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(2)).build();
    CountDownLatch inHostCall = new CountDownLatch(1);
    CountDownLatch letGo = new CountDownLatch(1);
    try (WasmModule structs = WasmModule.compile(engine, Wat.toBinary(STRUCTS, "structs.wat"));
        WasmModule waiter = WasmModule.compile(engine, Wat.toBinary(WAITER, "waiter.wat"));
        Store a = new Store(engine);
        Store b = new Store(engine)) {
      Instance closed = new Linker(a).instantiate(structs);
      assertEquals(7, closed.func("run").call().getFirst().asInt());
      closed.close();
      Instance waiting = new Linker(a).func("env", "wait", IntUnaryOperator.class, x -> {
        inHostCall.countDown();
        try {
          letGo.await();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
        return x;
      }).instantiate(waiter);
      CompletableFuture<Integer> call = CompletableFuture.supplyAsync(
          () -> waiting.func("run").call().getFirst().asInt());
      try {
        assertTrue(inHostCall.await(30, TimeUnit.SECONDS), "A's call never reached its host function");
        long collections = a.gcStatistics().collections();
        KilnException refused = assertThrows(KilnException.class, () -> new Linker(b).instantiate(structs));
        assertTrue(refused.getMessage().contains("slots in use"), refused.getMessage());
        assertEquals(collections, a.gcStatistics().collections(), "B collected A while A ran wasm");
      } finally {
        letGo.countDown();
      }
      assertEquals(7, call.get(30, TimeUnit.SECONDS));
      assertEquals(7, new Linker(b).instantiate(structs).func("run").call().getFirst().asInt());
    }
  }

  /**
   * The same in a store confined to its thread, from that thread: A's host function instantiates
   * in B, whose refusal asks A for its owner decision on the very thread whose stack holds A's wasm.
   * A confined store's wasm entries are its depth, not its claim's count, so the claim alone would
   * have let the decision collect A under the running code.
   */
  @Test
  void aConfinedStoreInAHostCallIsNotCollectedForAnotherFromItsOwnThread() {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(2)).build();
    try (WasmModule structs = WasmModule.compile(engine, Wat.toBinary(STRUCTS, "structs.wat"));
        WasmModule waiter = WasmModule.compile(engine, Wat.toBinary(WAITER, "waiter.wat"));
        Store a = Store.builder(engine).confined().build();
        Store b = new Store(engine)) {
      Instance closed = new Linker(a).instantiate(structs);
      assertEquals(7, closed.func("run").call().getFirst().asInt());
      closed.close();
      long[] collectionsInCall = new long[2];
      String[] refusal = new String[1];
      Instance waiting = new Linker(a).func("env", "wait", IntUnaryOperator.class, x -> {
        collectionsInCall[0] = a.gcStatistics().collections();
        refusal[0] = assertThrows(KilnException.class, () -> new Linker(b).instantiate(structs)).getMessage();
        collectionsInCall[1] = a.gcStatistics().collections();
        return x;
      }).instantiate(waiter);
      assertEquals(7, waiting.func("run").call().getFirst().asInt());
      assertTrue(refusal[0].contains("slots in use"), refusal[0]);
      assertEquals(collectionsInCall[0], collectionsInCall[1], "B collected A while A ran wasm");
      waiting.close();
      assertEquals(7, new Linker(b).instantiate(structs).func("run").call().getFirst().asInt());
    }
  }
}
