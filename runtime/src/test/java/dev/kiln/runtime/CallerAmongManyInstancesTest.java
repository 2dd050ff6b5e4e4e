package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A host function finds the instance that called it by the caller's VMContext, in the store's
 * registry of live instances ({@code loader.instance.LiveInstances}), which keeps a few instances in
 * an array and moves them to a map past eight (issue 41: a store per request holds one). Each of
 * twelve instances of one store, asked before and after the move and after some are closed, must
 * be found as itself: its own memory's byte, which it wrote, comes back.
 */
class CallerAmongManyInstancesTest {
  private static final String MODULE = """
      (module
        (import "env" "mine" (func $mine (result i32)))
        (memory (export "memory") 1)
        (func (export "set") (param i32) (result i32) (i32.store8 (i32.const 0) (local.get 0)) (local.get 0))
        (func (export "ask") (result i32) (call $mine)))
      """;

  @Test
  void eachOfManyInstancesIsFoundAsItsCaller() {
    Engine engine = Engine.builder().build();
    try (Store store = new Store(engine); WasmModule module = WasmModule.compile(engine,
        Wat.toBinary(MODULE, "caller.wat"))) {
      Linker linker = new Linker(store).func("env", "mine", FuncType.of(List.of(), List.of(ValType.I32)),
          (caller, args) -> List.of(Val.i32(caller.memory("memory").orElseThrow().read(0, 1)[0])));
      List<Instance> instances = new ArrayList<>();
      for (int i = 0; i < 12; i++) {
        Instance instance = linker.instantiate(module);
        instance.func("set", IntUnaryOperator.class).applyAsInt(i + 1);
        instances.add(instance);
        assertEquals(i + 1, instance.func("ask", IntSupplier.class).getAsInt(), "instance " + i + " as it is made");
      }
      for (int i = 0; i < 12; i += 3) {
        instances.get(i).close();
      }
      for (int i = 0; i < 12; i++) {
        if (i % 3 != 0) {
          assertEquals(i + 1, instances.get(i).func("ask", IntSupplier.class).getAsInt(), "instance " + i);
        }
      }
    }
  }
}
