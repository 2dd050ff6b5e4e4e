package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A guest that returns references from {@code kiln run --invoke} learns no host address from the
 * output (issue 35): a funcref prints as the store's handle, a struct or array as its object handle
 * ({@code structref#N}), any other reference by its type only.
 * Before, the word itself was printed, and for a GC object that is where the object lies in the
 * host's memory ({@code externref@0x7fc438000000}), which tells an attacker the heap's layout.
 */
class ReferenceResultTextTest {
  private static final String GUEST = """
      (module
        (type $s (struct (field i32)))
        (func $f)
        (elem declare func $f)
        (func (export "fn") (result funcref) (ref.func $f))
        (func (export "object") (result anyref) (struct.new $s (i32.const 7)))
        (func (export "none") (result anyref) (ref.null any)))
      """;

  @TempDir Path dir;

  @Test
  void referencesPrintAsHandlesOrTypesNeverAsWords() throws IOException {
    Path module = dir.resolve("refs.wat");
    Files.writeString(module, GUEST);
    String object = invoke(module, "object");
    assertEquals(true, object.matches("structref#\\d{1,6}"), object);
    assertEquals("null", invoke(module, "none"));
    String function = invoke(module, "fn");
    assertEquals(true, function.matches("funcref #\\d{1,6}"), function);
  }

  private static String invoke(Path module, String export) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), new String[] {"run", module.toString(), "--invoke", export});
    assertEquals(0, exit, err.toString());
    return out.toString().strip();
  }
}
