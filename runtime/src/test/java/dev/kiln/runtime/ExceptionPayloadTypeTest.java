package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wat.Wat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A wasm exception's payload crosses the boundary by its tag parameters' precise types, both ways
 * and on both targets (red team 10 F1, F6). In: a host function's {@link WasmThrow} is checked as an
 * argument is (a function of another type for a {@code (ref $ft)}, null for a non-nullable
 * reference, a host word for an {@code (ref i31)}: each the host-function trap, an {@link
 * IllegalArgumentException} its cause, and no handler runs). Out: an uncaught exception's structs
 * and arrays reach Java as {@link AnyRef}s, an i31 as an anyref, and the tag's type says so.
 */
class ExceptionPayloadTypeTest {
  private static final String THROWN_IN = """
      (module
        (type $ft (func (param i64) (result i64)))
        (type $other (func (param (ref $ft)) (result i64)))
        (import "env" "h" (func $h))
        (tag $tf (export "tf") (param (ref $ft)))
        (tag $ts (export "ts") (param (ref struct)))
        (tag $ti (export "ti") (param (ref i31)))
        (elem declare func $id $victim)
        (func $id (type $ft) (local.get 0))
        (func $victim (type $other) (call_ref $ft (i64.const 0x41414140) (local.get 0)))
        (func (export "getId") (result funcref) (ref.func $id))
        (func (export "getVictim") (result funcref) (ref.func $victim))
        (func (export "caughtFunctionIsFt") (result i32)
          (local $f funcref)
          (block $c (result (ref $ft))
            (try_table (catch $tf $c) (call $h))
            (return (i32.const -1)))
          (local.set $f)
          (ref.test (ref $ft) (local.get $f)))
        (func (export "caughtStructIsNull") (result i32)
          (block $c (result (ref struct))
            (try_table (catch $ts $c) (call $h))
            (return (i32.const -1)))
          (ref.is_null))
        (func (export "caughtI31") (result i32)
          (block $c (result (ref i31))
            (try_table (catch $ti $c) (call $h))
            (return (i32.const -1)))
          (i31.get_s))
      )
      """;

  private static final String THROWN_OUT = """
      (module
        (type $A (struct (field i64)))
        (type $bytes (array (mut i8)))
        (type $ft (func (param i64) (result i64)))
        (tag $t (param (ref $A) (ref $bytes) i31ref (ref $ft) anyref))
        (elem declare func $id)
        (func $id (type $ft) (local.get 0))
        (func (export "boom")
          (throw $t (struct.new $A (i64.const 5)) (array.new_default $bytes (i32.const 3))
            (ref.i31 (i32.const 9)) (ref.func $id) (struct.new $A (i64.const 6))))
        (func (export "fieldOf") (param anyref) (result i64)
          (struct.get $A 0 (ref.cast (ref $A) (local.get 0))))
        (func (export "i31") (result i31ref) (ref.i31 (i32.const 9)))
      )
      """;

  /** {@link #THROWN_IN} instantiated, its host function throwing what {@code throwing} makes of it. */
  private record Fixture(Instance instance, AtomicReference<Function<Instance, RuntimeException>> throwing) {
    static Fixture of(Store store, Engine engine) {
      AtomicReference<Instance> self = new AtomicReference<>();
      AtomicReference<Function<Instance, RuntimeException>> throwing = new AtomicReference<>();
      Instance instance = new Linker(store)
          .func("env", "h", FuncType.of(List.of(), List.of()), (caller, args) -> {
            throw throwing.get().apply(self.get());
          })
          .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(THROWN_IN, "thrown-in.wat")));
      self.set(instance);
      return new Fixture(instance, throwing);
    }

    /** {@code func}'s call, where the host throws {@code value} as the payload of tag {@code tag}. */
    int call(String func, String tag, Function<Instance, Val> value) {
      Val payload = value.apply(instance);
      throwing.set(in -> new WasmThrow(in.tag(tag), List.of(payload)));
      return ((Val.I32) instance.func(func).call().getFirst()).value();
    }

    void assertRefused(String func, String tag, Function<Instance, Val> value) {
      Trap trap = assertThrows(Trap.class, () -> call(func, tag, value));
      assertInstanceOf(IllegalArgumentException.class, trap.getCause(), trap::getMessage);
    }
  }

  private static Engine engine(Target target) {
    return Engine.builder().target(target).build();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aFunctionOfAnotherTypeIsNotThrownAsATypedFunctionReference(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Fixture fixture = Fixture.of(store, engine);
      assertEquals(1, fixture.call("caughtFunctionIsFt", "tf", in -> in.func("getId").call().getFirst()));
      // the victim takes a (ref $ft) and calls it: caught as one, it would be called with an i64
      fixture.assertRefused("caughtFunctionIsFt", "tf", in -> in.func("getVictim").call().getFirst());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void nullIsNotThrownAsANonNullableReference(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Fixture fixture = Fixture.of(store, engine);
      fixture.assertRefused("caughtStructIsNull", "ts", in -> new Val.Ref(in.tag("ts").type().payload().getFirst(), 0));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostWordIsNotThrownAsAnI31(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Fixture fixture = Fixture.of(store, engine);
      Function<Long, Function<Instance, Val>> word = w -> in -> new Val.Ref(in.tag("ti").type().payload().getFirst(), w);
      assertEquals(16, fixture.call("caughtI31", "ti", word.apply(0x21L)));
      fixture.assertRefused("caughtI31", "ti", word.apply(0x10000L)); // even: no i31 at all
      fixture.assertRefused("caughtI31", "ti", word.apply(0xFFFF_FFFF_FFFF_FFF1L)); // odd, not canonical
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anUncaughtExceptionsObjectsReachJavaAsObjects(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Instance instance = new Linker(store)
          .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(THROWN_OUT, "thrown-out.wat")));
      WasmThrow thrown = assertThrows(WasmThrow.class, () -> instance.func("boom").call());
      assertEquals(List.of(ValType.ANYREF, ValType.ANYREF, ValType.ANYREF, ValType.FUNCREF, ValType.ANYREF),
          thrown.tag().type().payload());
      List<Val> payload = thrown.payload();
      assertEquals(ValType.ANYREF, assertInstanceOf(Val.Gc.class, payload.get(0)).type());
      assertEquals(AnyRef.Kind.ARRAY, assertInstanceOf(Val.Gc.class, payload.get(1)).object().kind());
      assertEquals(instance.func("i31").call().getFirst(), payload.get(2));
      assertEquals(ValType.FUNCREF, assertInstanceOf(Val.Ref.class, payload.get(3)).type());
      assertEquals(List.of(Val.i64(5)), instance.func("fieldOf").call(payload.get(0)));
      assertEquals(List.of(Val.i64(6)), instance.func("fieldOf").call(payload.get(4)));
      assertThrows(IllegalArgumentException.class, () -> instance.func("fieldOf").call(payload.get(3)));
    }
  }
}
