package dev.kiln.cli;

import dev.kiln.wasm.InvalidException;
import dev.kiln.wasm.MalformedException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.WasmException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code kiln validate FILE.wasm}: decodes and validates; prints {@code ok}, or {@code FILE:
 * malformed|invalid: at 0x..: reason} and exits 1. A missing file is reported by {@link
 * UserErrorHandler} (exit 1).
 */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = {
      "Decode and validate a WebAssembly binary (spec sections 5 and 3).",
      "Prints 'ok', or 'FILE: malformed: at 0xOFFSET: reason' (not a module in the binary format)"
          + " or 'FILE: invalid: at 0xOFFSET (function N): reason' (decodes but breaks a validation rule)."
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:valid", "1:malformed, invalid or unreadable"})
final class ValidateCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE.wasm", description = "the module to check")
  Path file;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    byte[] bytes = Files.readAllBytes(file);
    try {
      Wasm.load(bytes);
    } catch (WasmException e) {
      String verdict = switch (e) {
        case MalformedException _ -> "malformed";
        case InvalidException _ -> "invalid";
        default -> "rejected";
      };
      out.println(file + ": " + verdict + ": " + e.getMessage());
      out.flush();
      return 1;
    }
    out.println("ok");
    out.flush();
    return 0;
  }
}
