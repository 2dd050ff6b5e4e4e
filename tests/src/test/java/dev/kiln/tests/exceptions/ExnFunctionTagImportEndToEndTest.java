package dev.kiln.tests.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.runtime.GcStress;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.Val;
import dev.kiln.runtime.WasmModule;
import dev.kiln.runtime.WasmThrow;
import dev.kiln.wat.Wat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Imports of functions and tags whose types mention {@code exnref} (WebAssembly 3.0 spec 2.3.4),
 * wasm to wasm across instances of one store, on both targets, with the debug mode ({@link
 * GcStress}) collecting at every allocation: exception objects cross as arguments and results of
 * another instance's functions and live in locals across calls that collect; a tag with an {@code
 * exnref} parameter, defined by one instance and imported by the other, throws exception objects
 * that hold exception objects, which the collector traces through the payload (the wrapper alone
 * holds the inner object while collections move both).
 */
class ExnFunctionTagImportEndToEndTest {
  private static final String OWNER = """
      (module
        (type $s (struct (field i32)))
        (tag $e (export "e") (param i32))
        (tag $w (export "w") (param exnref i32))
        (func (export "catch") (param i32) (result exnref)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (throw $e (local.get 0)))
            (unreachable)))
        (func (export "payload") (param exnref) (result i32)
          (block $h (result i32)
            (try_table (catch $e $h) (throw_ref (local.get 0)))
            (unreachable)))
        (func (export "wrap") (param exnref i32) (throw $w (local.get 0) (local.get 1)))
        (func (export "churn") (param i32)
          (loop $l
            (drop (struct.new $s (local.get 0)))
            (br_if $l (local.tee 0 (i32.sub (local.get 0) (i32.const 1)))))))
      """;

  private static final String USER = """
      (module
        (import "o" "catch" (func $catch (param i32) (result exnref)))
        (import "o" "payload" (func $payload (param exnref) (result i32)))
        (import "o" "wrap" (func $wrap (param exnref i32)))
        (import "o" "churn" (func $churn (param i32)))
        (import "o" "w" (tag $w (param exnref i32)))
        (global $kept (mut exnref) (ref.null exn))
        ;; an exception of the owner's, kept in a local across a call that collects, goes back
        (func (export "round-trip") (param i32) (result i32)
          (local $x exnref)
          (local.set $x (call $catch (local.get 0)))
          (call $churn (i32.const 50))
          (call $payload (local.get $x)))
        ;; the owner throws a wrapper holding the exception; caught here by the imported tag
        (func (export "unwrap") (param i32) (result i32)
          (local $n i32) (local $inner exnref)
          (block $h (result exnref i32)
            (try_table (catch $w $h) (call $wrap (call $catch (local.get 0)) (i32.const 3)))
            (unreachable))
          (local.set $n)
          (local.set $inner)
          (call $churn (i32.const 50))
          (i32.add (call $payload (local.get $inner)) (i32.mul (local.get $n) (i32.const 1000))))
        ;; only the wrapper is kept: its payload alone holds the inner exception
        (func (export "keep-wrapped") (param i32)
          (global.set $kept
            (block $h (result exnref)
              (try_table (catch_all_ref $h) (throw $w (call $catch (local.get 0)) (i32.const 4)))
              (unreachable))))
        (func (export "unwrap-kept") (result i32)
          (local $n i32) (local $inner exnref)
          (block $h (result exnref i32)
            (try_table (catch $w $h) (throw_ref (global.get $kept)))
            (unreachable))
          (local.set $n)
          (local.set $inner)
          (i32.add (call $payload (local.get $inner)) (i32.mul (local.get $n) (i32.const 1000))))
        (func (export "rethrow-kept") (throw_ref (global.get $kept))))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void exceptionsCrossFunctionAndTagImportsAndSurviveCollections(Target target) {
    Engine engine = Engine.builder().target(target).build();
    System.setProperty(GcStress.PROPERTY, "true");
    try (Store store = new Store(engine)) {
      Linker linker = new Linker(store);
      Instance owner = linker.instantiate(WasmModule.compile(engine, Wat.toBinary(OWNER, "owner.wat")));
      linker.instance("o", owner);
      Instance user = linker.instantiate(WasmModule.compile(engine, Wat.toBinary(USER, "user.wat")));
      assertEquals(List.of(Val.i32(7)), user.func("round-trip").call(Val.i32(7)));
      assertEquals(List.of(Val.i32(3008)), user.func("unwrap").call(Val.i32(8)));
      user.func("keep-wrapped").call(Val.i32(9));
      owner.func("churn").call(Val.i32(200));
      assertEquals(List.of(Val.i32(4009)), user.func("unwrap-kept").call());
      assertEquals(List.of(Val.i32(4009)), user.func("unwrap-kept").call(), "rethrowing consumed nothing");

      // the wrapper reaches Java with the inner exception in its payload, which the owner still reads
      WasmThrow thrown = assertThrows(WasmThrow.class, () -> user.func("rethrow-kept").call());
      assertEquals(owner.tag("w"), thrown.tag());
      Val inner = assertInstanceOf(Val.Exn.class, thrown.payload().getFirst());
      owner.func("churn").call(Val.i32(200));
      assertEquals(List.of(Val.i32(9)), owner.func("payload").call(inner));
      assertTrue(store.gcStatistics().collections() > 0, "the debug mode collected");
    } finally {
      System.clearProperty(GcStress.PROPERTY);
    }
  }
}
