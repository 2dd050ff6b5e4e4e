package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A host function throws a wasm exception into its wasm caller ({@link WasmThrow#WasmThrow(Tag,
 * List)}), on both targets: the caller's {@code try_table} catches it with its payload of each
 * number type, {@code catch_ref} and {@code throw_ref} send it back out to Java as the same
 * exception, the legacy {@code try}/{@code catch} catches it; a tag of another store is refused
 * (and no wasm frame sees that failure); a Java exception is still never a wasm exception; the
 * objects the host's exceptions make count against the store's memory limit.
 */
class HostThrowApiTest {
  private static final String WAT = """
      (module
        (import "env" "host" (func $host (param i32)))
        (tag $e (export "e") (param i32 i64 f32 f64))
        (func $catch (export "catch") (param i32) (result i32 i64 f32 f64)
          (block $h (result i32 i64 f32 f64)
            (try_table (catch $e $h) (call $host (local.get 0)))
            (return (i32.const -1) (i64.const -1) (f32.const -1) (f64.const -1))))
        (func $rethrowRef (export "rethrow-ref") (param i32) (result i32)
          (block $h (result i32 i64 f32 f64 exnref)
            (try_table (catch_ref $e $h) (call $host (local.get 0)))
            (return (i32.const -1)))
          (throw_ref))
        (func $legacy (export "legacy") (param i32) (result i32)
          (try (result i32)
            (do (call $host (local.get 0)) (i32.const -1))
            (catch $e (drop) (drop) (drop))))
        (func $catchAll (export "catch-all") (param i32) (result i32)
          (block $h
            (try_table (catch_all $h) (call $host (local.get 0)))
            (return (i32.const 0)))
          (i32.const 1))
      )
      """;

  /** One instance of {@link #WAT} whose host function throws what {@code throwing} makes of the instance. */
  private record Fixture(Instance instance, AtomicReference<Function<Instance, RuntimeException>> throwing) {
    static Fixture of(Engine engine, Store store) {
      AtomicReference<Instance> self = new AtomicReference<>();
      AtomicReference<Function<Instance, RuntimeException>> throwing = new AtomicReference<>();
      Instance instance = new Linker(store)
          .func("env", "host", FuncType.of(List.of(ValType.I32), List.of()), (caller, args) -> {
            Function<Instance, RuntimeException> make = throwing.get();
            if (make != null) {
              throw make.apply(self.get());
            }
            return List.of();
          })
          .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT, "host-throw.wat")));
      self.set(instance);
      return new Fixture(instance, throwing);
    }
  }

  private static final List<Val> PAYLOAD = List.of(Val.i32(-7), Val.i64(Long.MIN_VALUE + 3), Val.f32(-0.0f),
      Val.f64(Double.longBitsToDouble(0x7FF4_0000_0000_0001L)));

  private static Engine engine(Target target) {
    return Engine.builder().target(target).build();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void wasmCatchesWhatTheHostThrewWithItsPayload(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Fixture fixture = Fixture.of(engine, store);
      fixture.throwing().set(instance -> new WasmThrow(instance.tag("e"), PAYLOAD));
      // try_table's catch: the payload's bits as the host gave them (a signalling NaN's too)
      List<Val> caught = fixture.instance().func("catch").call(Val.i32(0));
      assertEquals(PAYLOAD.subList(0, 3), caught.subList(0, 3));
      assertEquals(0x7FF4_0000_0000_0001L, Double.doubleToRawLongBits(((Val.F64) caught.get(3)).value()));
      // the legacy try/catch on the same handlers
      assertEquals(List.of(Val.i32(-7)), fixture.instance().func("legacy").call(Val.i32(0)));
      // catch_all
      assertEquals(List.of(Val.i32(1)), fixture.instance().func("catch-all").call(Val.i32(0)));
      // and a host function that returns normally leaves nothing pending
      fixture.throwing().set(null);
      assertEquals(List.of(Val.i32(-1), Val.i64(-1), Val.f32(-1), Val.f64(-1)),
          fixture.instance().func("catch").call(Val.i32(0)));
      assertEquals(List.of(Val.i32(0)), fixture.instance().func("catch-all").call(Val.i32(0)));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void catchRefAndThrowRefSendItBackToJavaAsTheSameException(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Fixture fixture = Fixture.of(engine, store);
      fixture.throwing().set(instance -> new WasmThrow(instance.tag("e"), PAYLOAD));
      WasmThrow thrown = assertThrows(WasmThrow.class,
          () -> fixture.instance().func("rethrow-ref").call(Val.i32(0)));
      assertEquals(fixture.instance().tag("e"), thrown.tag());
      assertEquals(PAYLOAD.subList(0, 3), thrown.payload().subList(0, 3));
      assertEquals(0x7FF4_0000_0000_0001L,
          Double.doubleToRawLongBits(((Val.F64) thrown.payload().get(3)).value()));
      assertEquals("rethrowRef", thrown.backtrace().getFirst().function().orElseThrow(),
          "the wasm frame that threw it on: " + thrown.backtrace());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aTagOfAnotherStoreIsRefusedAndNoWasmFrameSeesIt(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine); Store other = new Store(engine)) {
      Fixture fixture = Fixture.of(engine, store);
      Tag foreign = Fixture.of(engine, other).instance().tag("e");
      fixture.throwing().set(instance -> new WasmThrow(foreign, PAYLOAD));
      Trap trap = assertThrows(Trap.class, () -> fixture.instance().func("catch-all").call(Val.i32(0)));
      IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, trap.getCause());
      assertTrue(cause.getMessage().contains("tag of another store"), cause.getMessage());
      // the store runs on, and its own tag is still thrown and caught
      fixture.throwing().set(instance -> new WasmThrow(instance.tag("e"), PAYLOAD));
      assertEquals(List.of(Val.i32(1)), fixture.instance().func("catch-all").call(Val.i32(0)));
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aJavaExceptionIsStillNoWasmException(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Fixture fixture = Fixture.of(engine, store);
      IllegalStateException failure = new IllegalStateException("the embedder's bug");
      fixture.throwing().set(instance -> failure);
      Trap trap = assertThrows(Trap.class, () -> fixture.instance().func("catch-all").call(Val.i32(0)));
      assertEquals(failure, trap.getCause());
      // a wasm exception thrown after it is not reported as that failure
      fixture.throwing().set(instance -> new WasmThrow(instance.tag("e"), PAYLOAD));
      assertEquals(List.of(Val.i32(1)), fixture.instance().func("catch-all").call(Val.i32(0)));
      fixture.throwing().set(instance -> failure);
      assertEquals(failure, assertThrows(Trap.class,
          () -> fixture.instance().func("catch-all").call(Val.i32(0))).getCause());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void hostExceptionsAGuestCatchesAreReclaimedWithTheirOrigins(Target target) {
    Engine engine = engine(target);
    long limit = 512 * 1024;
    try (Store store = Store.builder(engine).maxMemoryBytes(limit).build()) {
      Fixture fixture = Fixture.of(engine, store);
      fixture.throwing().set(instance -> new WasmThrow(instance.tag("e"), PAYLOAD));
      Func catching = fixture.instance().func("catch-all");
      // each throw keeps its origin (StoreExceptions.ORIGIN_BYTES, 1 KiB) while its object lives:
      // kept until the store closed, 512 calls would fill the limit; collected, none is left
      int calls = 2 * (int) (limit / 1024);
      for (int i = 0; i < calls; i++) {
        assertEquals(List.of(Val.i32(1)), catching.call(Val.i32(0)), "call " + i);
      }
      assertTrue(store.internal().gcCollections() > 0, "the heap collected the caught exceptions");
      assertTrue(store.internal().resources().memoryBytes().used() <= limit);
    }
  }

  @Test
  void aPayloadNotOfTheTagsTypeIsRefusedWhereTheHostMakesIt() {
    Engine engine = Engine.create();
    try (Store store = new Store(engine)) {
      Tag tag = Fixture.of(engine, store).instance().tag("e");
      IllegalArgumentException count = assertThrows(IllegalArgumentException.class,
          () -> new WasmThrow(tag, List.of(Val.i32(1))));
      assertTrue(count.getMessage().contains("1 values"), count.getMessage());
      IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
          () -> new WasmThrow(tag, List.of(Val.i64(1), Val.i64(2), Val.f32(3), Val.f64(4))));
      assertTrue(type.getMessage().contains("value 0"), type.getMessage());
    }
  }
}
