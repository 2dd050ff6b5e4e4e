package dev.kiln.tests.spec;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wasm.Features;
import dev.kiln.wasm.MissingFeature;
import dev.kiln.wasm.UnsupportedException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The boundary typed references may not cross yet (dev.kiln.wasm.validate.PlainTypes): call_ref
 * trusts a reference's static type, and the loader checks types across modules and call_indirect by
 * representation only, so every way a typed reference could reach a function that expects another
 * type with the same representation is refused as unsupported. Each module below is what an
 * attacker would write to smuggle a function of the wrong type into a call_ref: without the
 * refusal, module A's export {@code f} would call_ref whatever funcref a module importing {@code f}
 * as {@code [funcref] -> [i32]} passes it.
 */
class TypedReferenceBoundaryTest {
  private static final String CALLS_ITS_ARGUMENT = """
      (type $ii (func (param i32) (result i32)))
      (func $f (param $r (ref $ii)) (result i32) (call_ref $ii (i32.const 7) (local.get $r)))
      """;

  private static void refused(String body, String naming) {
    byte[] bytes = Wat.toBinaryWithNames("(module " + body + ")", "attack.wat");
    UnsupportedException e = assertThrows(UnsupportedException.class, () -> Wasm.load(bytes, Features.ALL));
    assertEquals(MissingFeature.FUNCTION_REFERENCES, e.feature());
    assertTrue(e.getMessage().contains(naming), e.getMessage());
  }

  @Test
  void anExportedFunctionTakingATypedReferenceIsRefused() {
    refused(CALLS_ITS_ARGUMENT + "(export \"f\" (func $f))", "export");
  }

  @Test
  void aFunctionTakingATypedReferenceMayNotEscapeIntoATable() {
    refused(CALLS_ITS_ARGUMENT + "(table 1 funcref) (elem (i32.const 0) func $f)", "reference to function");
  }

  @Test
  void aFunctionTakingATypedReferenceMayNotEscapeThroughRefFunc() {
    refused(CALLS_ITS_ARGUMENT + "(elem declare func $f) (func (drop (ref.func $f)))", "reference to function");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "(type $ii (func (param i32) (result i32))) (import \"m\" \"f\" (func (param (ref $ii)) (result i32)))",
      "(type $ii (func (param i32) (result i32))) (import \"m\" \"g\" (global (ref null $ii)))",
      "(type $ii (func (param i32) (result i32))) (import \"m\" \"t\" (table 1 (ref null $ii)))",
      "(import \"m\" \"f\" (func (result (ref func))))"})
  void importsOfTypedReferencesAreRefused(String module) {
    refused(module, "import");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "(type $ii (func (param i32) (result i32))) (global (export \"g\") (ref null $ii) (ref.null $ii))",
      "(type $ii (func (param i32) (result i32))) (table (export \"t\") 1 (ref null $ii))"})
  void exportsOfTypedReferencesAreRefused(String module) {
    refused(module, "export");
  }

  @Test
  void callIndirectOfATypeInARecGroupIsRefused() {
    // $a and $b are distinct types with one representation: an id check could not tell them apart
    refused("(rec (type $a (func (result i32))) (type $b (func (result i32))))"
        + "(table 1 funcref) (func (result i32) (call_indirect (type $a) (i32.const 0)))", "call_indirect");
  }

  @Test
  void typedReferencesInsideAModuleAreAccepted() {
    byte[] bytes = Wat.toBinaryWithNames("(module " + CALLS_ITS_ARGUMENT + """
        (func $double (type $ii) (i32.add (local.get 0) (local.get 0)))
        (elem declare func $double)
        (func (export "run") (result i32) (call $f (ref.func $double))))
        """, "inside.wat");
    assertDoesNotThrow(() -> Wasm.load(bytes, Features.ALL));
  }
}
