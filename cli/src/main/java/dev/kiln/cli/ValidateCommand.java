package dev.kiln.cli;

import dev.kiln.cli.args.CommandSpec;
import dev.kiln.cli.args.CommandSpec.ExitStatus;
import dev.kiln.cli.args.ParameterSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.Subcommand;
import dev.kiln.cli.args.ValueType;
import dev.kiln.runtime.KilnException;
import dev.kiln.runtime.WasmModule;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code kiln validate FILE.wasm}: decodes and validates ({@link WasmModule#validate}); prints {@code ok}, or {@code FILE:
 * malformed|invalid: at 0x..: reason} and exits 1. A missing file is reported by {@link
 * UserErrorHandler} (exit 1).
 */
final class ValidateCommand implements Subcommand {
  private static final ParameterSpec<Path> FILE =
      ParameterSpec.one("FILE.wasm", ValueType.INPUT_FILE, "the module to check (.wasm, or .wat text)");

  private static final CommandSpec SPEC = new CommandSpec("validate",
      List.of("Decode and validate a WebAssembly binary (spec sections 5 and 3); a .wat text module is"
              + " read into its binary first, and a malformed one is reported as 'error: FILE:LINE:COLUMN: reason'.",
          "Prints 'ok', or 'FILE: malformed: at 0xOFFSET: reason' (not a module in the binary format)"
              + " or 'FILE: invalid: at 0xOFFSET (function N): reason' (decodes but breaks a validation rule)."),
      List.of(), List.of(FILE),
      List.of(new ExitStatus("0", "valid"), new ExitStatus("1", "malformed, invalid or unreadable")), List.of());

  @Override
  public CommandSpec spec() {
    return SPEC;
  }

  @Override
  public int run(ParsedArgs args, PrintWriter out, PrintWriter err) throws IOException {
    Path file = args.get(FILE);
    byte[] bytes = ModuleSource.read(file);
    try {
      WasmModule.validate(bytes);
    } catch (KilnException e) {
      // The API's message starts with the verdict: "malformed: ...", "invalid: ...".
      out.println(file + ": " + e.getMessage());
      out.flush();
      return 1;
    }
    out.println("ok");
    out.flush();
    return 0;
  }
}
