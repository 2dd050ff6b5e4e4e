package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.Epoch;
import dev.kiln.loader.runtime.GcRoots;
import dev.kiln.loader.runtime.GcStress;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.RuntimeTypes;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A collection that a throwable stops half way (issue 35: an embedder's nearly full Java heap
 * throws {@code OutOfMemoryError} anywhere in Kiln's code, a stack's end {@code
 * StackOverflowError}) leaves some roots naming the new semispace and forwarding headers in the old
 * one, which compiled code would read as type ids and lengths. Such a store is refused everything but its close, with one message naming the store and
 * the failure, on x86-64 and AArch64: the next call, a host function's return into the wasm frames
 * that wait for it (they hold words of the damaged heap), the host's reads and collections of the
 * heap; the collections that are only due (an instance's close, the GC stress mode's at a claim's
 * release, the search for room) are skipped instead, so closing still works. The failure is
 * injected by a root set registered after the instance's, whose relocation throws once when
 * armed: the instance's global has moved by then, the wasm frames' slots not yet.
 */
class GcCollectionStoppedHalfWayTest {
  private static final String FAILURE = "injected into a collection";

  /**
   * {@code keep} keeps a list of {@code $n} nodes in a global and sums it, {@code kept} sums the
   * kept one, {@code outer} holds a list of 10 nodes (101..110) across a host call and adds its sum
   * to the call's result.
   */
  private static final String PROGRAM = """
      (module
        (import "env" "reenter" (func $reenter (result i32)))
      """ + GcModules.LISTS + """
        (global $kept (mut (ref null $node)) (ref.null $node))
        (func (export "keep") (param $n i32) (result i32)
          (global.set $kept (call $listFrom (local.get $n) (i32.const 0)))
          (call $sum (global.get $kept)))
        (func (export "kept") (result i32) (call $sum (global.get $kept)))
        (func (export "outer") (result i32)
          (local $mine (ref null $node))
          (local.set $mine (call $listFrom (i32.const 10) (i32.const 100)))
          (i32.add (call $reenter) (call $sum (local.get $mine)))))
      """;

  /**
   * Roots that relocate nothing and, armed, throw once as a thread's stack end would (a {@code
   * StackOverflowError}: an {@code OutOfMemoryError} that reached a test unexpected, before the
   * fix, stopped the test JVM instead of failing the test).
   */
  private static final class FailingRoots implements GcRoots {
    /** Whether the next relocation throws; it disarms itself. */
    boolean armed;
    /** Collections that reached these roots. */
    int collections;

    @Override
    public void relocate(LongUnaryOperator relocate) {
      collections++;
      if (armed) {
        armed = false;
        throw new StackOverflowError(FAILURE);
      }
    }
  }

  /**
   * A store that collects at every allocation and host call ({@link GcStress#PROPERTY}, read when
   * the first GC instance makes the heap) and whenever its claim is let go ({@link
   * GcStress#COLLECT_ON_RELEASE_PROPERTY}, read here), confined to this thread or not.
   */
  private static NativeStore stressedStore(boolean confined) {
    System.setProperty(GcStress.COLLECT_ON_RELEASE_PROPERTY, "true");
    try {
      return new NativeStore(new Epoch(), new RuntimeTypes(), NativeStore.DEFAULT_MAX_WASM_STACK,
          NativeStore.DEFAULT_HEADROOM, StoreLimits.DEFAULTS, confined ? Thread.currentThread() : null);
    } finally {
      System.clearProperty(GcStress.COLLECT_ON_RELEASE_PROPERTY);
    }
  }

  /** An instance of {@link #PROGRAM} in {@code store}, its {@code reenter} {@code host}, collecting always. */
  private static LoadedInstance instantiate(NativeStore store, Target target, LoadedModule module,
      Supplier<Integer> host) {
    return instantiate(store, target, module, host, true);
  }

  /** An instance of {@link #PROGRAM} in {@code store}, its {@code reenter} {@code host}. */
  private static LoadedInstance instantiate(NativeStore store, Target target, LoadedModule module,
      Supplier<Integer> host, boolean collectAtEveryAllocation) {
    ImportNamespace linker = new ImportNamespace(store, target);
    linker.defineFunction("env", "reenter", new FuncType(List.of(), List.of(ValType.I32)),
        args -> List.of(new WasmValue.I32(host.get())));
    System.setProperty(GcStress.PROPERTY, Boolean.toString(collectAtEveryAllocation));
    try {
      return linker.instantiate(module);
    } finally {
      System.clearProperty(GcStress.PROPERTY);
    }
  }

  /** Asserts that {@code refused} is the refusal of {@code store}'s damaged heap. */
  private static void assertDamaged(NativeStore store, Throwable refused) {
    assertInstanceOf(IllegalStateException.class, refused);
    assertEquals(store + ": a garbage collection failed half way (java.lang.StackOverflowError: " + FAILURE
        + ") and left its GC heap inconsistent; close the store", refused.getMessage());
    assertInstanceOf(StackOverflowError.class, refused.getCause());
  }

  private static void assertRefused(NativeStore store, Executable action) {
    assertDamaged(store, assertThrows(IllegalStateException.class, action));
  }

  /**
   * The allocation slow path's collection fails: the call traps with the failure as its cause, and
   * from then on the store, confined to this thread (whose entries compare one word), refuses every
   * call and every read of the heap, while closing its instances and itself still works; a fresh
   * store runs the same module. Sixteen closed instances make an owner decision due at the last
   * close and give the search for room candidates: both skip the collection. Before, the next call
   * ran on the half-moved heap.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void theSlowPathsFailureLeavesTheStoreRefusingAllButItsClose(Target target) throws Exception {
    try (LoadedModule module = GcModules.load(target, PROGRAM)) {
      NativeStore store = stressedStore(true);
      LoadedInstance instance = instantiate(store, target, module, () -> 0);
      List<LoadedInstance> others = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        others.add(instantiate(store, target, module, () -> 0));
      }
      assertEquals(55, (int) instance.invoke("keep", 10L).getFirst().bits());
      FailingRoots failing = new FailingRoots();
      store.registerGcRoots(failing);
      failing.armed = true;

      TrapException trap = assertThrows(TrapException.class, () -> instance.invoke("keep", 10L));
      assertEquals(TrapCode.GC_HEAP_EXHAUSTED, trap.code());
      assertDamaged(store, trap.getCause());
      int collections = failing.collections;

      assertRefused(store, () -> instance.invoke("kept"));
      assertRefused(store, () -> instance.invoke("keep", 1L));
      assertRefused(store, () -> store.collectGarbage(new long[0], false));
      assertRefused(store, () -> store.verifyHeap(new long[0]));
      assertRefused(store, () -> store.exclusive("test", () -> store.objectKind(8)));
      assertRefused(store, () -> store.inGcHeap(8));
      assertRefused(store, () -> store.allocateObject(16));

      for (LoadedInstance other : others) {
        other.close();
      }
      assertFalse(store.exclusive("test", store::decideOwnersToMakeRoom), "no decision on a damaged heap");
      instance.close();
      assertEquals(collections, failing.collections,
          "nothing collected after the failure: not at a claim's release, a close, nor to make room");
      store.close();
      assertTrue(store.isClosed());
    }
    try (LoadedModule module = GcModules.load(target, PROGRAM); NativeStore fresh = stressedStore(true);
        LoadedInstance instance = instantiate(fresh, target, module, () -> 0)) {
      assertEquals(55, (int) instance.invoke("keep", 10L).getFirst().bits());
      assertEquals(55, (int) instance.invoke("kept").getFirst().bits());
      assertTrue(fresh.gcCollections() > 0);
    }
  }

  /**
   * wasm {@code outer} -> host -> wasm {@code keep}, whose collection fails: the host function
   * catches the inner trap and returns normally, and {@code outer}, whose frame holds a list of the
   * damaged heap, traps instead of going on ({@code HOST_FUNCTION_FAILED}, which no wasm handler
   * catches, with the refusal as its cause); the next call is refused. Before, {@code outer}
   * returned and read its list through the half-moved heap.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostFunctionThatCatchesTheInnerTrapMakesTheOuterCallTrap(Target target) throws Exception {
    FailingRoots failing = new FailingRoots();
    AtomicReference<LoadedInstance> self = new AtomicReference<>();
    List<TrapException> inner = new ArrayList<>();
    try (LoadedModule module = GcModules.load(target, PROGRAM); NativeStore store = stressedStore(false);
        LoadedInstance instance = instantiate(store, target, module, () -> {
          failing.armed = true;
          try {
            return (int) self.get().invoke("keep", 10L).getFirst().bits();
          } catch (TrapException trapped) {
            inner.add(trapped);
            return 0;
          }
        })) {
      self.set(instance);
      assertEquals(55, (int) instance.invoke("keep", 10L).getFirst().bits());
      store.registerGcRoots(failing);

      TrapException outer = assertThrows(TrapException.class, () -> instance.invoke("outer"));
      assertEquals(1, inner.size(), "the host function caught the inner call's trap");
      assertEquals(TrapCode.GC_HEAP_EXHAUSTED, inner.getFirst().code());
      assertEquals(TrapCode.HOST_FUNCTION_FAILED, outer.code());
      assertDamaged(store, outer.getCause());
      assertRefused(store, () -> instance.invoke("kept"));
    }
  }

  /**
   * A collection from the host fails half way: the failure reaches the caller as it was, compiled
   * allocation finds no room left in the context (its end and limit at the top), and the store
   * refuses its next call and collection. Before, the call ran on the half-moved heap.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aCollectionFromTheHostStoppedHalfWayLeavesTheStoreRefused(Target target) throws Exception {
    try (LoadedModule module = GcModules.load(target, PROGRAM); NativeStore store = new NativeStore();
        LoadedInstance instance = instantiate(store, target, module, () -> 0, false)) {
      assertEquals(55, (int) instance.invoke("keep", 10L).getFirst().bits());
      FailingRoots failing = new FailingRoots();
      failing.armed = true;
      store.registerGcRoots(failing);
      StackOverflowError stopped = assertThrows(StackOverflowError.class,
          () -> store.collectGarbage(new long[0], false));
      assertEquals(FAILURE, stopped.getMessage());
      long top = store.context().get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_TOP);
      assertEquals(top, store.context().get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_END), "no inline bump");
      assertEquals(top, store.context().get(ValueLayout.JAVA_LONG, StoreLayout.GC_HEAP_LIMIT), "no bump at all");
      assertRefused(store, () -> instance.invoke("kept"));
      assertRefused(store, () -> store.collectGarbage(new long[0], false));
    }
  }
}
