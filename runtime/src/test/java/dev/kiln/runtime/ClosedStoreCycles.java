package dev.kiln.runtime;

import dev.kiln.loader.exec.NativeExecutor;
import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.runtime.UpcallRegistry;
import dev.kiln.loader.sys.NativeHeap;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongUnaryOperator;

/**
 * A store per request whose instance calls into Java every way compiled code can (a host function,
 * the GC heap's allocation slow path, the exception unwinder): after {@code N} and {@code 2N} cycles
 * of new store, instantiate, one call, close, it counts what is left of the closed stores. Run by
 * {@link ClosedStoreReachabilityTest} in a JVM of its own with a small heap (the counts are the
 * process's). {@code ClosedStoreCycles x86_64|aarch64 N} prints {@code after N: ...} and {@code after
 * 2N: ...}, each {@code live stores=L registered=R upcall stubs=S C-heap blocks=B reserved=A}:
 * closed stores still reachable (weak references to their internals after collections), stores in
 * the upcall registry, native upcall stubs alive, C-heap blocks and the process's reserved address
 * space (a GC heap's pages are unmapped, and given back, by its store's close).
 */
final class ClosedStoreCycles {
  static final String MODULE = """
      (module
        (import "env" "twice" (func $twice (param i64) (result i64)))
        (type $box (struct (field i64)))
        (tag $e (param i64))
        (func $thrower (param i64) (throw $e (local.get 0)))
        (func (export "run") (param i64) (result i64)
          (block $caught (result i64)
            (try_table (catch $e $caught)
              (call $thrower (struct.get $box 0 (struct.new $box (call $twice (local.get 0))))))
            (unreachable))))
      """;

  private ClosedStoreCycles() {}

  public static void main(String[] args) throws Exception {
    Engine engine = Engine.builder().target(args[0].equals("aarch64") ? Target.AARCH64 : Target.X86_64).build();
    int cycles = Integer.parseInt(args[1]);
    List<WeakReference<Object>> closed = new ArrayList<>();
    try (WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(MODULE, "upcalls.wat"))) {
      cycles(engine, module, cycles, closed);
      System.out.println("after N: " + leftOf(closed));
      cycles(engine, module, cycles, closed);
      System.out.println("after 2N: " + leftOf(closed));
    }
  }

  private static void cycles(Engine engine, WasmModule module, int cycles, List<WeakReference<Object>> closed) {
    for (int i = 0; i < cycles; i++) {
      try (Store store = new Store(engine)) {
        Linker linker = new Linker(store);
        linker.func("env", "twice", LongUnaryOperator.class, x -> 2 * x);
        long result = linker.instantiate(module).func("run", LongUnaryOperator.class).applyAsLong(i);
        if (result != 2L * i) {
          throw new AssertionError("cycle " + i + " returned " + result);
        }
        closed.add(new WeakReference<>(store.internal()));
      }
    }
  }

  /** What the closed stores left, after collections enough to clear every weak reference that can be. */
  private static String leftOf(List<WeakReference<Object>> closed) throws InterruptedException {
    long live = closed.size();
    for (int i = 0; i < 10 && live > 0; i++) {
      System.gc();
      Thread.sleep(20); // the cleaner threads free the automatic arenas the collection found
      live = closed.stream().filter(r -> r.get() != null).count();
    }
    System.gc();
    Thread.sleep(50);
    return "live stores=" + live + " registered=" + UpcallRegistry.registered()
        + " upcall stubs=" + NativeExecutor.liveUpcallStubs() + " C-heap blocks=" + NativeHeap.liveBlocks()
        + " reserved=" + StoreResources.processReservedAddressSpace();
  }
}
