package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln run} printing GC results truthfully (red team 8 F6: a {@code (ref $s)} result printed
 * {@code funcref@0x1}): a struct as its store's handle number, never an address or a funcref; an
 * i31 as its value; the export list with each precise type.
 */
class RunGcResultTest {
  private static final String MODULE = """
      (module
        (type $s (struct (field i32)))
        (func (export "s") (result (ref $s)) (struct.new $s (i32.const 1)))
        (func (export "a") (result anyref) (ref.i31 (i32.const 5)))
        (func (export "e") (result externref) (extern.convert_any (struct.new $s (i32.const 1))))
        (func (export "n") (result nullref) (ref.null none)))
      """;

  @TempDir Path dir;

  private String run(String... args) throws IOException {
    return run(0, args);
  }

  private String run(int expectedExit, String... args) throws IOException {
    Path file = Files.writeString(dir.resolve("ret.wat"), MODULE);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    String[] all = new String[args.length + 2];
    all[0] = "run";
    all[1] = file.toString();
    System.arraycopy(args, 0, all, 2, args.length);
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), all);
    assertEquals(expectedExit, exit, err.toString());
    return out.toString().strip() + err.toString().strip();
  }

  @Test
  void resultsPrintAsWhatTheyAre() throws IOException {
    assertEquals("structref#1", run("--invoke", "s"));
    assertEquals("i31ref:5", run("--invoke", "a"));
    assertEquals("externref(structref#1)", run("--invoke", "e"));
    assertEquals("null", run("--invoke", "n"));
  }

  @Test
  void theExportListGivesPreciseTypes() throws IOException {
    String list = run(2); // no --invoke: the list of what to call, as a usage error
    assertTrue(list.contains("  s () -> ((ref struct:"), list);
    assertTrue(list.contains("  a () -> (anyref)"), list);
    assertTrue(list.contains("  n () -> (nullref)"), list);
  }
}
