package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The object handles a host function gets as arguments last as long as its call unless it keeps
 * them (red team 10 F5), on both targets: a guest passing a fresh struct on every call to a host
 * function that ignores it runs for many times the store's handle limit, whatever the JVM's heap
 * and whenever it collects (the test keeps every handle reachable: no collection could free one),
 * and later results still get handles. A kept handle stays usable; one not kept is refused after
 * its call.
 */
class HostCallArgumentHandlesTest {
  private static final int LIMIT = 8;
  private static final String WAT = """
      (module
        (type $s (struct (field i32)))
        (import "env" "see" (func $see (param externref)))
        (func (export "loop") (param $n i32)
          (loop $again
            (call $see (extern.convert_any (struct.new $s (local.get $n))))
            (br_if $again (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
        (func (export "mk") (result anyref) (struct.new $s (i32.const 5)))
        (func (export "field") (param anyref) (result i32) (struct.get $s 0 (ref.cast (ref $s) (local.get 0))))
      )
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void argumentsTheHostIgnoresDoNotFillTheHandleTable(Target target) {
    Engine engine = Engine.builder().target(target).build();
    List<Val> seen = new ArrayList<>();
    try (Store store = Store.builder(engine).maxObjectHandles(LIMIT).build()) {
      Instance instance = new Linker(store)
          .func("env", "see", FuncType.of(List.of(ValType.EXTERNREF), List.of()), (caller, args) -> {
            seen.add(args.getFirst());
            return List.of();
          })
          .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT, "see.wat")));
      instance.func("loop").call(Val.i32(LIMIT * 10));
      assertEquals(LIMIT * 10, seen.size());
      Val made = instance.func("mk").call().getFirst();
      assertEquals(List.of(Val.i32(5)), instance.func("field").call(made));
      // the handles Java still holds but did not keep ended with their calls
      assertThrows(IllegalArgumentException.class, () -> instance.func("field").call(seen.getFirst()));
      assertThrows(IllegalStateException.class, () -> ((Val.Gc) seen.getFirst()).object().keep());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aKeptArgumentOutlivesItsCallAndCounts(Target target) {
    Engine engine = Engine.builder().target(target).build();
    List<Val> kept = new ArrayList<>();
    try (Store store = Store.builder(engine).maxObjectHandles(LIMIT).build()) {
      Instance instance = new Linker(store)
          .func("env", "see", FuncType.of(List.of(ValType.EXTERNREF), List.of()), (caller, args) -> {
            ((Val.Gc) args.getFirst()).object().keep();
            kept.add(args.getFirst());
            return List.of();
          })
          .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT, "see.wat")));
      instance.func("loop").call(Val.i32(3));
      assertEquals(List.of(Val.i32(1)), instance.func("field").call(
          new Val.Gc(ValType.ANYREF, ((Val.Gc) kept.getLast()).object())));
      // kept handles count: the limit is reached with LIMIT of them
      assertThrows(Trap.class, () -> instance.func("loop").call(Val.i32(LIMIT)));
    }
  }
}
