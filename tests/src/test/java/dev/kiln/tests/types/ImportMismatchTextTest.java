package dev.kiln.tests.types;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.WasmModule;
import dev.kiln.wat.Wat;
import org.junit.jupiter.api.Test;

/**
 * An import whose type does not match names both types by their shape, never by Kiln's internal
 * canonical names (issue 35): those were "canon" and an identity hash, a name nothing in the user's
 * module has.
 */
class ImportMismatchTextTest {
  @Test
  void aMismatchedTypedImportNamesTheTypesByShape() {
    Engine engine = Engine.create();
    try (Store store = new Store(engine)) {
      Instance exporter = new Linker(store).instantiate(WasmModule.compile(engine, Wat.toBinary("""
          (module
            (type $t (func (param i32)))
            (global (export "g") (ref null $t) (ref.null $t))
            (func (export "f") (param (ref null $t))))
          """, "exporter.wat")));
      KilnException global = assertThrows(KilnException.class, () -> new Linker(store)
          .define("a", "g", exporter.global("g"))
          .instantiate(WasmModule.compile(engine, Wat.toBinary("""
              (module (type $u (func (param i64 i64) (result i32))) (import "a" "g" (global (ref null $u))))
              """, "importer.wat"))));
      assertEquals("incompatible import type: \"a\" \"g\" (global): expected (ref null (type func of 2 params and 1 results)),"
          + " got (ref null (type func of 1 params and 0 results))", global.getMessage());
      KilnException function = assertThrows(KilnException.class, () -> new Linker(store)
          .define("a", "f", exporter.func("f"))
          .instantiate(WasmModule.compile(engine, Wat.toBinary("""
              (module (type $u (func (param i64))) (import "a" "f" (func (param (ref null $u)))))
              """, "importer.wat"))));
      // The import's own type by its index in the importing module, the export's by its shape.
      assertEquals("incompatible import type: \"a\" \"f\" (function): expected [(ref null 0)] -> [], got"
          + " [(ref null (type func of 1 params and 0 results))] -> [] (a type that is not a subtype of it)",
          function.getMessage());
    }
  }
}
