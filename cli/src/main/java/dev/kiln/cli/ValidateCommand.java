package dev.kiln.cli;

import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.WasmException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code kiln validate FILE.wasm}: decodes and validates; prints {@code ok} or the error. */
@Command(
    name = "validate",
    mixinStandardHelpOptions = true,
    description = "Decode and validate a WebAssembly binary; print 'ok' or the first error with its offset.")
final class ValidateCommand implements Callable<Integer> {
  @Parameters(paramLabel = "FILE.wasm", description = "the module to check")
  Path file;

  @Override
  public Integer call() throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      Wasm.load(bytes);
    } catch (WasmException e) {
      System.out.println(file + ": " + (e instanceof dev.kiln.wasm.MalformedException ? "malformed: " : "invalid: ")
          + e.getMessage());
      return 1;
    }
    System.out.println("ok");
    return 0;
  }
}
