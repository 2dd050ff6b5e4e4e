package dev.kiln.cli;

import dev.kiln.wasm.WasmException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;

/**
 * Turns the failures a user can cause (a bad module, a missing file) into one line on stderr and
 * exit code 1. Anything else is a Kiln bug: it is reported as such, with the stack trace, and exit 70
 * (EX_SOFTWARE), so that it is never mistaken for a verdict on the input.
 */
final class UserErrorHandler {
  private UserErrorHandler() {}

  /** Reports {@code e}, which a command threw, and returns the exit status. */
  static int handle(Exception e, PrintWriter err) {
    switch (e) {
      case WasmException w -> err.println("error: " + w.getMessage());
      case NoSuchFileException missing -> err.println("error: no such file: " + missing.getFile());
      case UncheckedIOException io -> err.println("error: " + io.getCause());
      case IOException io -> err.println("error: " + io);
      default -> {
        err.println("kiln: internal error (please report): " + e);
        e.printStackTrace(err);
        return 70;
      }
    }
    return 1;
  }
}
