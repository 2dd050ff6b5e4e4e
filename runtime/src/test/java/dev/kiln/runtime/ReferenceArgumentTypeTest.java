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
 * guest's {@code ref.is_null} contradicts. Nor does a word from Java pass for a struct, an array or
 * an i31 it is not: compiled code dereferences an {@code arrayref} ({@code array.len}) and compares
 * i31s by their bits (red team 8 F1, F3).
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

  private static final String OBJECTS = """
      (module
        (table $arrays (export "arrays") 1 arrayref)
        (global (export "gstruct") (mut structref) (ref.null struct))
        (global (export "geq") (mut eqref) (ref.null eq))
        (func (export "len") (param arrayref) (result i32) (array.len (local.get 0)))
        (func (export "is_struct") (param structref) (result i32) (ref.is_null (local.get 0)))
        (func (export "i31") (param i31ref) (result i32) (i31.get_u (local.get 0)))
        (func (export "same_i31") (param eqref) (result i32) (ref.eq (local.get 0) (ref.i31 (i32.const 0))))
        (func (export "any_is_i31") (param anyref) (result i32) (ref.test (ref i31) (local.get 0))))
      """;

  @Test
  void aHostWordNeverPassesForAnObjectOrAnI31() {
    Engine engine = Engine.create();
    try (WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(OBJECTS, "objects.wat"));
        Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(module);
      Val.Ref host = new Val.Ref(ValType.ANYREF, 0x7000_0000L);
      Val.Ref highI31 = new Val.Ref(ValType.ANYREF, 0x1_0000_0001L);
      for (String objectParam : List.of("len", "is_struct")) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> instance.func(objectParam).call(host), objectParam);
        assertTrue(e.getMessage().startsWith("a reference Java cannot give where "), e.getMessage());
      }
      assertThrows(IllegalArgumentException.class, () -> instance.table("arrays").set(0, host));
      assertThrows(IllegalArgumentException.class, () -> instance.table("arrays").grow(1, host));
      assertThrows(IllegalArgumentException.class, () -> instance.global("gstruct").set(host));
      assertThrows(IllegalArgumentException.class, () -> instance.global("geq").set(host));
      assertThrows(IllegalArgumentException.class, () -> instance.func("i31").call(host));
      assertThrows(IllegalArgumentException.class, () -> instance.func("same_i31").call(highI31));
      assertThrows(IllegalArgumentException.class, () -> instance.func("any_is_i31").call(highI31));

      Val.Ref zero = new Val.Ref(ValType.ANYREF, 1L);
      assertEquals(List.of(Val.i32(1)), instance.func("same_i31").call(zero), "the canonical word of i31 0");
      assertEquals(List.of(Val.i32(0)), instance.func("i31").call(zero));
      assertEquals(List.of(Val.i32(0)), instance.func("any_is_i31").call(host), "a host word is no i31");
      instance.global("geq").set(zero);
    }
  }

  @Test
  void whatTheTypeForbidsIsRefusedOnEveryWayIn() {
    Engine engine = Engine.create();
    try (WasmModule module = WasmModule.compile(engine, dev.kiln.wat.Wat.toBinaryWithNames(MODULE, "refs.wat"));
        Store store = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(module);
      for (String nonNullable : List.of("structnn", "i31nn", "externnn", "anynn")) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> instance.func(nonNullable).call(Val.nullRef(hierarchy(nonNullable))), nonNullable);
        assertTrue(e.getMessage().startsWith("null where a non-nullable (ref "), e.getMessage());
      }
      for (String onlyNull : List.of("none", "noextern")) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> instance.func(onlyNull).call(word(onlyNull)), onlyNull);
        assertTrue(e.getMessage().startsWith("a non-null reference where "), e.getMessage());
        assertEquals(List.of(Val.i32(1)), instance.func(onlyNull).call(Val.nullRef(hierarchy(onlyNull))),
            "null is its value");
      }
      assertEquals(List.of(Val.i32(1)), instance.func("nofunc").call(Val.nullRef(ValType.FUNCREF)));
      assertEquals(List.of(Val.i32(0)), instance.func("anyref").call(new Val.Ref(ValType.ANYREF, 0x1000L)),
          "anyref takes a host word");
      assertEquals(List.of(Val.i32(1)), instance.func("anyref").call(Val.nullRef(ValType.ANYREF)));
      IllegalArgumentException wrongHierarchy = assertThrows(IllegalArgumentException.class,
          () -> instance.func("anyref").call(Val.nullRef(ValType.EXTERNREF)));
      assertEquals("argument 0 is a EXTERNREF, the parameter a anyref", wrongHierarchy.getMessage());

      assertThrows(IllegalArgumentException.class, () -> instance.global("gi31").set(Val.nullRef(ValType.ANYREF)));
      assertThrows(IllegalArgumentException.class, () -> instance.global("gnone").set(word("gnone")));
      instance.global("gnone").set(Val.nullRef(ValType.ANYREF));
      for (String table : List.of("nones", "noexterns")) {
        Table t = instance.table(table);
        assertThrows(IllegalArgumentException.class, () -> t.set(0, word(table)), table);
        assertThrows(IllegalArgumentException.class, () -> t.grow(1, word(table)), table);
        assertEquals(2, t.size(), "the refused grow left the table as it was");
        t.set(0, Val.nullRef(hierarchy(table)));
      }
    }
  }

  /** The hierarchy of the export {@code name} of {@link #MODULE} takes: extern for the extern ones, else any. */
  private static ValType hierarchy(String name) {
    return name.contains("extern") ? ValType.EXTERNREF : ValType.ANYREF;
  }

  /** A non-null host word, an i31 with high bits set, of {@code name}'s hierarchy. */
  private static Val word(String name) {
    return new Val.Ref(hierarchy(name), 0x100000001L);
  }
}
