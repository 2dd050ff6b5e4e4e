package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * GC programs whose functions of concrete struct types escape, are exported and are imported from
 * other instances (a Kotlin/Wasm-style vtable: call_ref and call_indirect with struct parameters),
 * on both targets (AArch64 under Unicorn on an x86-64 host), and what an attacker holding the public
 * API tries at that boundary: a struct of another type, a forged word, an object of another store
 * as an argument, a global or table slot; a funcref of another type in a precise table; a host
 * function's result that is no value of its precise type. Each is a clear error, never a crash and
 * never a value the guest trusts wrongly (spec 3.0 3.3.x: compiled code dereferences a {@code (ref
 * null $S)} after a null check only).
 */
class GcBoundaryApiTest {
  /** The module of issue 39's gap: a function of a struct parameter called through a table. */
  private static final String SIMPLE = """
      (module
        (type $S (struct (field i64)))
        (type $f (func (param (ref null $S)) (result i64)))
        (func $get (type $f) (struct.get $S 0 (local.get 0)))
        (table 1 funcref)
        (elem (i32.const 0) func $get)
        (func (export "go") (result i64)
          (call_indirect (type $f) (struct.new $S (i64.const 42)) (i32.const 0))))
      """;

  /** Shapes with a vtable of area functions taking the shape, as Kotlin/Wasm and J2CL lay out classes. */
  private static final String SHAPES = """
      (module
        (rec
          (type $Shape (sub (struct (field $vt (ref $VT)) (field $side i64))))
          (type $area (func (param (ref null $Shape)) (result i64)))
          (type $VT (struct (field (ref $area)))))
        (type $Other (struct (field i64)))
        (func $square (type $area) (i64.mul (struct.get $Shape 1 (local.get 0)) (struct.get $Shape 1 (local.get 0))))
        (func $segment (type $area) (struct.get $Shape 1 (local.get 0)))
        (table $vtables (export "vtables") 2 funcref)
        (elem (table $vtables) (i32.const 0) func $square $segment)
        (table (export "shapes") 1 (ref null $Shape))
        (global (export "shape") (mut (ref null $Shape)) (ref.null $Shape))
        (func $make (export "make") (param $side i64) (param $kind i32) (result (ref $Shape))
          (struct.new $Shape (struct.new $VT (ref.cast (ref $area) (table.get $vtables (local.get $kind))))
            (local.get $side)))
        (func (export "other") (result (ref $Other)) (struct.new $Other (i64.const 7)))
        (func $area (export "area") (type $area)
          (call_ref $area (local.get 0) (struct.get $VT 0 (struct.get $Shape 0 (local.get 0)))))
        (func (export "viaCallRef") (param i64 i32) (result i64)
          (call $area (call $make (local.get 0) (local.get 1))))
        (func (export "viaCallIndirect") (param i64 i32) (result i64)
          (call_indirect $vtables (type $area) (call $make (local.get 0) (local.get 1)) (local.get 1)))
        (func (export "globalArea") (result i64) (call $area (global.get 0)))
        (func (export "tableArea") (result i64) (call $area (table.get 1 (i32.const 0)))))
      """;

  /** Imports SHAPES' area function and make by the same recursion group, defined again (iso-recursive). */
  private static final String CLIENT = """
      (module
        (rec
          (type $Shape (sub (struct (field $vt (ref $VT)) (field $side i64))))
          (type $area (func (param (ref null $Shape)) (result i64)))
          (type $VT (struct (field (ref $area)))))
        (import "shapes" "area" (func $area (type $area)))
        (import "shapes" "make" (func $make (param i64 i32) (result (ref $Shape))))
        (import "shapes" "shape" (global $g (mut (ref null $Shape))))
        (func (export "twice") (param i64) (result i64)
          (global.set $g (call $make (local.get 0) (i32.const 0)))
          (i64.add (call $area (global.get $g)) (call_ref $area (global.get $g) (ref.func $area))))
        (elem declare func $area))
      """;

  /** Imports area by a recursion group of another shape ($side an i32): not the same type. */
  private static final String WRONG_CLIENT = """
      (module
        (rec
          (type $Shape (sub (struct (field $vt (ref $VT)) (field $side i32))))
          (type $area (func (param (ref null $Shape)) (result i64)))
          (type $VT (struct (field (ref $area)))))
        (import "shapes" "area" (func $area (type $area))))
      """;

  /** Imports SHAPES' area function alone, which no host function can stand for. */
  private static final String AREA_CLIENT = """
      (module
        (rec
          (type $Shape (sub (struct (field $vt (ref $VT)) (field $side i64))))
          (type $area (func (param (ref null $Shape)) (result i64)))
          (type $VT (struct (field (ref $area)))))
        (import "shapes" "area" (func $area (type $area))))
      """;

  /** A table of functions of another struct parameter, where the host may put a funcref. */
  private static final String OTHER_TABLE = """
      (module
        (type $T (struct (field f64)))
        (type $g (func (param (ref null $T)) (result i64)))
        (table (export "t") 1 (ref null $g)))
      """;

  /** A host function of externref whose word the guest converts and tests for an i31. */
  private static final String EXTERN_RESULT = """
      (module
        (import "h" "word" (func $word (result externref)))
        (func (export "isI31") (result i32) (ref.test (ref i31) (any.convert_extern (call $word)))))
      """;

  private static WasmModule compile(Engine engine, String wat) {
    return WasmModule.compile(engine, Wat.toBinaryWithNames(wat, "gc-boundary.wat"));
  }

  private static Engine engine(Target target) {
    return Engine.builder().target(target).build();
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aFunctionOfAStructParameterIsCalledThroughItsTable(Target target) {
    Engine engine = engine(target);
    try (WasmModule module = compile(engine, SIMPLE); Store store = new Store(engine)) {
      assertEquals(List.of(Val.i64(42)), new Linker(store).instantiate(module).func("go").call());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void vtableDispatchRunsThroughCallRefCallIndirectAndAnotherInstance(Target target) {
    Engine engine = engine(target);
    try (WasmModule shapes = compile(engine, SHAPES); WasmModule client = compile(engine, CLIENT);
        Store store = new Store(engine)) {
      Linker linker = new Linker(store);
      Instance instance = linker.instantiate(shapes);
      assertEquals(List.of(Val.i64(36)), instance.func("viaCallRef").call(Val.i64(6), Val.i32(0)));
      assertEquals(List.of(Val.i64(6)), instance.func("viaCallRef").call(Val.i64(6), Val.i32(1)));
      assertEquals(List.of(Val.i64(49)), instance.func("viaCallIndirect").call(Val.i64(7), Val.i32(0)));
      assertEquals(List.of(Val.i64(7)), instance.func("viaCallIndirect").call(Val.i64(7), Val.i32(1)));
      // a struct the host got from the guest goes back as a parameter, a global, a table slot
      Val square = instance.func("make").call(Val.i64(5), Val.i32(0)).getFirst();
      assertEquals(List.of(Val.i64(25)), instance.func("area").call(square));
      instance.global("shape").set(square);
      assertEquals(List.of(Val.i64(25)), instance.func("globalArea").call());
      instance.table("shapes").set(0, square);
      assertEquals(List.of(Val.i64(25)), instance.func("tableArea").call());

      linker.define("shapes", "area", instance.func("area")).define("shapes", "make", instance.func("make"))
          .define("shapes", "shape", instance.global("shape"));
      assertEquals(List.of(Val.i64(18)), linker.instantiate(client).func("twice").call(Val.i64(3)));
      assertEquals(List.of(Val.i64(9)), instance.func("globalArea").call(), "the client set the shared global");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aStructOfAnotherTypeAForgedWordOrAForeignObjectIsRefusedOnEveryWayIn(Target target) {
    Engine engine = engine(target);
    try (WasmModule module = compile(engine, SHAPES); Store store = new Store(engine);
        Store elsewhere = new Store(engine)) {
      Instance instance = new Linker(store).instantiate(module);
      Val other = instance.func("other").call().getFirst();
      Val forged = new Val.Ref(ValType.ANYREF, 0x7000_0000L);
      Val foreign = new Linker(elsewhere).instantiate(module).func("make").call(Val.i64(2), Val.i32(0)).getFirst();
      for (Val bad : List.of(other, forged, foreign)) {
        assertThrows(IllegalArgumentException.class, () -> instance.func("area").call(bad), bad.toString());
        assertThrows(IllegalArgumentException.class, () -> instance.global("shape").set(bad), bad.toString());
        assertThrows(IllegalArgumentException.class, () -> instance.table("shapes").set(0, bad), bad.toString());
        assertThrows(IllegalArgumentException.class, () -> instance.table("shapes").grow(1, bad), bad.toString());
      }
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> instance.func("area").call(other));
      assertTrue(e.getMessage().startsWith("a struct of another type where (ref null "), e.getMessage());
      assertEquals(1, instance.table("shapes").size(), "no refused grow changed the table");
      Trap nullShape = assertThrows(Trap.class, () -> instance.func("globalArea").call());
      assertEquals("null structure reference", nullShape.reason(), "the refused writes left the global null");
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void anEscapedFunctionGoesOnlyWhereItsTypeIsASubtype(Target target) {
    Engine engine = engine(target);
    try (WasmModule shapes = compile(engine, SHAPES); WasmModule others = compile(engine, OTHER_TABLE);
        WasmModule wrong = compile(engine, WRONG_CLIENT); Store store = new Store(engine)) {
      Linker linker = new Linker(store);
      Instance instance = linker.instantiate(shapes);
      Val square = instance.table("vtables").get(0);
      Table table = linker.instantiate(others).table("t");
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> table.set(0, square));
      assertTrue(e.getMessage().startsWith("a function of another type where "), e.getMessage());
      KilnException link = assertThrows(KilnException.class,
          () -> linker.define("shapes", "area", instance.func("area")).instantiate(wrong));
      assertTrue(link.getMessage().contains("incompatible import type"), link.getMessage());
    }
  }

  @ParameterizedTest
  @EnumSource(Target.class)
  void aHostFunctionsResultIsCheckedAgainstItsPreciseType(Target target) {
    Engine engine = engine(target);
    try (WasmModule module = compile(engine, EXTERN_RESULT); WasmModule client = compile(engine, AREA_CLIENT);
        Store store = new Store(engine)) {
      long[] word = {0x1_0000_0001L};
      Linker linker = new Linker(store).func("h", "word", FuncType.of(List.of(), List.of(ValType.EXTERNREF)),
          (caller, args) -> List.of(new Val.Ref(ValType.EXTERNREF, word[0])));
      Instance instance = linker.instantiate(module);
      // an odd word with high bits set would pass ref.test i31 yet compare unequal to that i31
      Trap trap = assertThrows(Trap.class, () -> instance.func("isI31").call());
      IllegalArgumentException cause = assertInstanceOf(IllegalArgumentException.class, trap.getCause());
      assertTrue(cause.getMessage().startsWith("a reference Java cannot give where "), cause.getMessage());
      word[0] = 3;
      assertEquals(List.of(Val.i32(1)), instance.func("isI31").call(), "the canonical word of i31 1");
      word[0] = 0x7000_0000L;
      assertEquals(List.of(Val.i32(0)), instance.func("isI31").call(), "a host word is no i31");

      // a host function has WebAssembly 2.0 types: it cannot stand where a struct type is imported
      Linker hostShapes = new Linker(store)
          .func("shapes", "area", FuncType.of(List.of(ValType.EXTERNREF), List.of(ValType.I64)),
              (caller, args) -> List.of(Val.i64(0)));
      KilnException link = assertThrows(KilnException.class, () -> hostShapes.instantiate(client));
      assertTrue(link.getMessage().contains("incompatible import type"), link.getMessage());
      assertThrows(IllegalArgumentException.class, () -> new Linker(store).func("h", "s",
          FuncType.precise(List.of(), List.of(new RefType(true, HeapType.Abstract.STRUCT))),
          (caller, args) -> List.of()));
    }
  }
}
