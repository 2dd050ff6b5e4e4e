package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.wat.Wat;
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
}
