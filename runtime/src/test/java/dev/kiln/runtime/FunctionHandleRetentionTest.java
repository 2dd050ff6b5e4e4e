package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;

/**
 * A funcref that reached Java from an instance that is not pinned (the payload of an uncaught
 * exception whose tag the module does not export: nothing at its boundary names a funcref) names
 * that instance's function only while the instance lives. Attacked as an embedder keeping the
 * handle without handing it back (which would pin the instance): after the instance is freed, a later instance of the same store in the same pool slot
 * has its VMFuncRefs at the same addresses, and the kept handle must not name its function.
 */
class FunctionHandleRetentionTest {
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
      Instance second = new Linker(store).instantiate(leaker); // the one free slot: the first's addresses
      IllegalArgumentException refused = assertThrows(IllegalArgumentException.class,
          () -> calling.func("call").call(kept));
      assertTrue(refused.getMessage().contains("is not a function reference of"), refused.getMessage());
      Val fresh = leak(second);
      assertEquals(11, calling.func("call").call(fresh).getFirst().asInt(), "the new instance's own handle works");
      assertTrue(((Val.Ref) fresh).handle() != ((Val.Ref) kept).handle(), "a new handle for the new owner");
    }
  }
}
