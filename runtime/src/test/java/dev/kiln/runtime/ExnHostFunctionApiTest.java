package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.runtime.GcStress;
import dev.kiln.wat.Wat;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Host functions whose types mention the exn hierarchy (WebAssembly 3.0 spec 2.3.4: {@code exnref},
 * {@code (ref exn)}, {@code nullexnref}), on both targets. Java gets an argument as an {@link
 * ExnRef} handle, lasting the call unless kept ({@link ExnRef#keep}); a result goes back through
 * {@link Conversions#wasmValue} and the loader's check against the result's precise type, which lets
 * in only 0 (where the type is nullable) or one of the store's own exception objects: anything else
 * is a trap of the calling code with one line, which no wasm {@code catch_all} sees. Compiled code
 * then reads the word as an exception object ({@code throw_ref}), so nothing else may get there.
 */
class ExnHostFunctionApiTest {
  private static final String WAT = """
      (module
        (type $s (struct (field i32)))
        (import "h" "pass" (func $pass (param exnref) (result exnref)))
        (import "h" "some" (func $some (result (ref exn))))
        (import "h" "none" (func $none (result nullexnref)))
        (tag $e (export "e") (param i32))
        (func $catch (param i32) (result exnref)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (throw $e (local.get 0)))
            (unreachable)))
        ;; rethrows the exception and catches it again by its tag: its payload
        (func $payload (param exnref) (result i32)
          (block $h (result i32)
            (try_table (catch $e $h) (throw_ref (local.get 0)))
            (unreachable)))
        (func (export "make") (param i32) (result exnref) (call $catch (local.get 0)))
        (func (export "roundTrip") (param i32) (result i32)
          (call $payload (call $pass (call $catch (local.get 0)))))
        (func (export "some") (result i32) (call $payload (call $some)))
        (func (export "none") (result i32) (ref.is_null (call $none)))
        ;; a refused result is a trap, not an exception: catch_all does not see it
        (func (export "someCaught") (result i32)
          (block $h
            (try_table (catch_all $h) (return (call $payload (call $some))))
            (unreachable))
          (i32.const -1))
        (func (export "churn") (param i32)
          (loop $l
            (drop (struct.new $s (local.get 0)))
            (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))
      """;

  /** What each host function of {@link #WAT} returns, set by each test. */
  private record Hosts(AtomicReference<UnaryOperator<Val>> pass, AtomicReference<Supplier<Val>> some,
      AtomicReference<Supplier<Val>> none, List<Val> passed) {
    Hosts() {
      this(new AtomicReference<>(), new AtomicReference<>(), new AtomicReference<>(), new ArrayList<>());
    }
  }

  private static final FuncType PASS = FuncType.of(List.of(ValType.EXNREF), List.of(ValType.EXNREF));
  private static final FuncType SOME = FuncType.precise(List.of(), List.of(new RefType(false, HeapType.Abstract.EXN)));
  private static final FuncType NONE = FuncType.precise(List.of(), List.of(new RefType(true, HeapType.Abstract.NOEXN)));

  private static Instance instantiate(Store store, Engine engine, Hosts hosts) {
    AtomicReference<Instance> self = new AtomicReference<>();
    Instance instance = new Linker(store)
        .func("h", "pass", PASS, (caller, args) -> {
          hosts.passed().add(args.getFirst());
          // the argument's object must survive collections the host causes while it holds the handle
          self.get().func("churn").call(Val.i32(40));
          UnaryOperator<Val> result = hosts.pass().get();
          return List.of(result == null ? args.getFirst() : result.apply(args.getFirst()));
        })
        .func("h", "some", SOME, (caller, args) -> List.of(hosts.some().get().get()))
        .func("h", "none", NONE, (caller, args) -> List.of(hosts.none().get().get()))
        .instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT, "exn-host.wat")));
    self.set(instance);
    return instance;
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostFunctionTakesAnExceptionAndReturnsItForWasmToRethrowAcrossCollections(Target target) {
    Engine engine = Engine.builder().target(target).build();
    System.setProperty(GcStress.PROPERTY, "true");
    try (Store store = new Store(engine)) {
      Hosts hosts = new Hosts();
      Instance instance = instantiate(store, engine, hosts);
      assertEquals(List.of(Val.i32(7)), instance.func("roundTrip").call(Val.i32(7)));
      assertInstanceOf(Val.Exn.class, hosts.passed().getFirst());

      // one kept from an earlier call goes back in a later one; so does one wasm returned to Java
      AtomicReference<ExnRef> kept = new AtomicReference<>();
      hosts.pass().set(arg -> {
        kept.set(((Val.Exn) arg).exception().keep());
        return arg;
      });
      assertEquals(List.of(Val.i32(8)), instance.func("roundTrip").call(Val.i32(8)));
      hosts.pass().set(arg -> new Val.Exn(kept.get()));
      assertEquals(List.of(Val.i32(8)), instance.func("roundTrip").call(Val.i32(9)));
      Val made = instance.func("make").call(Val.i32(10)).getFirst();
      hosts.some().set(() -> made);
      instance.func("churn").call(Val.i32(100));
      assertEquals(List.of(Val.i32(10)), instance.func("some").call());
      hosts.none().set(() -> Val.nullRef(ValType.EXNREF));
      assertEquals(List.of(Val.i32(1)), instance.func("none").call());
    } finally {
      System.clearProperty(GcStress.PROPERTY);
    }
  }

  /**
   * Every result that is not 0 where the type allows null, or one of the store's own exception
   * objects, traps the calling code with one line: another store's exception, a struct, an i31, an
   * externref word, null for {@code (ref exn)}, an exception for {@code nullexnref}, a handle the
   * host got as an argument of an earlier call and did not keep.
   */
  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostResultThatIsNoExceptionOfTheStoreIsATrapWithOneLine(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (Store store = new Store(engine); Store other = new Store(engine)) {
      Hosts hosts = new Hosts();
      Instance instance = instantiate(store, engine, hosts);
      Val foreign = instantiate(other, engine, new Hosts()).func("make").call(Val.i32(1)).getFirst();
      Val own = instance.func("make").call(Val.i32(2)).getFirst();
      instance.func("roundTrip").call(Val.i32(3));
      Val unkept = hosts.passed().getFirst();
      Val struct = new Linker(store).instantiate(WasmModule.compile(engine, Wat.toBinary(
          "(module (type $s (struct)) (func (export \"s\") (result anyref) (struct.new $s)))", "s.wat")))
          .func("s").call().getFirst();
      assertInstanceOf(Val.Gc.class, struct);
      record Case(String export, Val result, String fragment) {}
      List<Case> cases = List.of(
          new Case("some", foreign, "given to"),
          new Case("some", struct, "is a ANYREF"),
          new Case("some", new Val.Ref(ValType.ANYREF, 0x21), "is a ANYREF"),
          new Case("some", new Val.Ref(ValType.EXTERNREF, 0x1234), "is a EXTERNREF"),
          new Case("some", Val.nullRef(ValType.EXNREF), "null where a non-nullable"),
          new Case("some", unkept, "without keeping it (ExnRef.keep)"),
          new Case("someCaught", Val.nullRef(ValType.EXNREF), "null where a non-nullable"),
          new Case("none", own, "only value is null"));
      for (Case c : cases) {
        hosts.some().set(c::result);
        hosts.none().set(c::result);
        Trap trap = assertThrows(Trap.class, () -> instance.func(c.export()).call(), c::toString);
        IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, trap.getCause(), c::toString);
        assertTrue(cause.getMessage().contains(c.fragment()), c + ": " + cause.getMessage());
        assertFalse(cause.getMessage().contains("\n"), cause.getMessage());
        assertFalse(trap.getMessage().contains("\n"), trap.getMessage());
      }
      hosts.some().set(() -> own);
      assertEquals(List.of(Val.i32(2)), instance.func("someCaught").call(), "the store still runs");
    }
  }

  /**
   * A guest passing a fresh exception to a host function that ignores it on every call does not
   * fill the store's handle table: the argument's handle lasts the call (red team 10 F5's rule, as
   * for an {@link AnyRef}).
   */
  @Test
  void anArgumentsHandleLastsTheCallUnlessKept() {
    Engine engine = Engine.create();
    try (Store store = Store.builder(engine).maxObjectHandles(8).build()) {
      Hosts hosts = new Hosts();
      Instance instance = instantiate(store, engine, hosts);
      for (int i = 0; i < 100; i++) {
        assertEquals(List.of(Val.i32(i)), instance.func("roundTrip").call(Val.i32(i)));
        hosts.passed().clear(); // the handles stay reachable from the list only until here
      }
    }
  }
}
