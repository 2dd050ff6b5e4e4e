package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wat.Wat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An exception object kept past the instance whose tag it carries still reaches Java as a {@link
 * WasmThrow} with that tag and its payload, however it was kept (red team 19 F1: the thrower caught
 * its own exception in the same function, which calls nothing, and kept it in another instance's
 * exnref global or table or in a struct; once the thrower was freed its tag left the store, and a
 * rethrow reached Java as a plain trap). The thrower is closed and freed, the store collects (the
 * collection decides which tags of freed instances live objects still name), then another instance
 * throws the kept object: from the global, from the table, as a Java handle read from the global
 * after the free, as a host function's result, and out of a struct. Both targets.
 */
class ExnOutlivesItsThrowerTest {
  private static final String KEEPER = """
      (module
        (global (export "g") (mut exnref) (ref.null exn))
        (table (export "tab") 1 exnref)
        (global (export "any") (mut anyref) (ref.null any)))
      """;
  /** The box type and the keeper's exports, as both the thrower and the rethrower import them. */
  private static final String KEPT_IN = """
        (type $box (struct (field exnref)))
        (import "p" "g" (global $g (mut exnref)))
        (import "p" "tab" (table $tab 1 exnref))
        (import "p" "any" (global $any (mut anyref)))
      """;
  private static final String THROWER = """
      (module
        %s
        (tag $e (export "e") (param i32))
        (func (export "keep") (param i32)
          (local $x exnref)
          (local.set $x
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (throw $e (local.get 0)))
              (unreachable)))
          (global.set $g (local.get $x))
          (table.set $tab (i32.const 0) (local.get $x))
          (global.set $any (struct.new $box (local.get $x)))))
      """.formatted(KEPT_IN);
  private static final String RETHROWER = """
      (module
        %s
        (import "h" "kept" (func $kept (result exnref)))
        (func (export "from-global") (throw_ref (global.get $g)))
        (func (export "from-table") (throw_ref (table.get $tab (i32.const 0))))
        (func (export "from-struct") (throw_ref (struct.get $box 0 (ref.cast (ref $box) (global.get $any)))))
        (func (export "from-host") (throw_ref (call $kept)))
        (func (export "given") (param exnref) (throw_ref (local.get 0))))
      """.formatted(KEPT_IN);

  @ParameterizedTest
  @EnumSource(Target.class)
  void theKeptExceptionIsThrownWithItsTagAndPayloadAfterItsThrowerIsFreed(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (Store store = new Store(engine)) {
      Instance keeper = new Linker(store).instantiate(module(engine, KEEPER, "keeper.wat"));
      AtomicReference<Val> hostResult = new AtomicReference<>();
      Instance rethrower = new Linker(store).instance("p", keeper)
          .func("h", "kept", FuncType.of(List.of(), List.of(ValType.EXNREF)), (caller, args) -> List.of(hostResult.get()))
          .instantiate(module(engine, RETHROWER, "rethrower.wat"));
      Instance thrower = new Linker(store).instance("p", keeper).instantiate(module(engine, THROWER, "thrower.wat"));
      Tag tag = thrower.tag("e");
      thrower.func("keep").call(Val.i32(42));
      thrower.close();
      // the first collection's owner decision frees the thrower (its struct type makes it held by
      // the heap, and none of its function references is reachable); the second decides its tag
      store.internal().collectGarbage(new long[0], false);
      store.internal().collectGarbage(new long[0], false);
      Consumer<Runnable> expectThrow = rethrow -> {
        WasmThrow thrown = assertThrows(WasmThrow.class, rethrow::run);
        assertEquals(tag, thrown.tag());
        assertEquals(List.of(Val.i32(42)), thrown.payload());
      };
      expectThrow.accept(() -> rethrower.func("from-global").call());
      expectThrow.accept(() -> rethrower.func("from-table").call());
      expectThrow.accept(() -> rethrower.func("from-struct").call());
      Val javaHandle = keeper.global("g").get();
      expectThrow.accept(() -> rethrower.func("given").call(javaHandle));
      hostResult.set(javaHandle);
      expectThrow.accept(() -> rethrower.func("from-host").call());
    }
  }

  private static WasmModule module(Engine engine, String wat, String name) {
    return WasmModule.compile(engine, Wat.toBinaryWithNames(wat, name));
  }
}
