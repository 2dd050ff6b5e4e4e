package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The rule for handles (red team 5's observation): every handle reached through an instance works
 * while that instance and its store are open, and throws {@link IllegalStateException} once either is
 * closed: functions, typed function handles, direct calls, globals, tables and memories alike, even
 * when the object itself lives on in another instance that exported it. Tried as an embedder that
 * keeps handles past a close would: every method of every handle kind.
 */
class ClosedInstanceHandlesTest {
  /** Defines a memory, a table, a global and a function, and exports them. */
  private static final byte[] EXPORTER = Wat.toBinaryWithNames("""
      (module
        (memory (export "memory") 1 2)
        (table (export "table") 2 4 funcref)
        (global (export "counter") (mut i32) (i32.const 7))
        (func (export "seven") (result i32) (i32.const 7))
        (data (i32.const 0) "hi"))
      """, "exporter.wat");
  /** Imports all four and exports them again, with a function of its own. */
  private static final byte[] REEXPORTER = Wat.toBinaryWithNames("""
      (module
        (import "a" "memory" (memory 1 2))
        (import "a" "table" (table 2 4 funcref))
        (import "a" "counter" (global (mut i32)))
        (import "a" "seven" (func $seven (result i32)))
        (export "memory" (memory 0))
        (export "table" (table 0))
        (export "counter" (global 0))
        (export "seven" (func $seven))
        (func (export "eight") (result i32) (i32.add (call $seven) (i32.const 1))))
      """, "reexporter.wat");

  private final Engine engine = Engine.create();

  /** Every operation of the handles reached through one instance, each of which must fail once closed. */
  private static List<Executable> everyUse(Instance instance) {
    Global counter = instance.global("counter");
    Table table = instance.table("table");
    Memory memory = instance.memory("memory");
    Func eight = instance.func("eight");
    IntSupplier typed = instance.func("eight", IntSupplier.class);
    DirectCall direct = eight.direct();
    Func seven = instance.func("seven");
    List<Executable> uses = new ArrayList<>();
    uses.add(counter::get);
    uses.add(() -> counter.set(Val.i32(1)));
    uses.add(table::size);
    uses.add(() -> table.get(0));
    uses.add(() -> table.set(0, new Val.Ref(ValType.FUNCREF, 0)));
    uses.add(() -> table.grow(1, new Val.Ref(ValType.FUNCREF, 0)));
    uses.add(memory::segment);
    uses.add(memory::pages);
    uses.add(memory::byteSize);
    uses.add(() -> memory.grow(1));
    uses.add(() -> memory.read(0, 2));
    uses.add(() -> memory.readString(0, 2));
    uses.add(() -> memory.write(0, new byte[] {1}));
    uses.add(() -> eight.call());
    uses.add(eight::direct);
    uses.add(typed::getAsInt);
    uses.add(direct::call);
    uses.add(() -> seven.call());
    return uses;
  }

  private static void assertEveryUseFails(List<Executable> uses, String closed) {
    for (int i = 0; i < uses.size(); i++) {
      IllegalStateException e = assertThrows(IllegalStateException.class, uses.get(i), "use " + i);
      assertTrue(e.getMessage().contains(closed), "use " + i + ": " + e.getMessage());
    }
  }

  @Test
  void everyHandleReachedThroughAClosedInstanceFailsWhileTheStoreAndTheExporterLiveOn() {
    try (Store store = new Store(engine); WasmModule a = WasmModule.compile(engine, EXPORTER);
         WasmModule b = WasmModule.compile(engine, REEXPORTER)) {
      Instance exporter = new Linker(store).instantiate(a);
      Instance reexporter = new Linker(store).instance("a", exporter).instantiate(b);
      List<Executable> uses = everyUse(reexporter);
      for (Executable use : uses) {
        assertDoesNotFail(use);
      }
      reexporter.close();
      assertEveryUseFails(uses, "closed");
      // The objects themselves live on in their exporter, whose handles still work.
      assertEquals(Val.i32(1), exporter.global("counter").get());
      // The write before the close put a 1 over the "h" of the data segment.
      assertEquals("\u0001i", exporter.memory("memory").readString(0, 2));
      assertEquals(7, exporter.func("seven", IntSupplier.class).getAsInt());
      assertTrue(exporter.table("table").size() >= 3);
    }
  }

  @Test
  void everyHandleFailsAfterTheStoreClosesTableSizeToo() {
    Store store = new Store(engine);
    List<Executable> uses;
    try (WasmModule a = WasmModule.compile(engine, EXPORTER); WasmModule b = WasmModule.compile(engine, REEXPORTER)) {
      Instance exporter = new Linker(store).instantiate(a);
      uses = everyUse(new Linker(store).instance("a", exporter).instantiate(b));
      store.close();
    }
    assertEveryUseFails(uses, "closed");
  }

  /**
   * The check and the operation hold the store's claim, which a close takes too: while a host
   * function runs on one thread (the store claimed), a handle used on another thread is refused
   * as a second thread in the store, so it can never run between another thread's close and its
   * check.
   */
  @Test
  void aHandleUsedFromAnotherThreadWhileTheStoreIsClaimedIsRefused() throws InterruptedException {
    byte[] calling = Wat.toBinaryWithNames("""
        (module
          (import "host" "wait" (func $wait))
          (memory (export "memory") 1)
          (table (export "table") 1 funcref)
          (global (export "counter") (mut i32) (i32.const 7))
          (func (export "run") (call $wait)))
        """, "calling.wat");
    try (Store store = new Store(engine); WasmModule module = WasmModule.compile(engine, calling)) {
      AtomicReference<Instance> self = new AtomicReference<>();
      List<Throwable> seen = new ArrayList<>();
      Runnable fromAnotherThread = () -> {
        Instance instance = self.get();
        List<Executable> uses = List.of(() -> instance.global("counter").get(), () -> instance.table("table").size(),
            () -> instance.memory("memory").pages(), () -> instance.memory("memory").read(0, 1));
        Thread other = new Thread(() -> {
          for (Executable use : uses) {
            try {
              use.execute();
              seen.add(null);
            } catch (Throwable t) {
              seen.add(t);
            }
          }
        });
        other.start();
        try {
          other.join();
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      };
      self.set(new Linker(store).func("host", "wait", Runnable.class, fromAnotherThread).instantiate(module));
      self.get().func("run", Runnable.class).run();
      assertEquals(4, seen.size());
      for (Throwable t : seen) {
        assertTrue(t instanceof IllegalStateException && t.getMessage().contains("in use by thread"), String.valueOf(t));
      }
    }
  }

  private static void assertDoesNotFail(Executable use) {
    try {
      use.execute();
    } catch (Throwable t) {
      throw new AssertionError("before the close: " + t, t);
    }
  }
}
