package dev.kiln.tests.exceptions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.loader.runtime.GcStress;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Target;
import dev.kiln.runtime.Trap;
import dev.kiln.runtime.Val;
import dev.kiln.runtime.WasmModule;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Exception objects kept in a global and a table of {@code exnref} that one instance exports and
 * another imports (WebAssembly 3.0 spec 2.3.4), on both targets, with the debug mode ({@link GcStress}) collecting at every
 * allocation: the importer catches its throws with {@code catch_ref}, stores the objects into the
 * exporter's slots and allocates, so each collection moves the objects and their struct payloads
 * while only the slots hold them; the exporter then rethrows each from its table ({@code
 * throw_ref}) and catches it by the tag, reading the payload's field.
 */
class ExnGlobalTableEndToEndTest {
  private static final String OWNER = """
      (module
        (type $s (struct (field i64)))
        (tag $e (export "e") (param (ref null $s)))
        (global (export "g") (mut exnref) (ref.null exn))
        (table $t (export "t") 4 exnref)
        (func (export "payload") (param i32) (result i64)
          (block $h (result (ref null $s))
            (try_table (catch $e $h) (throw_ref (table.get $t (local.get 0))))
            (unreachable))
          (struct.get $s 0)))
      """;

  private static final String USER = """
      (module
        (type $s (struct (field i64)))
        (import "o" "e" (tag $e (param (ref null $s))))
        (import "o" "g" (global $g (mut exnref)))
        (import "o" "t" (table $t 4 (ref null exn)))
        (func $churn (local $n i32)
          (local.set $n (i32.const 16))
          (loop $l
            (drop (struct.new $s (i64.const -1)))
            (br_if $l (local.tee $n (i32.sub (local.get $n) (i32.const 1))))))
        (func $caught (param i64) (result exnref)
          (block $h (result exnref)
            (try_table (catch_all_ref $h) (throw $e (struct.new $s (local.get 0))))
            (unreachable)))
        (func (export "fill") (local $i i32)
          (loop $l
            (table.set $t (local.get $i) (call $caught (i64.add (i64.const 100) (i64.extend_i32_u (local.get $i)))))
            (call $churn)
            (br_if $l (i32.lt_u (local.tee $i (i32.add (local.get $i) (i32.const 1))) (i32.const 4))))
          (global.set $g (table.get $t (i32.const 2)))
          (table.set $t (i32.const 2) (ref.null exn))
          (call $churn))
        (func (export "from-global") (result i64)
          (block $h (result (ref null $s))
            (try_table (catch $e $h) (throw_ref (global.get $g)))
            (unreachable))
          (struct.get $s 0)))
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void exceptionsKeptInSharedSlotsSurviveCollectionsAndAreRethrownByEitherInstance(Target target) {
    Engine engine = Engine.builder().target(target).build();
    System.setProperty(GcStress.PROPERTY, "true");
    try (Store store = new Store(engine)) {
      Linker linker = new Linker(store);
      Instance owner = linker.instantiate(WasmModule.compile(engine, Wat.toBinary(OWNER, "owner.wat")));
      linker.instance("o", owner);
      Instance user = linker.instantiate(WasmModule.compile(engine, Wat.toBinary(USER, "user.wat")));
      user.func("fill").call();
      assertEquals(102, payload(user.func("from-global").call().getFirst()));
      for (int i : new int[] {0, 1, 3}) {
        assertEquals(100 + i, payload(owner.func("payload").call(Val.i32(i)).getFirst()), "table element " + i);
      }
      Trap trap = Assertions.assertThrows(Trap.class, () -> owner.func("payload").call(Val.i32(2)));
      assertTrue(trap.getMessage().contains("null"), trap.getMessage());
      assertTrue(store.gcStatistics().collections() > 0, "the debug mode collected");
    } finally {
      System.clearProperty(GcStress.PROPERTY);
    }
  }

  private static long payload(Val value) {
    return ((Val.I64) value).value();
  }
}
