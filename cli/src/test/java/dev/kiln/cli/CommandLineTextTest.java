package dev.kiln.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** How the command line reads: help text wrapped at word boundaries only, and {@code kiln run}'s plain answers. */
class CommandLineTextTest {
  @TempDir Path dir;

  private record Run(int exit, String out, String err) {}

  private static Run kiln(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int exit = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Run(exit, out.toString(), err.toString());
  }

  /**
   * A command description broken where the next word would still have fit is a line break written
   * into the source (the way "A .wasm\nmodule is\ncompiled" happened): picocli wraps each element
   * of a description as a paragraph of its own, so an element must be a whole paragraph. (Option
   * descriptions are single strings already, wrapped in their column.)
   */
  @Test
  void commandDescriptionsBreakLinesOnlyWhereTheNextWordDoesNotFit() {
    CommandLine main = new CommandLine(new Main());
    List<String> early = new ArrayList<>();
    for (CommandLine command : main.getSubcommands().values()) {
      int width = command.getCommandSpec().usageMessage().width();
      List<String> lines = command.getHelp().description().lines().toList();
      for (int i = 0; i + 1 < lines.size(); i++) {
        String line = lines.get(i);
        String next = lines.get(i + 1);
        String word = next.strip().split(" ", 2)[0];
        // A paragraph ends with its sentence; picocli fills lines to width - 1 columns.
        boolean endsParagraph = line.stripTrailing().endsWith(".") || line.stripTrailing().endsWith(":");
        if (!line.isBlank() && !next.isBlank() && !endsParagraph
            && line.stripTrailing().length() + 1 + word.length() < width) {
          early.add(command.getCommandName() + ": \"" + line.strip() + "\" / \"" + next.strip() + "\"");
        }
      }
    }
    assertEquals(List.of(), early);
  }

  @Test
  void runOnAFileThatIsNeitherWasmNorElfSaysSoInOneLine() throws IOException {
    Path text = Files.writeString(dir.resolve("notes.txt"), "hello, this is no module\n");
    Run run = kiln("run", text.toString());
    assertEquals(1, run.exit());
    assertEquals("error: " + text + ": neither a WebAssembly module (\\0asm) nor a .cwasm (ELF)\n", run.err());
  }

  @Test
  void runWithoutInvokeOrStartListsTheExportedFunctions() {
    Path hello = Path.of("../examples/hello.wasm");
    Run run = kiln("run", hello.toString());
    assertEquals(RunCommand.NO_EXPORT_NAMED, run.exit(), run.err());
    assertEquals("", run.out());
    assertEquals(List.of(hello + " has no _start (a WASI command's entry); call an export with --invoke NAME [ARGS...]:",
        "  add (i32 i32) -> (i32)", "  fac (i64) -> (i64)"), run.err().lines().toList());
    assertTrue(kiln("run", hello.toString(), "--invoke", "add", "2", "40").out().startsWith("42"));
  }
}
