package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntUnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A wasm exception that no wasm frame catches reaches Java as a {@link WasmThrow} carrying its tag
 * (equal to the instance's {@link Tag}, and to no other instantiation's) and its payload as {@link
 * Val}s, on both targets: thrown by {@code throw} and by the legacy {@code rethrow}, and through a
 * host function that called back into wasm, whether the host function lets it pass (it reaches the
 * outer call from Java with both calls' frames) or catches it and returns.
 */
class WasmThrowApiTest {
  private static final String WAT = """
      (module
        (import "env" "callback" (func $callback (param i32) (result i32)))
        (tag $e (export "e") (param i32 i64 f32 f64))
        (tag $hidden (param i32))
        (func $thrower (param i32)
          (throw $e (local.get 0) (i64.const -5) (f32.const 1.5) (f64.const 2.25)))
        (func (export "throw") (param i32) (result i32)
          (call $thrower (local.get 0))
          (i32.const -1))
        (func $rethrower (export "rethrow") (param i32) (result i32)
          (try (result i32)
            (do (call $thrower (local.get 0)) (i32.const -1))
            (catch_all (rethrow 0))))
        (func (export "hidden") (param i32) (result i32)
          (throw $hidden (local.get 0)))
        (func (export "via-host") (param i32) (result i32)
          (i32.add (call $callback (local.get 0)) (i32.const 1000)))
      )
      """;

  private static Engine engine(Target target) {
    return Engine.builder().target(target).build();
  }

  /** Instantiates {@link #WAT} with a callback that calls the instance's "throw" and catches what {@code catching} says. */
  private static Instance instantiate(Engine engine, Store store, boolean catching) {
    AtomicReference<Instance> self = new AtomicReference<>();
    Instance instance = new Linker(store)
        .func("env", "callback", IntUnaryOperator.class, x -> {
          IntUnaryOperator thrower = self.get().func("throw", IntUnaryOperator.class);
          if (!catching) {
            return thrower.applyAsInt(x);
          }
          try {
            return thrower.applyAsInt(x);
          } catch (WasmThrow thrown) {
            return ((Val.I32) thrown.payload().getFirst()).value() * 2;
          }
        })
        .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT, "throw.wat")));
    self.set(instance);
    return instance;
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aWasmExceptionReachesJavaWithItsTagAndPayload(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(engine, store, false);
      Instance other = instantiate(engine, store, false);
      for (String export : List.of("throw", "rethrow")) {
        WasmThrow thrown = assertThrows(WasmThrow.class,
            () -> instance.func(export, IntUnaryOperator.class).applyAsInt(7), export);
        assertEquals(instance.tag("e"), thrown.tag(), export);
        assertNotEquals(other.tag("e"), thrown.tag(), "another instantiation's tag is another tag");
        assertEquals(new TagType(List.of(ValType.I32, ValType.I64, ValType.F32, ValType.F64)), thrown.tag().type());
        assertEquals(List.of(Val.i32(7), Val.i64(-5), Val.f32(1.5f), Val.f64(2.25)), thrown.payload(), export);
        // the innermost frame is the one that threw: the rethrowing one threw again
        assertEquals(export.equals("throw") ? "thrower" : "rethrower",
            thrown.backtrace().getFirst().function().orElseThrow(), export);
      }
      WasmThrow hidden = assertThrows(WasmThrow.class, () -> instance.func("hidden", IntUnaryOperator.class).applyAsInt(3));
      assertEquals(java.util.OptionalInt.of(1), instance.tagIndex(hidden.tag()), "a tag the instance does not export: by index");
      assertEquals(List.of(Val.i32(3)), hidden.payload());
      // the store runs on: a call through Val[] ends the same way
      WasmThrow viaVals = assertThrows(WasmThrow.class, () -> instance.func("throw").call(Val.i32(9)));
      assertEquals(List.of(Val.i32(9), Val.i64(-5), Val.f32(1.5f), Val.f64(2.25)), viaVals.payload());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aWasmExceptionPassesThroughAHostFunctionThatLetsItOut(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(engine, store, false);
      WasmThrow thrown = assertThrows(WasmThrow.class,
          () -> instance.func("via-host", IntUnaryOperator.class).applyAsInt(4));
      assertEquals(instance.tag("e"), thrown.tag());
      assertEquals(Val.i32(4), thrown.payload().getFirst());
      List<String> functions = thrown.backtrace().stream().map(f -> f.function().orElse("?")).toList();
      assertEquals("thrower", functions.getFirst());
      assertTrue(thrown.backtrace().size() > 2, "the nested call's frames, then the outer call's: " + functions);
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostFunctionCatchesANestedCallsExceptionAndReturns(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(engine, store, true);
      assertEquals(1000 + 2 * 6, instance.func("via-host", IntUnaryOperator.class).applyAsInt(6));
      assertEquals(1000 + 2 * 8, instance.func("via-host", IntUnaryOperator.class).applyAsInt(8));
    }
  }

  private static final String RETHROW_WAT = """
      (module
        (tag $e (param i32))
        (func $inner (param i32) (throw $e (local.get 0)))
        (func $thrower (param i32) (call $inner (local.get 0)))
        (func $plain (export "plain") (param i32) (call $thrower (local.get 0)))
        (func $refRethrower (export "throw-ref") (param i32)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (call $thrower (local.get 0)))
            (return))
          (throw_ref))
        (func $legacyRethrower (export "rethrow") (param i32)
          (try (do (call $thrower (local.get 0))) (catch_all (rethrow 0)))))
      """;

  /**
   * The backtrace of an exception caught and thrown again ({@code throw_ref} of a caught exnref, the
   * legacy {@code rethrow}) starts at the rethrow, not at the original throw: what Wasmtime 49
   * reports too (its trap's frames for the same {@code throw_ref} module: the rethrowing function
   * alone). The frames between the original throw and the handler are gone once the handler runs;
   * keeping them would cost every throw a walk of its stack (docs/EMBEDDING.md).
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aRethrownExceptionsBacktraceStartsAtTheRethrow(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(
          WasmModule.compile(engine, Wat.toBinaryWithNames(RETHROW_WAT, "rethrow.wat")));
      WasmThrow plain = assertThrows(WasmThrow.class, () -> instance.func("plain").call(Val.i32(1)));
      assertEquals(List.of("inner", "thrower", "plain"), functions(plain), "a first throw: every frame from the throw");
      for (String export : List.of("throw-ref", "rethrow")) {
        WasmThrow thrown = assertThrows(WasmThrow.class, () -> instance.func(export).call(Val.i32(2)), export);
        assertEquals(List.of(Val.i32(2)), thrown.payload(), export);
        assertEquals(List.of(export.equals("throw-ref") ? "refRethrower" : "legacyRethrower"), functions(thrown),
            export + ": the rethrowing frame, not the original thrower's");
      }
    }
  }

  private static List<String> functions(WasmThrow thrown) {
    return thrown.backtrace().stream().map(f -> f.function().orElse("?")).toList();
  }
}
