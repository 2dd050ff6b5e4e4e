package dev.kiln.wat;

import dev.kiln.wat.ast.TextModule;
import dev.kiln.wat.lex.Lexer;
import dev.kiln.wat.lex.Token;
import dev.kiln.wat.lex.TokenKind;
import dev.kiln.wat.parse.Cursor;
import dev.kiln.wat.parse.ModuleParser;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The module forms of a {@code .wast} script, for tests: each top-level command, or the module
 * an assertion wraps, as text (parsed at its position with {@link ModuleParser#parseFields}),
 * {@code binary} bytes or {@code quote} text. Only what the tests of this module need; the full
 * script reader is another piece of work.
 */
final class ScriptModules {
  enum Form { TEXT, BINARY, QUOTE }

  /**
   * One module form.
   *
   * @param command the top-level command it appears in ({@code module}, {@code assert_invalid}, ...)
   * @param form how the module is written
   * @param line the line of its {@code (module}
   * @param text the quoted text, for {@link Form#QUOTE}
   * @param bytes the bytes, for {@link Form#BINARY}
   * @param start the token index after the module's header (id and {@code definition}), for TEXT
   */
  record ModuleForm(String command, Form form, int line, String text, byte[] bytes, int start) {}

  private final List<Token> tokens;
  private final String fileName;

  ScriptModules(String source, String fileName) {
    this.tokens = Lexer.tokenize(source, fileName);
    this.fileName = fileName;
  }

  /** Parses a TEXT form's fields. */
  TextModule parse(ModuleForm m, Edition edition) {
    Cursor cursor = new Cursor(tokens, fileName);
    cursor.reset(m.start());
    TextModule module = ModuleParser.parseFields(cursor, null, tokens.get(m.start()), edition);
    cursor.expectRParen();
    return module;
  }

  List<ModuleForm> modules() {
    List<ModuleForm> out = new ArrayList<>();
    int i = 0;
    while (tokens.get(i).kind() != TokenKind.EOF) {
      if (tokens.get(i).kind() != TokenKind.LPAREN) {
        throw new IllegalStateException(fileName + ":" + tokens.get(i).line() + ": expected a command");
      }
      String command = tokens.get(i + 1).text();
      ModuleForm form = null;
      if (command.equals("module")) {
        form = moduleAt(command, i);
      } else if (command.startsWith("assert_") && tokens.get(i + 2).kind() == TokenKind.LPAREN
          && tokens.get(i + 3).isKeyword("module")) {
        form = moduleAt(command, i + 2);
      }
      if (form != null) {
        out.add(form);
      }
      i = skip(i);
    }
    return out;
  }

  private ModuleForm moduleAt(String command, int open) {
    int line = tokens.get(open).line();
    int i = open + 2;
    if (tokens.get(i).isKeyword("definition")) {
      i++;
    }
    if (tokens.get(i).isKeyword("instance")) {
      return null;
    }
    if (tokens.get(i).kind() == TokenKind.ID) {
      i++;
    }
    if (tokens.get(i).isKeyword("binary") || tokens.get(i).isKeyword("quote")) {
      boolean binary = tokens.get(i).isKeyword("binary");
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      for (i++; tokens.get(i).kind() == TokenKind.STRING; i++) {
        bytes.writeBytes(tokens.get(i).bytes());
      }
      return binary
          ? new ModuleForm(command, Form.BINARY, line, null, bytes.toByteArray(), -1)
          : new ModuleForm(command, Form.QUOTE, line, new String(bytes.toByteArray(), StandardCharsets.UTF_8), null, -1);
    }
    return new ModuleForm(command, Form.TEXT, line, null, null, i);
  }

  /** The index after the form that opens at {@code open}. */
  private int skip(int open) {
    int depth = 0;
    int i = open;
    do {
      TokenKind k = tokens.get(i).kind();
      if (k == TokenKind.LPAREN) {
        depth++;
      } else if (k == TokenKind.RPAREN) {
        depth--;
      } else if (k == TokenKind.EOF) {
        throw new IllegalStateException(fileName + ": unbalanced parentheses");
      }
      i++;
    } while (depth > 0);
    return i;
  }
}
