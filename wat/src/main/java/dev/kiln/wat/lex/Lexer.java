package dev.kiln.wat.lex;

import dev.kiln.wat.WatSyntaxException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Splits a text into tokens (spec 6.2: characters, tokens, white space, comments and annotations).
 * Comments and annotations ({@code (@name ...)}, which the spec says a reader may ignore) are
 * dropped here, so the parser sees only tokens that mean something.
 */
public final class Lexer {
  private final String source;
  private final String fileName;
  private final List<Token> tokens = new ArrayList<>();
  private int pos;
  private int line = 1;
  private int lineStart;

  private Lexer(String source, String fileName) {
    this.source = source;
    this.fileName = fileName;
  }

  /**
   * The tokens of {@code source}, ending with one {@link TokenKind#EOF}.
   *
   * @throws WatSyntaxException at the first character that starts no token
   */
  public static List<Token> tokenize(String source, String fileName) {
    Lexer lexer = new Lexer(source, fileName);
    lexer.run();
    return lexer.tokens;
  }

  /** Whether {@code c} may appear in a keyword, identifier or number (spec 6.2.2, idchar). */
  public static boolean isIdChar(int c) {
    if (c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
      return true;
    }
    return "!#$%&'*+-./:<=>?@\\^_`|~".indexOf(c) >= 0;
  }

  private void run() {
    while (true) {
      skipSpaceAndComments();
      if (pos >= source.length()) {
        tokens.add(new Token(TokenKind.EOF, "", null, line, column()));
        return;
      }
      char c = source.charAt(pos);
      int startLine = line;
      int startColumn = column();
      if (c == '(') {
        if (pos + 1 < source.length() && source.charAt(pos + 1) == '@') {
          skipAnnotation();
          continue;
        }
        pos++;
        tokens.add(new Token(TokenKind.LPAREN, "(", null, startLine, startColumn));
      } else if (c == ')') {
        pos++;
        tokens.add(new Token(TokenKind.RPAREN, ")", null, startLine, startColumn));
      } else if (c == '"') {
        int start = pos;
        byte[] bytes = readString();
        if (runsOn()) {
          throw error(startLine, startColumn, "expected white space or a parenthesis after a string, found "
              + describeChar(source.charAt(pos)));
        }
        tokens.add(new Token(TokenKind.STRING, source.substring(start, pos), bytes, startLine, startColumn));
      } else if (isIdChar(c)) {
        readWord(startLine, startColumn);
      } else {
        throw error(startLine, startColumn, "expected a token, found " + describeChar(c));
      }
    }
  }

  private void readWord(int startLine, int startColumn) {
    int start = pos;
    if (source.charAt(pos) == '$' && pos + 1 < source.length() && source.charAt(pos + 1) == '"') {
      // An identifier written as a string (3.0, spec 6.3.5): $"any name".
      pos++;
      byte[] name = readString();
      if (runsOn()) {
        throw error(startLine, startColumn, "expected white space or a parenthesis after an identifier");
      }
      if (name.length == 0) {
        throw error(startLine, startColumn, "expected a non-empty identifier, found $\"\"");
      }
      tokens.add(new Token(TokenKind.ID, utf8(name, startLine, startColumn), null, startLine, startColumn));
      return;
    }
    while (pos < source.length() && isIdChar(source.charAt(pos))) {
      pos++;
    }
    if (pos < source.length() && isReservedChar(source.charAt(pos)) && !startsComment(pos)) {
      // Identifier characters run into a string or a reserved character: one reserved token.
      while (pos < source.length() && (isIdChar(source.charAt(pos)) || isReservedChar(source.charAt(pos)))) {
        if (source.charAt(pos) == '"') {
          readString();
        } else {
          pos++;
        }
      }
      tokens.add(new Token(TokenKind.RESERVED, source.substring(start, pos), null, startLine, startColumn));
      return;
    }
    String text = source.substring(start, pos);
    char first = text.charAt(0);
    TokenKind kind;
    if (first == '$') {
      kind = text.length() > 1 ? TokenKind.ID : TokenKind.RESERVED;
      text = kind == TokenKind.ID ? text.substring(1) : text;
    } else if (first >= 'a' && first <= 'z') {
      kind = TokenKind.KEYWORD;
    } else if (first >= '0' && first <= '9' || first == '+' || first == '-') {
      kind = TokenKind.NUMBER;
    } else {
      kind = TokenKind.RESERVED;
    }
    tokens.add(new Token(kind, text, null, startLine, startColumn));
  }

  /** Characters that cannot end a token (spec 6.2.2: reserved tokens include them). */
  private static boolean isReservedChar(char c) {
    return c == '"' || c == ',' || c == ';' || c == '[' || c == ']' || c == '{' || c == '}';
  }

  /** Whether a token continues right after a string: together they are one reserved token. */
  private boolean runsOn() {
    if (pos >= source.length() || startsComment(pos)) {
      return false;
    }
    char c = source.charAt(pos);
    return isIdChar(c) || isReservedChar(c);
  }

  private boolean startsComment(int at) {
    return source.startsWith(";;", at);
  }

  /** Reads a string literal starting at the opening quote; returns its bytes (spec 6.3.3). */
  private byte[] readString() {
    int startLine = line;
    int startColumn = column();
    pos++;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    while (true) {
      if (pos >= source.length()) {
        throw error(startLine, startColumn, "expected a closing '\"', found end of input");
      }
      char c = source.charAt(pos);
      if (c == '"') {
        pos++;
        return out.toByteArray();
      }
      if (c == '\n' || c < 0x20 || c == 0x7F) {
        throw error(line, column(), "expected a string character, found " + describeChar(c));
      }
      if (c != '\\') {
        int cp = source.codePointAt(pos);
        if (Character.isSurrogate(c) && Character.charCount(cp) == 1) {
          throw error(line, column(), "expected a string character, found an unpaired surrogate");
        }
        pos += Character.charCount(cp);
        writeUtf8(out, cp);
        continue;
      }
      int escLine = line;
      int escColumn = column();
      pos++;
      if (pos >= source.length()) {
        throw error(escLine, escColumn, "expected an escape, found end of input");
      }
      char e = source.charAt(pos++);
      switch (e) {
        case 't' -> out.write('\t');
        case 'n' -> out.write('\n');
        case 'r' -> out.write('\r');
        case '"' -> out.write('"');
        case '\'' -> out.write('\'');
        case '\\' -> out.write('\\');
        case 'u' -> writeUtf8(out, readUnicodeEscape(escLine, escColumn));
        default -> {
          int hi = Character.digit(e, 16);
          int lo = pos < source.length() ? Character.digit(source.charAt(pos), 16) : -1;
          if (hi < 0 || lo < 0 || !isAsciiHex(e) || !isAsciiHex(source.charAt(pos))) {
            throw error(escLine, escColumn, "expected an escape (\\t \\n \\r \\\" \\' \\\\ \\hh \\u{...}), found \\"
                + e);
          }
          pos++;
          out.write(hi * 16 + lo);
        }
      }
    }
  }

  private int readUnicodeEscape(int escLine, int escColumn) {
    if (pos >= source.length() || source.charAt(pos) != '{') {
      throw error(escLine, escColumn, "expected '{' after \\u");
    }
    pos++;
    int start = pos;
    while (pos < source.length() && (isAsciiHex(source.charAt(pos)) || source.charAt(pos) == '_')) {
      pos++;
    }
    if (pos >= source.length() || source.charAt(pos) != '}') {
      throw error(escLine, escColumn, "expected hexadecimal digits and '}' in \\u{...}");
    }
    String digits = source.substring(start, pos);
    pos++;
    long value = Literals.parseNat(digits, true);
    if (value < 0 || value >= 0xD800 && value < 0xE000 || value > 0x10FFFF) {
      throw error(escLine, escColumn, "expected a Unicode scalar value in \\u{" + digits + "}");
    }
    return (int) value;
  }

  private static boolean isAsciiHex(char c) {
    return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
  }

  private static void writeUtf8(ByteArrayOutputStream out, int cp) {
    if (cp < 0x80) {
      out.write(cp);
    } else if (cp < 0x800) {
      out.write(0xC0 | cp >> 6);
      out.write(0x80 | cp & 0x3F);
    } else if (cp < 0x10000) {
      out.write(0xE0 | cp >> 12);
      out.write(0x80 | cp >> 6 & 0x3F);
      out.write(0x80 | cp & 0x3F);
    } else {
      out.write(0xF0 | cp >> 18);
      out.write(0x80 | cp >> 12 & 0x3F);
      out.write(0x80 | cp >> 6 & 0x3F);
      out.write(0x80 | cp & 0x3F);
    }
  }

  private String utf8(byte[] bytes, int atLine, int atColumn) {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw error(atLine, atColumn, "expected valid UTF-8 in the identifier");
    }
  }

  private void skipSpaceAndComments() {
    while (pos < source.length()) {
      char c = source.charAt(pos);
      if (c == ' ' || c == '\t') {
        pos++;
      } else if (c == '\n' || c == '\r') {
        newline();
      } else if (c == ';' && pos + 1 < source.length() && source.charAt(pos + 1) == ';') {
        // A line comment ends at a line feed or a carriage return (spec 6.2.4: newline).
        while (pos < source.length() && source.charAt(pos) != '\n' && source.charAt(pos) != '\r') {
          pos++;
        }
      } else if (c == '(' && pos + 1 < source.length() && source.charAt(pos + 1) == ';') {
        skipBlockComment();
      } else {
        return;
      }
    }
  }

  /** Block comments nest (spec 6.2.4). */
  private void skipBlockComment() {
    int startLine = line;
    int startColumn = column();
    int depth = 0;
    while (pos < source.length()) {
      char c = source.charAt(pos);
      if (c == '(' && pos + 1 < source.length() && source.charAt(pos + 1) == ';') {
        depth++;
        pos += 2;
      } else if (c == ';' && pos + 1 < source.length() && source.charAt(pos + 1) == ')') {
        depth--;
        pos += 2;
        if (depth == 0) {
          return;
        }
      } else if (c == '\n' || c == '\r') {
        newline();
      } else {
        pos++;
      }
    }
    throw error(startLine, startColumn, "expected ';)' to close the block comment, found end of input");
  }

  /**
   * Skips {@code (@id ...)} with everything nested in it (spec 6.2.5: annotations may be ignored,
   * but their tokens must still be well formed: strings and parentheses balance).
   */
  private void skipAnnotation() {
    int startLine = line;
    int startColumn = column();
    pos += 2;
    int nameStart = pos;
    if (pos < source.length() && source.charAt(pos) == '"') {
      byte[] name = readString();
      if (name.length == 0) {
        throw error(startLine, startColumn, "expected an annotation name after '(@', found \"\"");
      }
      utf8(name, startLine, startColumn);
    } else {
      while (pos < source.length() && isIdChar(source.charAt(pos))) {
        pos++;
      }
    }
    if (pos == nameStart) {
      throw error(startLine, startColumn, "expected an annotation name after '(@'");
    }
    int depth = 1;
    while (true) {
      skipSpaceAndComments();
      if (pos >= source.length()) {
        throw error(startLine, startColumn, "expected ')' to close the annotation, found end of input");
      }
      char c = source.charAt(pos);
      if (c == '(') {
        depth++;
        pos++;
      } else if (c == ')') {
        pos++;
        if (--depth == 0) {
          return;
        }
      } else if (c == '"') {
        readString();
      } else if (isIdChar(c) || isReservedChar(c)) {
        pos++;
      } else {
        throw error(line, column(), "expected a token, found " + describeChar(c));
      }
    }
  }

  /**
   * Steps over a line feed or carriage return. Lines are counted by line feeds only, as wabt and
   * the spec suite's tools number them, so a position here names the same line as theirs.
   */
  private void newline() {
    if (source.charAt(pos++) == '\n') {
      line++;
      lineStart = pos;
    }
  }

  private int column() {
    return pos - lineStart + 1;
  }

  private static String describeChar(char c) {
    return c < 0x20 || c >= 0x7F ? String.format("character U+%04X", (int) c) : "'" + c + "'";
  }

  private WatSyntaxException error(int atLine, int atColumn, String reason) {
    return new WatSyntaxException(fileName, atLine, atColumn, reason);
  }
}
