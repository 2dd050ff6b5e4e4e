package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * References Java hands to wasm, checked against what the precise type allows (spec 3.0 3.3.x):
 * compiled code trusts that a {@code (ref ht)} is never null and that a {@code nullref}, {@code
 * nullexternref} or {@code nullfuncref} is always null, so Java passing otherwise (as an argument,
 * a global write, a table write or grow) is an {@link IllegalArgumentException}, never a value the
 * guest's {@code ref.is_null} contradicts.
 */
class ReferenceArgumentTypeTest {
  private static final String MODULE = """
      (module
        (table $tn (export "nones") 2 nullref)
        (table $te (export "noexterns") 2 nullexternref)
        (global (export "gi31") (mut (ref i31)) (ref.i31 (i32.const 1)))
        (global (export "gnone") (mut nullref) (ref.null none))
        (func (export "structnn") (param (ref struct)) (result i32) (ref.is_null (local.get 0)))
        (func (export "i31nn") (param (ref i31)) (result i32) (ref.is_null (local.get 0)))
        (func (export "externnn") (param (ref extern)) (result i32) (ref.is_null (local.get 0)))
        (func (export "anynn") (param (ref any)) (result i32) (ref.is_null (local.get 0)))
        (func (export "none") (param nullref) (result i32) (ref.is_null (local.get 0)))
        (func (export "noextern") (param nullexternref) (result i32) (ref.is_null (local.get 0)))
        (func (export "nofunc") (param nullfuncref) (result i32) (ref.is_null (local.get 0)))
        (func (export "anyref") (param anyref) (result i32) (ref.is_null (local.get 0))))
      """;

  @Test
  void whatTheTypeForbidsIsRefusedOnEveryWayIn() {
    Engine engine = Engine.create();
    try (WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(MODULE, "refs.wat"));
        Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(module);
      Val nullExtern = Val.nullRef(ValType.EXTERNREF);
      Val word = new Val.Ref(ValType.EXTERNREF, 0x100000001L);
      for (String nonNullable : List.of("structnn", "i31nn", "externnn", "anynn")) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> instance.func(nonNullable).call(nullExtern), nonNullable);
        assertTrue(e.getMessage().startsWith("null where a non-nullable (ref "), e.getMessage());
      }
      for (String onlyNull : List.of("none", "noextern")) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> instance.func(onlyNull).call(word), onlyNull);
        assertTrue(e.getMessage().startsWith("a non-null reference where "), e.getMessage());
        assertEquals(List.of(Val.i32(1)), instance.func(onlyNull).call(nullExtern), "null is its value");
      }
      assertEquals(List.of(Val.i32(1)), instance.func("nofunc").call(Val.nullRef(ValType.FUNCREF)));
      assertEquals(List.of(Val.i32(0)), instance.func("anyref").call(word), "anyref takes any word");
      assertEquals(List.of(Val.i32(1)), instance.func("anyref").call(nullExtern));

      assertThrows(IllegalArgumentException.class, () -> instance.global("gi31").set(nullExtern));
      assertThrows(IllegalArgumentException.class, () -> instance.global("gnone").set(word));
      instance.global("gnone").set(nullExtern);
      for (String table : List.of("nones", "noexterns")) {
        Table t = instance.table(table);
        assertThrows(IllegalArgumentException.class, () -> t.set(0, (Val.Ref) word), table);
        assertThrows(IllegalArgumentException.class, () -> t.grow(1, (Val.Ref) word), table);
        assertEquals(2, t.size(), "the refused grow left the table as it was");
        t.set(0, (Val.Ref) nullExtern);
      }
    }
  }
}
