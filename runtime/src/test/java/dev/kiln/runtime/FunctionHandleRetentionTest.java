package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A funcref that reached Java from an instance that is not pinned (the payload of an uncaught
 * exception whose tag the module does not export: nothing at its boundary names a funcref) names
 * that instance's function only while the instance lives. Its tag carries a funcref, so the closed
 * instance is held by the heap (an exception object may carry the reference) until an owner
 * decision finds no object does and frees it. Attacked as an embedder keeping the handle without
 * handing it back (which would pin the instance): after the instance is freed, a later instance of
 * the same store in the same pool slot has its VMFuncRefs at the same addresses, and the kept
 * handle must not name its function.
 */
class FunctionHandleRetentionTest {
  /** How many closed instances only the heap keeps wait before an owner decision ({@code StoreLifetimes.ownerDecisionDue}). */
  private static final int DECISION_EVERY = 16;
  private static final String LEAKER = """
      (module
        (tag $t (param funcref))
        (func $f (result i32) (i32.const 11))
        (elem declare func $f)
        (func (export "leak") (throw $t (ref.func $f))))
      """;
  private static final String CALLER = """
      (module
        (table 1 funcref)
        (func (export "call") (param funcref) (result i32)
          (table.set (i32.const 0) (local.get 0))
          (call_indirect (result i32) (i32.const 0))))
      """;

  private static Val leak(Instance instance) {
    WasmThrow thrown = assertThrows(WasmThrow.class, () -> instance.func("leak").call());
    return thrown.payload().getFirst();
  }

  private static WasmModule module(Engine engine, String wat, String name) {
    return WasmModule.compile(engine, Wat.toBinaryWithNames(wat, name));
  }

  @Test
  void aHandleOfAFreedInstanceDoesNotNameTheNextTenantOfItsSlot() {
    Engine engine = Engine.builder().pooling(PoolingAllocation.ofInstances(2).withMaxMemoryBytes(1 << 16)).build();
    try (WasmModule leaker = module(engine, LEAKER, "leaker.wat"); WasmModule caller = module(engine, CALLER, "caller.wat");
        Store store = new Store(engine)) {
      Instance calling = new Linker(store).instantiate(caller);
      Instance first = new Linker(store).instantiate(leaker);
      Val kept = leak(first);
      // Not handed back yet: handing it in would pin the first instance to the store, slot and all.
      first.close();
      // The pool is full while the closed first instance waits for an owner decision: this
      // instantiation makes it, which frees the first (no exception object is left), and takes its slot.
      Instance second = new Linker(store).instantiate(leaker);
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> calling.func("call").call(kept));
      assertTrue(refused.getMessage().contains("is not a function reference of"), refused.getMessage());
      Val fresh = leak(second);
      assertEquals(11, calling.func("call").call(fresh).getFirst().asInt(), "the new instance's own handle works");
      assertTrue(((Val.Ref) fresh).handle() != ((Val.Ref) kept).handle(), "a new handle for the new owner");
    }
  }

  /**
   * The store's handle map holds entries of owners not yet freed only: a closed instance the heap
   * holds keeps its entry until an owner decision (at most every {@value #DECISION_EVERY} closes,
   * when none stays reachable) frees it. Attacked as a long-lived store running an instance per
   * request whose guest leaks one funcref each (an uncaught throw): each freed instance's entry used
   * to stay until the store closed, uncharged. A live instance takes each freed block, so every
   * request's instance has new addresses, as a busy C heap gives them.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aFreedInstancesHandlesLeaveTheStore(Target target) {
    int cycles = 100;
    Engine engine = Engine.builder().target(target).build();
    try (WasmModule leaker = module(engine, LEAKER, "leaker.wat"); Store store = new Store(engine)) {
      FunctionHandles handles = FunctionHandles.of(store.internal());
      List<Instance> occupying = new ArrayList<>();
      List<Val> kept = new ArrayList<>();
      int peak = 0;
      for (int cycle = 1; cycle <= cycles; cycle++) {
        Instance request = new Linker(store).instantiate(leaker);
        kept.add(leak(request));
        int waiting = handles.size() - 1;
        assertTrue(waiting >= 0 && waiting < DECISION_EVERY, waiting + " closed owners' entries in cycle " + cycle);
        request.close();
        occupying.add(new Linker(store).instantiate(leaker));
        peak = Math.max(peak, handles.size());
      }
      assertTrue(peak <= DECISION_EVERY, "entries peaked at " + peak + " over " + cycles + " requests");
      // a host collection makes the owner decision: no exception object is left, so every closed
      // request's instance is freed, the last one too, and its entry with it
      store.internal().collectGarbage(new long[0], false);
      assertEquals(0, handles.size(), "entries left after the owner decision");
      Instance caller = new Linker(store).instantiate(module(engine, CALLER, "caller.wat"));
      for (Val handle : List.of(kept.getFirst(), kept.getLast())) {
        IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
            () -> caller.func("call").call(handle));
        assertTrue(refused.getMessage().contains("is not a function reference of"), refused.getMessage());
      }
      assertEquals(cycles, occupying.size());
    }
  }
}
