package dev.kiln.cli;

import dev.kiln.runtime.FuncType;
import dev.kiln.runtime.Instance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

/**
 * What {@code kiln run} says about a module it was given neither {@code --invoke} nor a {@code
 * _start} to call: the functions it exports, with their types, so the next command can name one.
 */
final class ExportList {
  private ExportList() {}

  /**
   * Lists {@code instance}'s exported functions on {@code err}, e.g. {@code fac (i64) -> (i64)}.
   *
   * @return whether there were any (a module that exports none ran its start function and is done)
   */
  static boolean print(Path file, Instance instance, PrintWriter err) {
    List<String> functions = instance.exports().stream()
        .filter(e -> e.type() instanceof FuncType)
        .map(e -> "  " + e.name() + " " + text((FuncType) e.type()))
        .toList();
    if (functions.isEmpty()) {
      return false;
    }
    err.println(file + " has no _start (a WASI command's entry); call an export with --invoke NAME [ARGS...]:");
    functions.forEach(err::println);
    return true;
  }

  /**
   * A function type as the text format writes it: {@code (i32 i32) -> (i32)}, a reference by its
   * precise type ({@code (ref struct:3)}, {@link FuncType#toString()}).
   */
  private static String text(FuncType type) {
    return type.toString();
  }
}
