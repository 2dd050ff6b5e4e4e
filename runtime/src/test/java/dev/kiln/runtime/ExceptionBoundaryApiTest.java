package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wat.Wat;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Exceptions (WebAssembly 3.0) at the API's boundaries: one no wasm frame catches ends the call
 * from Java with a {@link WasmThrow}; a Java exception from a host function is not
 * a wasm exception, so {@code catch_all} does not catch it (docs/EMBEDDING.md says why); tags match
 * by identity across instances (an imported tag is the exporter's, another instantiation's is not).
 */
class ExceptionBoundaryApiTest {
  private final Engine engine = Engine.create();

  private WasmModule compile(String wat) {
    return WasmModule.compile(engine, Wat.toBinaryWithNames(wat, "test.wat"));
  }

  @Test
  void anUncaughtExceptionEndsTheCallAndTheStoreRunsOn() {
    try (Store store = new Store(engine);
        WasmModule module = compile("""
            (module
              (tag $e (param i32))
              (func (export "throw") (param i32) (result i32) (throw $e (local.get 0)))
              (func (export "ok") (result i32) (i32.const 7)))
            """)) {
      Instance instance = new Linker(store).instantiate(module);
      IntUnaryOperator thrower = instance.func("throw", IntUnaryOperator.class);
      // The store's unwinder entry must outlive a collection (an unreferenced automatic arena would
      // free its upcall stub, and the throw would jump into freed code).
      System.gc();
      WasmThrow thrown = assertThrows(WasmThrow.class, () -> thrower.applyAsInt(3));
      assertEquals(java.util.List.of(Val.i32(3)), thrown.payload());
      assertEquals(7, instance.func("ok", java.util.function.IntSupplier.class).getAsInt());
    }
  }

  @Test
  void catchAllDoesNotCatchAHostFunctionsJavaException() {
    IllegalStateException boom = new IllegalStateException("boom");
    try (Store store = new Store(engine);
        WasmModule module = compile("""
            (module
              (import "env" "fail" (func $fail (param i32) (result i32)))
              (func (export "guarded") (param i32) (result i32)
                (block $h
                  (try_table (catch_all $h)
                    (drop (call $fail (local.get 0)))))
                (i32.const -1)))
            """)) {
      Instance instance = new Linker(store)
          .func("env", "fail", IntUnaryOperator.class, x -> {
            throw boom;
          })
          .instantiate(module);
      Trap trap = assertThrows(Trap.class, () -> instance.func("guarded", IntUnaryOperator.class).applyAsInt(1));
      assertInstanceOf(IllegalStateException.class, trap.getCause());
    }
  }

  @Test
  void anImportedTagIsTheExportersAndAnotherInstantiationsIsNot() {
    try (Store store = new Store(engine);
        WasmModule thrower = compile("""
            (module
              (tag $e (export "e") (param i32))
              (func (export "throw") (param i32) (throw $e (local.get 0))))
            """);
        WasmModule catcher = compile("""
            (module
              (import "m" "e" (tag $e (param i32)))
              (import "m" "throw" (func $throw (param i32)))
              (import "other" "throw" (func $otherThrow (param i32)))
              (func (export "same") (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $e $h)
                    (call $throw (local.get 0)))
                  (i32.const -1)))
              (func (export "other") (param i32) (result i32)
                (block $h (result i32)
                  (try_table (catch $e $h)
                    (call $otherThrow (local.get 0)))
                  (i32.const -1))))
            """)) {
      Instance first = new Linker(store).instantiate(thrower);
      Instance second = new Linker(store).instantiate(thrower);
      Instance instance = new Linker(store).instance("m", first).instance("other", second).instantiate(catcher);
      assertEquals(41, instance.func("same", IntUnaryOperator.class).applyAsInt(41));
      WasmThrow thrown = assertThrows(WasmThrow.class, () -> instance.func("other", IntUnaryOperator.class).applyAsInt(2));
      assertEquals(first.tag("e").type(), thrown.tag().type());
      assertEquals(second.tag("e"), thrown.tag(), "the second instantiation's tag, not the first's");
    }
  }
}
