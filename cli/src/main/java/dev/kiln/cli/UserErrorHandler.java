package dev.kiln.cli;

import dev.kiln.runtime.KilnException;
import dev.kiln.wasm.WasmException;
import dev.kiln.wat.WatSyntaxException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NotDirectoryException;
import java.nio.file.NoSuchFileException;

/**
 * Turns the failures a user can cause (a bad module, a damaged artifact, a missing file, a heap too
 * small for the module) into one line on stderr and exit code 1. Anything else is a Kiln bug: it is reported as such, with the stack trace, and exit 70
 * (EX_SOFTWARE), so that it is never mistaken for a verdict on the input.
 */
final class UserErrorHandler {
  private UserErrorHandler() {}

  /** Reports {@code e}, which a command threw, and returns the exit status. */
  static int handle(Exception e, PrintWriter err) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof OutOfMemoryError oom) {
        return outOfMemory(oom, err); // on a compile thread, wrapped by the compiler's worker pool
      }
      if (cause instanceof StackOverflowError) {
        // A limit of the environment too: a module nested deeper than some recursion of the
        // compiler allows on its thread's stack. The input is refused, in one line.
        String where = e.getMessage() == null ? "" : e.getMessage().replace(": null", "") + ": ";
        err.println("error: " + where + "the module is nested too deeply for the compiler's thread stack"
            + " (a StackOverflowError)");
        return 1;
      }
    }
    switch (e) {
      case WasmException w -> err.println("error: " + w.getMessage());
      case KilnException k -> err.println("error: " + k.getMessage());
      case WatSyntaxException w -> err.println("error: " + w.getMessage());
      case NoSuchFileException missing when missing.getReason() == null ->
          err.println("error: no such file: " + missing.getFile());
      case UncheckedIOException io -> err.println("error: " + describe(io.getCause()));
      case IOException io -> err.println("error: " + describe(io));
      default -> {
        err.println("kiln: internal error (please report): " + e);
        e.printStackTrace(err);
        return 70;
      }
    }
    return 1;
  }

  /**
   * Whether an {@link Error} (out of memory, a stack overflow) is behind {@code e}: a failure the
   * API reports as a module it cannot compile, which {@link #handle} reports as the limit it is.
   */
  static boolean causedByError(Throwable e) {
    for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
      if (cause instanceof Error) {
        return true;
      }
    }
    return false;
  }

  /**
   * Reports an {@link OutOfMemoryError}: a limit of the environment, not a Kiln bug, so one line and
   * exit 1. When the Java heap ran out (a module too large for the heap the JVM was given, whose
   * default is a quarter of the machine's memory) the line says how to raise it; other kinds (no
   * native thread left, an array over the JVM's limit for a file over 2 GB) are named as the JVM
   * names them, since a larger heap would not help.
   */
  static int outOfMemory(OutOfMemoryError e, PrintWriter err) {
    String what = String.valueOf(e.getMessage());
    if (what.equals("Java heap space") || what.equals("GC overhead limit exceeded")) {
      err.println("error: the JVM ran out of Java heap (at most " + Runtime.getRuntime().maxMemory() / (1 << 20)
          + " MB); give it more with JAVA_TOOL_OPTIONS=-Xmx<size>, e.g. -Xmx4g");
    } else {
      err.println("error: out of memory: " + what);
    }
    return 1;
  }

  /**
   * What went wrong with a file, as the operating system put it ({@code FileSystemException} keeps
   * the path and the reason apart: "PATH: Permission denied"); never a Java class name.
   */
  static String describe(IOException io) {
    if (io instanceof FileSystemException fs && fs.getFile() != null) {
      String reason = fs.getReason() != null ? fs.getReason() : switch (fs) {
        case NoSuchFileException _ -> "no such file or directory";
        case AccessDeniedException _ -> "permission denied";
        case NotDirectoryException _ -> "not a directory";
        case FileAlreadyExistsException _ -> "already exists";
        case DirectoryNotEmptyException _ -> "directory not empty";
        default -> "cannot be used";
      };
      return fs.getFile() + (fs.getOtherFile() != null ? " -> " + fs.getOtherFile() : "") + ": " + reason;
    }
    return io.getMessage() != null ? io.getMessage() : "input or output failed";
  }
}
