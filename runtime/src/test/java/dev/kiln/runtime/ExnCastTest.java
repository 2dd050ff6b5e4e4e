package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wat.Wat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code exn} is the top of its own hierarchy (spec 3.0 3.3.x), so every non-null exnref is in
 * {@code (ref exn)} and every exnref in {@code (ref null exn)}: {@code ref.test}, {@code ref.cast},
 * {@code br_on_cast} and {@code br_on_cast_fail} to either succeed for an exception and decide null
 * by the target's nullability, and {@code noexn} holds null only (red team 14 F1, where every cast
 * to exn failed). On both targets: the decision is shared code, the instructions each ISA's.
 */
class ExnCastTest {
  private static final String WAT = """
      (module
        (tag $t)
        (func $caught (result (ref exn))
          (block $h (result (ref exn))
            (try_table (catch_all_ref $h) (throw $t))
            (unreachable)))
        (func $null (result exnref) (ref.null exn))
        (func (export "test") (result i32) (ref.test (ref exn) (call $caught)))
        (func (export "testNull") (result i32) (ref.test (ref exn) (call $null)))
        (func (export "testNullable") (result i32) (ref.test (ref null exn) (call $caught)))
        (func (export "testNullableNull") (result i32) (ref.test (ref null exn) (call $null)))
        (func (export "testNoexn") (result i32) (ref.test (ref null noexn) (call $caught)))
        (func (export "testNoexnNull") (result i32) (ref.test (ref null noexn) (call $null)))
        (func (export "cast") (result i32) (drop (ref.cast (ref exn) (call $caught))) (i32.const 1))
        (func (export "castNull") (result i32) (drop (ref.cast (ref exn) (call $null))) (i32.const 1))
        (func (export "castNullable") (result i32) (drop (ref.cast (ref null exn) (call $caught))) (i32.const 1))
        (func (export "castNullableNull") (result i32) (drop (ref.cast (ref null exn) (call $null))) (i32.const 1))
        (func (export "brOnCast") (result i32)
          (block $ok (result (ref exn))
            (br_on_cast $ok exnref (ref exn) (call $caught))
            (return (i32.const 0)))
          (drop) (i32.const 1))
        (func (export "brOnCastNull") (result i32)
          (block $ok (result (ref null exn))
            (br_on_cast $ok exnref (ref null exn) (call $null))
            (return (i32.const 0)))
          (drop) (i32.const 1))
        (func (export "brOnCastFail") (result i32)
          (block $failed (result exnref)
            (br_on_cast_fail $failed exnref (ref exn) (call $caught))
            (return (i32.const 1)))
          (drop) (i32.const 0))
        (func (export "brOnCastFailNull") (result i32)
          (block $failed (result exnref)
            (br_on_cast_fail $failed exnref (ref exn) (call $null))
            (return (i32.const 1)))
          (drop) (i32.const 0))
        (func (export "throwRef") (throw_ref (ref.cast (ref exn) (call $caught))))
      )
      """;

  @ParameterizedTest
  @EnumSource(Target.class)
  void castsToExnFollowItsHierarchy(Target target) {
    Engine engine = Engine.builder().target(target).build();
    try (Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(WasmModule.compile(engine, Wat.toBinaryWithNames(WAT,
          "exncast.wat")));
      record Expected(String export, int result) {}
      for (Expected e : List.of(new Expected("test", 1), new Expected("testNull", 0), new Expected("testNullable", 1),
          new Expected("testNullableNull", 1), new Expected("testNoexn", 0), new Expected("testNoexnNull", 1),
          new Expected("cast", 1), new Expected("castNullable", 1), new Expected("castNullableNull", 1),
          new Expected("brOnCast", 1), new Expected("brOnCastNull", 1), new Expected("brOnCastFail", 1),
          new Expected("brOnCastFailNull", 0))) {
        assertEquals(List.of(Val.i32(e.result())), instance.func(e.export()).call(), e.export());
      }
      Trap nullCast = assertThrows(Trap.class, () -> instance.func("castNull").call());
      assertEquals("cast failure", nullCast.reason(), nullCast::getMessage);
      WasmThrow rethrown = assertThrows(WasmThrow.class, () -> instance.func("throwRef").call());
      assertInstanceOf(Tag.class, rethrown.tag());
    }
  }
}
