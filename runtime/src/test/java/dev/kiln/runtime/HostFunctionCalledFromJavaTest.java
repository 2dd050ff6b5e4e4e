package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wat.Wat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A host function Java calls directly (an import the module exports again) runs without any
 * wasm-to-host trampoline, on both targets and through both entries ({@link Func#call}, {@link
 * DirectCall}): when it fails, the call ends with what it threw (its {@link WasmThrow}, or the
 * host-function trap with its exception as cause), and it leaves nothing pending in the store: a
 * later plain Java failure under a wasm {@code try_table} is still not catchable (red team 10 F4).
 */
class HostFunctionCalledFromJavaTest {
  private static final String WAT = """
      (module
        (import "env" "h" (func $h (param i32)))
        (export "h" (func $h))
        (tag $t (export "t") (param i32))
        (func (export "catchit") (param i32) (result i32)
          (block $c (result i32)
            (try_table (catch $t $c) (call $h (local.get 0)))
            (return (i32.const -1))))
      )
      """;

  /** An entry from Java into a function of one i32 parameter. */
  enum Entry {
    FUNC {
      @Override
      void call(Instance instance, String name, int arg) {
        instance.func(name).call(Val.i32(arg));
      }
    },
    DIRECT {
      @Override
      void call(Instance instance, String name, int arg) {
        instance.func(name).direct().call(new long[] {arg}, new long[1]);
      }
    };

    abstract void call(Instance instance, String name, int arg);
  }

  private static Instance instance(Store store, Engine engine) {
    Instance[] self = new Instance[1];
    self[0] = new Linker(store)
        .func("env", "h", FuncType.of(List.of(ValType.I32), List.of()), (caller, args) -> {
          int arg = ((Val.I32) args.getFirst()).value();
          if (arg == 1) {
            throw new WasmThrow(self[0].tag("t"), List.of(Val.i32(42)));
          }
          throw new IllegalStateException("plain host failure " + arg);
        })
        .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT, "reexported-host.wat")));
    return self[0];
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aWasmExceptionEndsTheCallAndStaysNoPendingException(Target target) {
    for (Entry entry : Entry.values()) {
      Engine engine = Engine.builder().target(target).build();
      try (Store store = new Store(engine)) {
        Instance instance = instance(store, engine);
        WasmThrow thrown = assertThrows(WasmThrow.class, () -> entry.call(instance, "h", 1), entry::name);
        assertEquals(instance.tag("t"), thrown.tag());
        assertEquals(List.of(Val.i32(42)), thrown.payload());
        // a Java exception of the next host call is not that stale wasm exception
        Trap trap = assertThrows(Trap.class, () -> instance.func("catchit").call(Val.i32(2)), entry::name);
        assertInstanceOf(IllegalStateException.class, trap.getCause());
        assertEquals(List.of(Val.i32(42)), instance.func("catchit").call(Val.i32(1)), "a host throw is still caught");
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aJavaExceptionEndsTheCallAsTheHostFunctionsFailure(Target target) {
    for (Entry entry : Entry.values()) {
      Engine engine = Engine.builder().target(target).build();
      try (Store store = new Store(engine)) {
        Instance instance = instance(store, engine);
        Trap trap = assertThrows(Trap.class, () -> entry.call(instance, "h", 7), entry::name);
        assertInstanceOf(IllegalStateException.class, trap.getCause(), trap::getMessage);
        assertEquals("plain host failure 7", trap.getCause().getMessage());
      }
    }
  }
}
