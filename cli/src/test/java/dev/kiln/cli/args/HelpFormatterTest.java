package dev.kiln.cli.args;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class HelpFormatterTest {
  @Test
  void usageDescriptionParametersOptionsExitCodesAndFooterInTwoColumns() {
    CommandSpec spec = new CommandSpec("compile",
        List.of("Compile a module into an artifact, which is a file the loader maps and runs."),
        List.of(OptionSpec.single("OUT", ValueType.PATH, "where to write the artifact", "-o", "--output").asRequired(),
            OptionSpec.flag("print more", "--verbose")),
        List.of(ParameterSpec.one("IN", ValueType.PATH, "the module")),
        List.of(new CommandSpec.ExitStatus("0", "compiled")), List.of("", "Example: kiln compile a.wasm -o a.cwasm"));
    assertEquals("""
        Usage: kiln compile [OPTIONS] --output=OUT IN

        Compile a module into an artifact, which is a file the loader
        maps and runs.

        Parameters:
          IN  the module

        Options:
          -o, --output=OUT  where to write the artifact
              --verbose     print more
          -h, --help        Show this help message and exit.
          -V, --version     Print version information and exit.

        Exit codes:
          0  compiled

        Example: kiln compile a.wasm -o a.cwasm
        """, new HelpFormatter(64).command("kiln compile", spec));
  }

  @Test
  void aDescriptionWrapsInItsColumnAndALongNameGetsItsOwnLine() {
    CommandSpec spec = new CommandSpec("run", List.of(),
        List.of(OptionSpec.single("HOST[::GUEST_DIRECTORY]", ValueType.STRING, "preopen a directory for the guest",
                "--dir"),
            OptionSpec.flag("x", "-x")),
        List.of(), List.of(), List.of());
    String help = new HelpFormatter(60).command("kiln run", spec);
    String column = " ".repeat(30);
    assertEquals(List.of(
        "Options:",
        "      --dir=HOST[::GUEST_DIRECTORY]",
        column + "preopen a directory for the",
        column + "guest",
        "  -x" + " ".repeat(26) + "x",
        "  -h, --help" + " ".repeat(18) + "Show this help message and",
        column + "exit.",
        "  -V, --version" + " ".repeat(15) + "Print version information and",
        column + "exit."), help.lines().dropWhile(l -> !l.equals("Options:")).toList());
  }
}
