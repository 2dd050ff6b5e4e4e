package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.loader.runtime.HostCallNesting;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.wat.Wat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every way out of a host function called from wasm leaves the store as a trap does: the call ends
 * with a {@link Trap} naming what failed, nothing stays pending and the host-call nesting is back
 * to 0, so the next call behaves as in a fresh store. Attacked with {@link Error}s, which the
 * failure path caught only as {@link RuntimeException}s: one thrown while a {@link WasmThrow} is
 * translated into the wasm exception to throw (a {@code StackOverflowError} or {@code
 * OutOfMemoryError} while its payload is converted, a translator's {@code AssertionError}) was
 * swallowed inside the upcall, and the call trapped with no cause at all; and one thrown by the
 * host function's own body, which the embedder gets as the trap's cause.
 */
class HostFailureErrorTest {
  private static final String WAT = """
      (module
        (import "env" "h" (func $h (param i32)))
        (tag $t (export "t") (param i32))
        (func (export "catchit") (param i32) (result i32)
          (block $c (result i32)
            (try_table (catch $t $c) (call $h (local.get 0)))
            (return (i32.const -1)))))
      """;

  /** The errors a translation or a host function's body can end with. */
  private static final List<Supplier<Error>> ERRORS = List.of(
      () -> new StackOverflowError(), () -> new OutOfMemoryError("Java heap space"),
      () -> new AssertionError("host invariant broken"));

  /** The API's translation of a WasmThrow (as {@link Store} installs it), failing while {@code failing} holds an error. */
  private static void translateUnless(Store store, AtomicReference<Error> failing) {
    NativeStore internal = store.internal();
    internal.hostExceptions((failure, unused) -> {
      Error error = failing.get();
      if (error != null) {
        throw error;
      }
      return failure instanceof WasmThrow thrown ? Store.thrownIn(thrown, internal) : null;
    });
  }

  /** An instance whose host function throws the tag's exception for 1, {@code body}'s error for 2, a plain exception else. */
  private static Instance instance(Store store, Engine engine, AtomicReference<Error> body) {
    Instance[] self = new Instance[1];
    self[0] = new Linker(store)
        .func("env", "h", FuncType.of(List.of(ValType.I32), List.of()), (caller, args) -> {
          int arg = ((Val.I32) args.getFirst()).value();
          if (arg == 1) {
            throw new WasmThrow(self[0].tag("t"), List.of(Val.i32(42)));
          }
          if (arg == 2) {
            throw body.get();
          }
          throw new IllegalStateException("plain host failure " + arg);
        })
        .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT, "host-errors.wat")));
    return self[0];
  }

  /** The store behaves as a fresh one: a host throw is caught by wasm, a plain failure is its own trap. */
  private static void assertUsable(Instance instance, String after) {
    assertEquals(0, HostCallNesting.depth(), "host calls in progress after " + after);
    assertEquals(List.of(Val.i32(42)), instance.func("catchit").call(Val.i32(1)), "a host throw caught after " + after);
    Trap plain = assertThrows(Trap.class, () -> instance.func("catchit").call(Val.i32(7)));
    assertInstanceOf(IllegalStateException.class, plain.getCause(), "a stale cause after " + after);
    assertEquals(0, HostCallNesting.depth(), "host calls in progress after " + after);
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anErrorWhileTheHostsExceptionIsTranslatedIsTheTrapsCause(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (Store store = new Store(engine)) {
      AtomicReference<Error> failing = new AtomicReference<>();
      translateUnless(store, failing);
      Instance instance = instance(store, engine, new AtomicReference<>());
      for (Supplier<Error> make : ERRORS) {
        Error error = make.get();
        failing.set(error);
        Trap trap = assertThrows(Trap.class, () -> instance.func("catchit").call(Val.i32(1)), error::toString);
        failing.set(null);
        assertSame(error, trap.getCause(), "the trap names the translation's " + error + ": " + trap.getMessage());
        assertEquals("host function failed", trap.reason());
        assertUsable(instance, error.toString());
      }
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anErrorOfTheHostFunctionReachesTheEmbedderAsTheTrapsCause(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (Store store = new Store(engine)) {
      AtomicReference<Error> body = new AtomicReference<>();
      Instance instance = instance(store, engine, body);
      for (Supplier<Error> make : ERRORS) {
        Error error = make.get();
        body.set(error);
        Trap trap = assertThrows(Trap.class, () -> instance.func("catchit").call(Val.i32(2)), error::toString);
        assertSame(error, trap.getCause(), trap.getMessage());
        assertUsable(instance, error.toString());
      }
    }
  }
}
