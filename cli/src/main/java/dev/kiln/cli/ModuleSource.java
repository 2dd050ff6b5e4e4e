package dev.kiln.cli;

import dev.kiln.runtime.tools.CommandLineFiles;
import dev.kiln.wat.Wat;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The module a command line names, as binary: a {@code .wasm} as it is, a text module ({@code
 * .wat}, spec 6) encoded by Kiln's own text reader, its identifiers kept in a name section so that
 * backtraces and {@code kiln objdump} name functions as the text does. A file is text when its name ends in {@code
 * .wat}, or when it does not start with the binary magic {@code \0asm} (spec 5.5.16) and is UTF-8;
 * anything else is handed on as a binary, so the decoder names what is wrong with it.
 */
final class ModuleSource {
  private ModuleSource() {}

  /**
   * The module's binary, read from {@code file} ({@link CommandLineFiles#read}: a regular file only).
   *
   * @throws dev.kiln.wat.WatSyntaxException when a text module is malformed: {@code
   *     file:line:column: reason}
   */
  static byte[] read(Path file) throws IOException {
    return binary(file, CommandLineFiles.read(file, "a module"));
  }

  /**
   * The module's binary, given the whole {@code content} of {@code file}: encoded if it is text, as
   * it is otherwise.
   *
   * @throws dev.kiln.wat.WatSyntaxException when a text module is malformed
   */
  static byte[] binary(Path file, byte[] content) {
    return isText(file, content) ? Wat.toBinaryWithNames(Wat.decode(content, file.toString()), file.toString())
        : content;
  }

  /** Whether {@code content}, the whole file, is read as a text module. */
  static boolean isText(Path file, byte[] content) {
    if (namedText(file)) {
      return true;
    }
    return !CommandLineFiles.startsWithWasmMagic(content) && isUtf8(content);
  }

  /**
   * Whether {@code file} may be a text module, so that it is worth reading whole to find out ({@link
   * #isText}): named {@code .wat}, or starting as text can. Past white space (space, tab, line feed,
   * carriage return: spec 6.2, Lexical Format), a module, a module field or a block comment starts
   * with {@code (} and a line comment with {@code ;}; white space alone is an empty module (its
   * fields alone, none: spec 6.6, Modules). The white space is read through, not kept, so a file of
   * neither kind is refused from its first other byte, not after a gigabyte has been read and decoded.
   */
  static boolean mayBeText(Path file) throws IOException {
    if (namedText(file)) {
      return true;
    }
    try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
      for (int b = in.read(); b >= 0; b = in.read()) {
        if (b != ' ' && b != '\t' && b != '\n' && b != '\r') {
          return b == '(' || b == ';';
        }
      }
      return true;
    }
  }

  private static boolean namedText(Path file) {
    return file.getFileName() != null && file.getFileName().toString().endsWith(".wat");
  }

  private static boolean isUtf8(byte[] content) {
    try {
      StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
