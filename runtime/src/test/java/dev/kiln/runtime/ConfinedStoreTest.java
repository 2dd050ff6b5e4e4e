package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.IntBinaryOperator;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A store {@linkplain Store.Builder#confined() confined} to the thread that built it: that thread
 * calls, nests calls (wasm -> Java -> wasm), instantiates, reads GC objects and closes as in any
 * store; every other thread is refused each of those with a {@link WrongThreadException} naming both
 * threads, while the store is idle (a default store would let it in) and after it is closed, and
 * the refusals leave the store as it was for its own thread. Once its thread has ended, another
 * thread may close it, and do nothing else.
 */
class ConfinedStoreTest {
  private static final byte[] MODULE = Wat.toBinaryWithNames("""
      (module
        (import "env" "inner" (func $inner (param i32) (result i32)))
        (type $s (struct (field i64)))
        (table $t (export "t") 1 anyref)
        (global $g (export "g") (mut anyref) (ref.null any))
        (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1)))
        (func (export "viaHost") (param i32) (result i32) (i32.add (call $inner (local.get 0)) (local.get 0)))
        (func (export "init")
          (table.set $t (i32.const 0) (struct.new $s (i64.const 7)))
          (global.set $g (table.get $t (i32.const 0)))))
      """, "confined.wat");

  private final Engine engine = Engine.builder().target(Target.X86_64).build();

  private Instance instantiate(Store store) {
    Instance[] self = new Instance[1];
    // the host function calls back into the store: a nested claim on the owning thread
    Instance instance = new Linker(store)
        .func("env", "inner", IntUnaryOperator.class, x -> (int) self[0].func("add").direct().call(x, 100))
        .instantiate(WasmModule.compile(engine, MODULE));
    self[0] = instance;
    instance.func("init").call();
    return instance;
  }

  @Test
  void theOwningThreadDoesEverythingItsStoreAllows() {
    Store store = Store.builder(engine).confined().build();
    Instance instance = instantiate(store);
    assertEquals(42, (int) instance.func("add").direct().call(2, 40));
    assertEquals(42, instance.func("add", IntBinaryOperator.class).applyAsInt(40, 2));
    assertEquals(List.of(Val.i32(5 + 100 + 5)), instance.func("viaHost").call(Val.i32(5)));
    assertInstanceOf(Val.Gc.class, instance.table("t").get(0));
    assertInstanceOf(Val.Gc.class, instance.global("g").get());
    store.close();
    store.close();
  }

  @Test
  void everyOtherThreadIsRefusedEachWayAndTheStoreStaysUsable() throws Exception {
    Store store = Store.builder(engine).confined().build();
    Instance instance = instantiate(store);
    DirectCall add = instance.func("add").direct();
    IntBinaryOperator typed = instance.func("add", IntBinaryOperator.class);
    Func viaHost = instance.func("viaHost");
    Table table = instance.table("t");
    Global global = instance.global("g");
    Val object = table.get(0);
    WasmModule module = WasmModule.compile(engine, Wat.toBinary("(module (func (export \"f\")))", "empty.wat"));
    Map<String, Runnable> ways = new TreeMap<>(Map.of(
        "DirectCall", () -> add.call(1, 2),
        "typed handle", () -> typed.applyAsInt(1, 2),
        "Func.call", () -> viaHost.call(Val.i32(1)),
        "instantiate", () -> new Linker(store).instantiate(module),
        "Table.get (a GC read)", () -> table.get(0),
        "Global.get (a GC read)", global::get,
        "Table.set of an object", () -> table.set(0, object),
        "close", store::close));
    String owner = Thread.currentThread().getName();
    // every way checked, each failure reported
    assertAll(ways.entrySet().stream().map(way -> () -> {
      Throwable refused = onAnotherThread(way.getValue());
      assertInstanceOf(WrongThreadException.class, refused, way.getKey());
      assertTrue(refused.getMessage().contains("is confined to thread \"" + owner + "\"")
          && refused.getMessage().contains("thread \"other\" cannot"), way.getKey() + ": " + refused.getMessage());
    }));
    // nothing the refusals did is left in the store: its thread calls, nests, reads and closes
    assertEquals(3, (int) add.call(1, 2));
    assertEquals(List.of(Val.i32(1 + 101)), viaHost.call(Val.i32(1)));
    assertInstanceOf(Val.Gc.class, table.get(0));
    store.close();
    // closed, it still belongs to its thread: a second close elsewhere is refused, not ignored
    assertInstanceOf(WrongThreadException.class, onAnotherThread(store::close));
    assertThrows(IllegalStateException.class, () -> add.call(1, 2));
  }

  @Test
  void anInstanceClosedFromItsOwnHostCallIsRefusedNestedAndAfterAndTheStoreGoesOn() {
    Store store = Store.builder(engine).confined().build();
    Instance[] self = new Instance[1];
    Throwable[] nested = new Throwable[1];
    Instance instance = new Linker(store)
        .func("env", "inner", IntUnaryOperator.class, x -> {
          DirectCall add = self[0].func("add").direct();
          self[0].close(); // wasm of the instance is on the stack: freed at the outermost exit
          nested[0] = assertThrows(IllegalStateException.class, () -> add.call(x, 1));
          return x;
        })
        .instantiate(WasmModule.compile(engine, MODULE));
    self[0] = instance;
    DirectCall add = instance.func("add").direct();
    assertEquals(5, (int) add.call(2, 3)); // the floor placed, then the one-word path
    assertEquals(7, (int) add.call(3, 4));
    assertEquals(List.of(Val.i32(2 * 9)), instance.func("viaHost").call(Val.i32(9)));
    assertTrue(nested[0].getMessage().contains("closed"), nested[0].getMessage());
    assertThrows(IllegalStateException.class, () -> add.call(1, 2));
    Instance again = instantiate(store);
    assertEquals(42, (int) again.func("add").direct().call(2, 40));
    store.close();
    assertThrows(IllegalStateException.class, () -> again.func("add").direct().call(2, 40));
  }

  @Test
  void aDefaultStoreLetsAnIdleStoreBeUsedFromAnotherThread() throws Exception {
    try (Store store = new Store(engine)) {
      DirectCall add = instantiate(store).func("add").direct();
      assertEquals(null, onAnotherThread(() -> add.call(1, 2)));
    }
  }

  /**
   * The owner thread ended without closing its store (red team 17: nobody could close it, so its
   * pool slot, memory and context were never freed): another thread closes it, and only that.
   */
  @Test
  void aStoreWhoseThreadEndedIsClosedByAnotherThreadAndNothingElse() throws Exception {
    Engine pooled = Engine.builder().target(Target.X86_64).pooling(PoolingAllocation.ofInstances(1)).build();
    WasmModule module = WasmModule.compile(pooled, Wat.toBinary(
        "(module (func (export \"add\") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))",
        "add.wat"));
    Store[] store = new Store[1];
    DirectCall[] add = new DirectCall[1];
    Thread owner = new Thread(() -> {
      store[0] = Store.builder(pooled).confined().build();
      add[0] = new Linker(store[0]).instantiate(module).func("add").direct();
      assertEquals(3, (int) add[0].call(1, 2));
    }, "owner");
    owner.start();
    owner.join();
    assertInstanceOf(WrongThreadException.class, onAnotherThread(() -> add[0].call(1, 2)));
    assertInstanceOf(WrongThreadException.class, onAnotherThread(() -> new Linker(store[0]).instantiate(module)));
    try (Store other = new Store(pooled)) {
      // the pool's one slot is the ended thread's store's until someone closes that store
      KilnException full = assertThrows(KilnException.class, () -> new Linker(other).instantiate(module));
      assertTrue(full.getMessage().contains("slots in use"), full.getMessage());
      assertEquals(null, onAnotherThread(store[0]::close));
      assertEquals(5, (int) new Linker(other).instantiate(module).func("add").direct().call(2, 3));
    }
    // closed, the ended thread's store still lets no other thread call, and a second close does nothing
    assertInstanceOf(WrongThreadException.class, onAnotherThread(() -> add[0].call(1, 2)));
    store[0].close();
  }

  /** What {@code body} throws on a new thread named "other", null if it returns. */
  private static Throwable onAnotherThread(Runnable body) throws InterruptedException {
    CompletableFuture<Throwable> outcome = new CompletableFuture<>();
    Thread other = new Thread(() -> {
      try {
        body.run();
        outcome.complete(null);
      } catch (Throwable t) {
        outcome.complete(t);
      }
    }, "other");
    other.start();
    other.join();
    try {
      return outcome.get();
    } catch (ExecutionException e) {
      throw new AssertionError(e);
    }
  }
}
