package dev.kiln.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.wat.Wat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Exception tags (WebAssembly 3.0) through the API: a module's tag exports and imports have a
 * {@link TagType}, an instance's tags link into another by {@link Linker#instance}, and a tag import
 * of another payload type is refused (spec 4.5.2, tag import matching: equal types).
 */
class TagLinkingApiTest {
  private final Engine engine = Engine.create();

  private WasmModule compile(String wat) {
    return WasmModule.compile(engine, Wat.toBinaryWithNames(wat, "test.wat"));
  }

  @Test
  void tagsAreTypedExportsAndImports() {
    try (WasmModule module = compile("""
        (module
          (import "env" "e" (tag (param f64)))
          (tag (export "t") (param i32 i64))
          (export "again" (tag 0)))
        """)) {
      assertEquals(List.of(new ExportType("t", new TagType(List.of(ValType.I32, ValType.I64))),
          new ExportType("again", new TagType(List.of(ValType.F64)))), module.exports());
      assertEquals(List.of(new ImportType("env", "e", new TagType(List.of(ValType.F64)))), module.imports());
    }
  }

  @Test
  void anImportedTagMustHaveTheExportersType() {
    try (Store store = new Store(engine);
        WasmModule exporter = compile("(module (tag (export \"t\") (param i32)))");
        WasmModule same = compile("(module (import \"m\" \"t\" (tag (param i32))) (export \"t2\" (tag 0)))");
        WasmModule other = compile("(module (import \"m\" \"t\" (tag (param i64))))");
        WasmModule notATag = compile("(module (import \"m\" \"t\" (func (param i32))))")) {
      Instance tags = new Linker(store).instantiate(exporter);
      Linker linker = new Linker(store).instance("m", tags);
      linker.instantiate(same);
      KilnException wrongType = assertThrows(KilnException.class, () -> linker.instantiate(other));
      assertTrue(wrongType.getMessage().contains("incompatible import type"), wrongType.getMessage());
      KilnException wrongKind = assertThrows(KilnException.class, () -> linker.instantiate(notATag));
      assertTrue(wrongKind.getMessage().contains("incompatible import type"), wrongKind.getMessage());
    }
  }
}
