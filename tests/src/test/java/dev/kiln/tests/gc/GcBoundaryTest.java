package dev.kiln.tests.gc;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.Features;
import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Where GC and exception references may cross a module's boundary: everywhere, since the store
 * checks every reference Java hands in against the slot's precise type (NativeStore.checkReference;
 * the attacks through the public API are runtime's GcBoundaryApiTest and ExnHostFunctionApiTest):
 * imports and exports of abstract and concrete GC types, functions of struct types escaping through
 * tables, functions, tags, globals and tables of exn types. An invalid module is still invalid.
 */
class GcBoundaryTest {
  private static byte[] wasm(String body) {
    return Wat.toBinaryWithNames("(module " + body + ")", "gc.wat");
  }

  @Test
  void exportsOfAbstractGcReferencesAreAccepted() {
    assertDoesNotThrow(() -> Wasm.load(wasm("""
        (func (export "f") (param (ref i31) eqref) (result anyref (ref null none) structref)
          (local.get 0) (ref.null none) (ref.null struct))
        (global (export "g") (ref i31) (ref.i31 (i32.const 1)))
        (table (export "t") 1 anyref)"""), Features.ALL));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "(import \"m\" \"g\" (global (ref i31)))",
      "(import \"m\" \"f\" (func (param anyref)))",
      "(import \"m\" \"t\" (table 1 eqref))"})
  void importsOfGcReferencesAreAccepted(String module) {
    assertDoesNotThrow(() -> Wasm.load(wasm(module), Features.ALL));
  }

  /**
   * call_indirect compares canonical type ids, so a function of a type with GC references may sit
   * in a table and be called through it; one of a concrete struct type too (the host calling it
   * through the table has its arguments checked against the precise parameter types).
   */
  @Test
  void aFunctionOfAGcTypeMayEscape() {
    assertDoesNotThrow(() -> Wasm.load(wasm("(type $t (func (param anyref))) (func $f (type $t)) (table 1 funcref)"
        + " (elem (i32.const 0) func $f)"
        + " (func (call_indirect (type $t) (ref.null any) (i32.const 0)))"), Features.ALL));
    assertDoesNotThrow(() -> Wasm.load(wasm("(type $s (struct)) (func $f (param (ref null $s))) (table 1 funcref)"
        + " (elem (i32.const 0) func $f) (func (export \"g\") (result funcref) (ref.func $f))"), Features.ALL));
  }

  /**
   * An exn reference may cross every boundary: a parameter or a result of a function the host calls
   * or an imported one, a parameter of an exported or imported tag, the type of an exported or
   * imported global or table (each one handed in, an argument, a host function's result, a
   * host-thrown payload value, a global or table write, is checked against the store's exception
   * objects).
   */
  @Test
  void exnReferencesCrossEveryBoundary() {
    assertDoesNotThrow(() -> Wasm.load(wasm("""
        (import "m" "g" (global (mut exnref))) (import "m" "i" (global (ref exn)))
        (import "m" "n" (table 1 nullexnref))
        (import "m" "f" (func (param (ref exn)) (result exnref nullexnref)))
        (import "m" "t" (tag (param exnref))) (table (export "x") 1 exnref)
        (func (export "f") (param exnref nullexnref) (result exnref nullexnref) (ref.null exn) (ref.null noexn))
        (func $g (param exnref)) (table $f 1 funcref) (elem (table $f) (i32.const 0) func $g)
        (tag (export "t") (param i32 exnref nullexnref))
        (global (export "g") (mut exnref) (ref.null exn)) (global (export "h") nullexnref (ref.null noexn))"""),
        Features.ALL));
  }

  /** A tag is matched by its canonical type, so a tag of a typed function reference links and exports. */
  @Test
  void aTagOfATypedFunctionReferenceIsAccepted() {
    assertDoesNotThrow(() -> Wasm.load(wasm("(type $f (func)) (tag (export \"t\") (param (ref null $f)))"),
        Features.ALL));
  }

  /**
   * What the host could hand in where compiled code dereferences it after a null check only (a
   * parameter, a mutable global, a table of a concrete struct or array type) is accepted: the store
   * checks each value the host hands in by its header's type id.
   */
  @ParameterizedTest
  @ValueSource(strings = {
      "(type $s (struct (field i32))) (func (export \"f\") (param (ref null $s)) (result i32)"
          + " (struct.get $s 0 (local.get 0)))",
      "(type $a (array (mut i8))) (global (export \"g\") (mut (ref null $a)) (ref.null $a))",
      "(type $s (struct)) (table (export \"t\") 1 (ref null $s))"})
  void aConcreteObjectTheHostCouldHandInIsAccepted(String module) {
    assertDoesNotThrow(() -> Wasm.load(wasm(module), Features.ALL));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "(type $s (struct (field i32))) (func (drop (struct.new $s (i32.const 1))))",
      "(type $a (array i8)) (func (drop (array.new_default $a (i32.const 4))))",
      "(type $a (array i8)) (func (param (ref $a)) (result i32) (array.len (local.get 0)))",
      "(type $s (struct)) (global (export \"g\") (ref $s) (struct.new $s))",
      "(type $s (struct)) (func (export \"f\") (result (ref $s)) (struct.new $s))",
      "(type $t (func)) (func (param funcref) (result i32) (ref.test (ref $t) (local.get 0)))"})
  void theHeapsInstructionsAndWhatOnlyComesOutAreAccepted(String module) {
    assertDoesNotThrow(() -> Wasm.load(wasm(module), Features.ALL));
  }

  @Test
  void anInvalidModuleWithHeapInstructionsIsStillInvalid() {
    // struct.set of an immutable field: invalid, whatever Kiln lacks to run it
    InvalidException e = assertThrows(InvalidException.class, () -> Wasm.load(wasm(
        "(type $s (struct (field i32))) (func (param (ref $s)) (struct.set $s 0 (local.get 0) (i32.const 1)))"),
        Features.ALL));
    assertTrue(e.getMessage().contains("field is immutable"), e.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // a packed field is read with get_s or get_u
      "(type $s (struct (field i8))) (func (param (ref $s)) (result i32) (struct.get $s 0 (local.get 0)))",
      // a cast across hierarchies
      "(func (param externref) (result i32) (ref.test (ref any) (local.get 0)))",
      // i31.get of an eqref
      "(func (param eqref) (result i32) (i31.get_u (local.get 0)))",
      // br_on_cast whose target is not below its source
      "(func (param eqref) (block (result anyref) (br_on_cast 0 eqref anyref (local.get 0)) (drop) (ref.null any)) (drop))",
      // a call_indirect through a struct type
      "(type $s (struct)) (table 1 funcref) (func (call_indirect (type $s) (i32.const 0)))"})
  void gcTypingRulesHold(String module) {
    assertThrows(InvalidException.class, () -> Wasm.load(wasm(module), Features.ALL));
  }
}
