package dev.kiln.cli;

import dev.kiln.artifact.info.ExternKind;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.instance.Instance;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

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
    List<String> functions = instance.module().info().exports().stream()
        .filter(e -> e.kind() == ExternKind.FUNCTION)
        .map(e -> "  " + e.name() + " " + text(instance.exportedFunctionType(e.name())))
        .toList();
    if (functions.isEmpty()) {
      return false;
    }
    err.println(file + " has no _start (a WASI command's entry); call an export with --invoke NAME [ARGS...]:");
    functions.forEach(err::println);
    return true;
  }

  /** A function type as the text format writes it: {@code (i32 i32) -> (i32)}. */
  private static String text(FuncType type) {
    return "(" + names(type.params()) + ") -> (" + names(type.results()) + ")";
  }

  private static String names(List<ValType> types) {
    return types.stream().map(t -> t.name().toLowerCase(Locale.ROOT)).collect(Collectors.joining(" "));
  }
}
