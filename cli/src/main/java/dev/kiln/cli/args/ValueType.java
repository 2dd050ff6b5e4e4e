package dev.kiln.cli.args;

import dev.kiln.runtime.tools.CommandLineFiles;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * How the text of an option value or parameter becomes a typed value. A text that is not one throws
 * {@link IllegalArgumentException} whose message says what was expected; the parser puts the
 * option's name in front of it.
 *
 * @param <T> the value's type
 */
@FunctionalInterface
public interface ValueType<T> {
  T parse(String text);

  /** The text as written. */
  ValueType<String> STRING = text -> text;

  /** A file system path (not checked for existence: the command reports a missing file itself). */
  ValueType<Path> PATH = text -> {
    try {
      return Path.of(text);
    } catch (InvalidPathException e) {
      throw new IllegalArgumentException("'" + text + "' is not a path: " + e.getReason());
    }
  };

  /**
   * A file to read: a path that names no directory (reading one fails with no path in the message)
   * and nothing else the runtime would not read as input ({@link CommandLineFiles#requireRegularFile}):
   * a FIFO with no writer would hang the command at opening it, a device such as {@code /dev/zero}
   * would fill the heap, and a kernel interface such as {@code /proc/kmsg} would block its read. Every
   * command's input file is checked here, so none can forget it; a missing file is still the
   * command's to report, when it reads it.
   */
  ValueType<Path> INPUT_FILE = text -> {
    Path path = PATH.parse(text);
    if (Files.isDirectory(path)) {
      throw new IllegalArgumentException("'" + text + "' is a directory, not a file");
    }
    if (text.endsWith("/")) {
      // Path.of drops the slash, which names a directory (POSIX path resolution): the shell's
      // "cat app.wasm/" fails with ENOTDIR, and so must this, not read app.wasm.
      throw new IllegalArgumentException("'" + text + "' names a directory (it ends in /), not a file");
    }
    if (Files.exists(path)) {
      try {
        CommandLineFiles.requireRegularFile(path, "input");
      } catch (FileSystemException e) {
        throw new IllegalArgumentException("'" + text + "': " + e.getReason());
      } catch (IOException e) {
        throw new IllegalArgumentException("'" + text + "': " + e.getMessage());
      }
    }
    return path;
  };

  /** A folder, or a file to read as {@link #INPUT_FILE} takes it. */
  ValueType<Path> INPUT_FILE_OR_DIRECTORY = text -> {
    Path path = PATH.parse(text);
    return Files.isDirectory(path) ? path : INPUT_FILE.parse(text);
  };

  /** A decimal int, with an optional sign. */
  ValueType<Integer> INT = text -> {
    try {
      return Integer.parseInt(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an integer");
    }
  };

  /** A decimal long, with an optional sign. */
  ValueType<Long> LONG = text -> {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text + "' is not an integer");
    }
  };

  /** {@code true} or {@code false}, in any case. */
  ValueType<Boolean> BOOLEAN = text -> switch (text.toLowerCase(Locale.ROOT)) {
    case "true" -> true;
    case "false" -> false;
    default -> throw new IllegalArgumentException("'" + text + "' is not true or false");
  };

  /** One of {@code type}'s constants, by its exact name. */
  static <E extends Enum<E>> ValueType<E> oneOf(Class<E> type) {
    return text -> {
      for (E constant : type.getEnumConstants()) {
        if (constant.name().equals(text)) {
          return constant;
        }
      }
      throw new IllegalArgumentException("'" + text + "' is not one of " + Arrays.stream(type.getEnumConstants())
          .map(Enum::name).collect(Collectors.joining(", ")));
    };
  }
}
