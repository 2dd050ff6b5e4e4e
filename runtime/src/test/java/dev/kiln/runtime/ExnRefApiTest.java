package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.wat.Wat;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exception references (WebAssembly 3.0 spec 2.3.4, {@code exnref} and {@code nullexnref}) as
 * results and arguments of the functions Java calls, on both targets: null crosses both ways as a
 * {@link Val.Ref} of {@link ValType#EXNREF}; an exception object comes out as an {@link ExnRef}
 * handle ({@link Val.Exn}) and goes back as the same object, which {@code throw_ref} throws again
 * with its tag and payload. Attacked as a host would: a number posing as an exnref, an externref
 * where an exnref is wanted, a handle of another or a closed store, a non-null value where only
 * null fits, and (below the API, through the loader's entry) a made-up word and another store's
 * object, none of which compiled code may ever read as an exception object.
 */
class ExnRefApiTest {
  private static final String WAT = """
      (module
        (tag $e (export "e") (param i32))
        (func (export "nulls") (result exnref nullexnref) (ref.null exn) (ref.null noexn))
        (func (export "catch") (param i32) (result exnref)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (throw $e (local.get 0)))
            (unreachable)))
        (func (export "rethrow") (param exnref) (throw_ref (local.get 0)))
        (func (export "is-null") (param exnref) (result i32) (ref.is_null (local.get 0)))
        (func (export "only-null") (param nullexnref) (result i32) (ref.is_null (local.get 0))))
      """;

  private static Instance instantiate(Engine engine, Store store) {
    return new Linker(store).instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT, "exnref.wat")));
  }

  private static Engine engine(Target target) {
    return Engine.builder().target(target).build();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void nullExceptionReferencesCrossBothWays(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(engine, store);
      List<Val> nulls = instance.func("nulls").call();
      assertEquals(List.of(Val.nullRef(ValType.EXNREF), Val.nullRef(ValType.EXNREF)), nulls);
      assertTrue(nulls.getFirst().isNull());
      assertEquals(1, instance.func("is-null").call(Val.nullRef(ValType.EXNREF)).getFirst().asInt());
      assertEquals(1, instance.func("only-null").call(Val.nullRef(ValType.EXNREF)).getFirst().asInt());
      assertEquals(List.of(ValType.EXNREF), instance.func("is-null").type().params());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anExceptionObjectComesOutAsAHandleAndGoesBackAsItself(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine)) {
      Instance instance = instantiate(engine, store);
      Val caught = instance.func("catch").call(Val.i32(42)).getFirst();
      Val.Exn exn = assertInstanceOf(Val.Exn.class, caught);
      assertEquals(ValType.EXNREF, exn.type());
      assertEquals("exnref", exn.exception().toString(), "the handle shows no address");
      assertEquals(0, instance.func("is-null").call(caught).getFirst().asInt());
      WasmThrow thrown = assertThrows(WasmThrow.class, () -> instance.func("rethrow").call(caught));
      assertEquals(instance.tag("e"), thrown.tag());
      assertEquals(List.of(Val.i32(42)), thrown.payload(), "throw_ref threw the same object again");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void whatIsNoExceptionObjectOfTheStoreIsRefused(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine); Store other = new Store(engine)) {
      Instance instance = instantiate(engine, store);
      Instance elsewhere = instantiate(engine, other);
      assertThrows(IllegalArgumentException.class, () -> new Val.Ref(ValType.EXNREF, 0x1000),
          "a number is no exnref");
      assertThrows(IllegalArgumentException.class,
          () -> instance.func("is-null").call(new Val.Ref(ValType.EXTERNREF, 0x1000)), "an externref is no exnref");
      Val foreign = elsewhere.func("catch").call(Val.i32(1)).getFirst();
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> instance.func("rethrow").call(foreign));
      assertTrue(e.getMessage().contains("only to the store that made it"), e.getMessage());
      Val own = instance.func("catch").call(Val.i32(2)).getFirst();
      assertThrows(IllegalArgumentException.class, () -> instance.func("only-null").call(own),
          "a nullexnref holds null only");
      Store closing = new Store(engine);
      Val ofClosed = instantiate(engine, closing).func("catch").call(Val.i32(3)).getFirst();
      closing.close();
      e = assertThrows(IllegalArgumentException.class, () -> instance.func("rethrow").call(ofClosed));
      assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
  }

  /**
   * Below the API the loader's entry checks the raw word itself (what the spec-script runner and any
   * internal caller pass): a word that looks like an exception object (a tag word and a count of 0,
   * readable) but that the store never made, and a real object of another store, are refused before
   * any wasm runs.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void theLoaderRefusesAWordTheStoreDidNotMakeAsAnException(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine); Store other = new Store(engine); Arena arena = Arena.ofConfined()) {
      Instance instance = instantiate(engine, store);
      Instance elsewhere = instantiate(engine, other);
      MemorySegment forged = arena.allocate(64, 16);
      // raw words, read under each store's claim (ObjectHandles.word); nothing here collects before their use
      ExnRef foreignRef = ((Val.Exn) elsewhere.func("catch").call(Val.i32(1)).getFirst()).exception();
      long foreign = other.internal().exclusive("test", () -> foreignRef.word(other.internal()));
      for (long word : new long[] {forged.address(), foreign}) {
        assertThrows(IllegalArgumentException.class, () -> instance.func("is-null").internal()
            .call(new WasmValue.Ref(dev.kiln.artifact.info.ValType.EXTERNREF, word)));
      }
      ExnRef ownRef = ((Val.Exn) instance.func("catch").call(Val.i32(5)).getFirst()).exception();
      long own = store.internal().exclusive("test", () -> ownRef.word(store.internal()));
      assertEquals(0, instance.func("is-null").internal()
          .call(new WasmValue.Ref(dev.kiln.artifact.info.ValType.EXTERNREF, own)).getFirst().bits(),
          "the store's own object passes");
    }
  }

  /**
   * An exported tag whose payload holds an exnref (issue 38: such modules were refused): a wasm
   * exception carrying another reaches Java with it as a {@link Val.Exn}, which thrown again is
   * that same inner exception; a host function throws one carrying its store's own exception, which
   * wasm catches and throws on. The attacks: an exnref of another store in the host's payload (the
   * call ends with the host-function trap, which no wasm {@code catch_all} sees), and an externref
   * posing as the exnref (refused when the {@link WasmThrow} is made).
   */
  private static final String TAG_WAT = """
      (module
        (import "env" "host" (func $host))
        (tag $e (export "e") (param i32))
        (tag $wrap (export "wrap") (param i32 exnref))
        (func $inner (param i32) (throw $e (local.get 0)))
        (func (export "wrapped") (param i32) (local exnref)
          (local.set 1
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (call $inner (local.get 0)))
              (unreachable)))
          (throw $wrap (i32.add (local.get 0) (i32.const 1)) (local.get 1)))
        (func (export "rethrow") (param exnref) (throw_ref (local.get 0)))
        (func (export "unwrap-host") (result i32)
          (block $h (result i32 exnref)
            (try_table (catch $wrap $h) (call $host))
            (return (i32.const -1)))
          (throw_ref))
        (func (export "catch-all-host") (result i32)
          (block $h
            (try_table (catch_all $h) (call $host))
            (return (i32.const 0)))
          (i32.const 1)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void anExportedTagCarriesAnExceptionBothWays(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine); Store other = new Store(engine)) {
      java.util.concurrent.atomic.AtomicReference<java.util.function.Supplier<RuntimeException>> throwing =
          new java.util.concurrent.atomic.AtomicReference<>();
      WasmModule module = WasmModule.compile(engine, Wat.toBinaryWithNames(TAG_WAT, "exn-tag.wat"));
      Instance instance = new Linker(store).func("env", "host", FuncType.of(List.of(), List.of()), (caller, args) -> {
        throw throwing.get().get();
      }).instantiate(module);
      Tag wrap = instance.tag("wrap");
      assertEquals(new TagType(List.of(ValType.I32, ValType.EXNREF)), wrap.type());

      WasmThrow outer = assertThrows(WasmThrow.class, () -> instance.func("wrapped").call(Val.i32(41)));
      assertEquals(wrap, outer.tag());
      assertEquals(Val.i32(42), outer.payload().getFirst());
      Val inner = assertInstanceOf(Val.Exn.class, outer.payload().get(1), "the carried exception is a handle");
      WasmThrow again = assertThrows(WasmThrow.class, () -> instance.func("rethrow").call(inner));
      assertEquals(instance.tag("e"), again.tag());
      assertEquals(List.of(Val.i32(41)), again.payload(), "the carried object is the inner exception itself");

      throwing.set(() -> new WasmThrow(wrap, List.of(Val.i32(7), inner)));
      WasmThrow unwrapped = assertThrows(WasmThrow.class, () -> instance.func("unwrap-host").call());
      assertEquals(instance.tag("e"), unwrapped.tag());
      assertEquals(List.of(Val.i32(41)), unwrapped.payload(), "wasm caught the host's $wrap and threw its exnref");
      throwing.set(() -> new WasmThrow(wrap, List.of(Val.i32(8), Val.nullRef(ValType.EXNREF))));
      assertEquals(List.of(Val.i32(1)), instance.func("catch-all-host").call(), "a null exnref is a payload too");

      Instance elsewhere = new Linker(other).func("env", "host", FuncType.of(List.of(), List.of()), (caller, args) -> {
        throw new IllegalStateException("not called");
      }).instantiate(module);
      Val foreign = assertThrows(WasmThrow.class, () -> elsewhere.func("wrapped").call(Val.i32(1))).payload().get(1);
      throwing.set(() -> new WasmThrow(wrap, List.of(Val.i32(9), foreign)));
      Trap trap = assertThrows(Trap.class, () -> instance.func("catch-all-host").call(),
          "another store's exception is no payload of this one, and no wasm frame sees the refusal");
      IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, trap.getCause());
      assertTrue(cause.getMessage().contains("only to the store that made it"), cause.getMessage());
      assertThrows(IllegalArgumentException.class,
          () -> new WasmThrow(wrap, List.of(Val.i32(9), new Val.Ref(ValType.EXTERNREF, 0x1000))),
          "an externref is no exnref");
    }
  }

  /**
   * Below the API, the loader checks a host-thrown payload's exnref itself (what an internal caller
   * could pass, as {@link #theLoaderRefusesAWordTheStoreDidNotMakeAsAnException} does for
   * arguments): a word that looks like an exception object but that the store never made, in an
   * exported tag's exnref parameter, ends the call with the host-function trap and no wasm frame
   * catches it, since the handler would read the word as an object.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void theLoaderRefusesAMadeUpExceptionInAHostThrownPayload(Target target) {
    Engine engine = engine(target);
    try (Store store = new Store(engine); Arena arena = Arena.ofConfined()) {
      MemorySegment forged = arena.allocate(64, 16);
      Instance instance = new Linker(store).func("env", "host", FuncType.of(List.of(), List.of()), (caller, args) -> {
        throw new IllegalStateException("the translator below makes it a wasm exception");
      }).instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(TAG_WAT, "exn-tag.wat")));
      Tag wrap = instance.tag("wrap");
      store.internal().hostExceptions((failure, unused) -> new dev.kiln.loader.runtime.ThrownException(wrap.internal(),
          List.of(new WasmValue.I32(1), new WasmValue.Ref(dev.kiln.artifact.info.ValType.EXTERNREF, forged.address())),
          store.internal()));
      Trap trap = assertThrows(Trap.class, () -> instance.func("catch-all-host").call());
      IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, trap.getCause());
      assertTrue(cause.getMessage().contains("not an exception object"), cause.getMessage());
    }
  }
}
