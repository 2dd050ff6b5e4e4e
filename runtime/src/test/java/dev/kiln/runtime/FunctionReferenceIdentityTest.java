package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Funcref values Java keeps, attacked as a tenant that outlives its store would: a reference read
 * from a closed store's table is handed to the next store, whose instance (with a pool of one slot)
 * has its VMFuncRefs at the very addresses the closed one had. The value must be refused, not
 * taken as the next tenant's function; a made-up number too. Within its own store a reference goes
 * round trips (table, host function argument, call argument) and keeps naming its function. The
 * two modules have the same VMContext layout, so the kept address is one of the next tenant's.
 */
class FunctionReferenceIdentityTest {
  private static final String FIRST = """
      (module
        (import "host" "see" (func $see (param funcref)))
        (memory 1)
        (type $v (func (result i32)))
        (func $f (result i32) (i32.const 111))
        (func $g (result i32) (i32.const 222))
        (table $t (export "t") 2 funcref)
        (global (export "g") (mut funcref) (ref.null func))
        (elem (i32.const 0) $f $g)
        (func (export "show") (param i32) (call $see (table.get $t (local.get 0))))
        (func (export "call") (param i32) (result i32) (call_indirect (type $v) (local.get 0))))
      """;
  private static final String SECOND = """
      (module
        (import "host" "see" (func $see (param funcref)))
        (memory 1)
        (type $v (func (result i32)))
        (func $h (result i32) (i32.const 333))
        (func $k (result i32) (i32.const 444))
        (table (export "t") 2 funcref)
        (global (export "g") (mut funcref) (ref.null func))
        (elem (i32.const 0) $k $h)
        (func (export "isnull") (param funcref) (result i32) (ref.is_null (local.get 0)))
        (func (export "call") (param i32) (result i32) (call_indirect (type $v) (local.get 0))))
      """;

  private static Instance instantiate(Store store, WasmModule module, List<Val> seen) {
    return new Linker(store).func("host", "see", new FuncType(List.of(ValType.FUNCREF), List.of()),
        (caller, args) -> {
          seen.add(args.get(0));
          return List.of();
        }).instantiate(module);
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aReferenceOfAClosedStoreIsRefusedByTheNext(boolean pooled) {
    Engine engine = pooled ? Engine.builder().pooling(PoolingAllocation.ofInstances(1).withMaxMemoryBytes(1 << 16)).build()
        : Engine.create();
    try (WasmModule first = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(FIRST, "first.wat"));
        WasmModule second = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(SECOND, "second.wat"))) {
      Val.Ref kept;
      List<Val> seen = new ArrayList<>();
      try (Store store = new Store(engine)) {
        Instance instance = instantiate(store, first, seen);
        Table table = instance.table("t");
        kept = (Val.Ref) table.get(0);
        assertEquals(kept, table.get(0), "one function, one handle");
        assertNotEquals(kept, table.get(1));
        instance.func("show").call(Val.i32(0));
        assertEquals(kept, seen.get(0), "a host function's argument has the table's handle");
        table.set(1, (Val.Ref) seen.get(0));
        assertEquals(List.of(Val.i32(111)), instance.func("call").call(Val.i32(1)), "round trip in its own store");
      }
      try (Store next = new Store(engine)) {
        Instance tenant = instantiate(next, second, seen);
        Table table = tenant.table("t");
        assertThrows(IllegalArgumentException.class, () -> table.set(1, kept));
        assertThrows(IllegalArgumentException.class, () -> table.grow(1, kept));
        assertThrows(IllegalArgumentException.class, () -> tenant.global("g").set(kept));
        assertThrows(IllegalArgumentException.class, () -> tenant.func("isnull").call(kept));
        Val.Ref madeUp = new Val.Ref(ValType.FUNCREF, kept.handle() + 1);
        assertThrows(IllegalArgumentException.class, () -> table.set(1, madeUp));
        assertEquals(List.of(Val.i32(333)), tenant.func("call").call(Val.i32(1)), "the table is unchanged");
        Val.Ref own = (Val.Ref) table.get(1);
        assertNotEquals(kept.handle(), own.handle(), "handles are never given out twice");
        tenant.global("g").set(own);
        assertEquals(own, tenant.global("g").get());
        assertEquals(List.of(Val.i32(0)), tenant.func("isnull").call(own));
        assertTrue(tenant.func("isnull").call(Val.nullRef(ValType.FUNCREF)).contains(Val.i32(1)));
      }
    }
  }
}
