package dev.kiln.ir.text;

import java.util.ArrayList;
import java.util.List;

/** Splits IR text into {@link Token}s; a {@code ;} comment runs to the end of its line. */
final class Lexer {
  private final String text;
  private int pos;
  private int line = 1;
  private int lineStart;

  private Lexer(String text) {
    this.text = text;
  }

  static List<Token> tokenize(String text) {
    return new Lexer(text).run();
  }

  private List<Token> run() {
    List<Token> tokens = new ArrayList<>();
    while (true) {
      skipSpaceAndComments();
      int col = pos - lineStart + 1;
      if (pos >= text.length()) {
        tokens.add(new Token(Token.Kind.EOF, "", line, col));
        return tokens;
      }
      char c = text.charAt(pos);
      Token.Kind single = switch (c) {
        case '(' -> Token.Kind.LPAREN;
        case ')' -> Token.Kind.RPAREN;
        case '[' -> Token.Kind.LBRACKET;
        case ']' -> Token.Kind.RBRACKET;
        case '{' -> Token.Kind.LBRACE;
        case '}' -> Token.Kind.RBRACE;
        case ',' -> Token.Kind.COMMA;
        case ':' -> Token.Kind.COLON;
        case '=' -> Token.Kind.EQUALS;
        default -> null;
      };
      if (single != null) {
        tokens.add(new Token(single, String.valueOf(c), line, col));
        pos++;
      } else if (c == '-' && pos + 1 < text.length() && text.charAt(pos + 1) == '>') {
        tokens.add(new Token(Token.Kind.ARROW, "->", line, col));
        pos += 2;
      } else if (c == '@') {
        int start = ++pos;
        while (pos < text.length() && Character.digit(text.charAt(pos), 16) >= 0) {
          pos++;
        }
        if (pos == start || pos - start > 8) {
          throw new ParseException(line, col, "expected 1 to 8 hex digits after '@'");
        }
        tokens.add(new Token(Token.Kind.SOURCE_LOC, text.substring(start, pos), line, col));
      } else if (c == '%') {
        int start = ++pos;
        while (pos < text.length() && isNameChar(text.charAt(pos))) {
          pos++;
        }
        if (pos == start) {
          throw new ParseException(line, col, "expected a name after '%'");
        }
        tokens.add(new Token(Token.Kind.NAME, text.substring(start, pos), line, col));
      } else if (Character.isDigit(c) || c == '-' || c == '+') {
        tokens.add(new Token(Token.Kind.NUMBER, number(), line, col));
      } else if (Character.isLetter(c) || c == '_') {
        int start = pos;
        while (pos < text.length() && isIdentChar(text.charAt(pos))) {
          pos++;
        }
        tokens.add(new Token(Token.Kind.IDENT, text.substring(start, pos), line, col));
      } else {
        throw new ParseException(line, col, "unexpected character '" + c + "'");
      }
    }
  }

  /** A signed number or float spelling; '+'/'-' continue it only right after a hex exponent 'p'. */
  private String number() {
    int start = pos;
    pos++;
    while (pos < text.length()) {
      char c = text.charAt(pos);
      boolean exponentSign = (c == '-' || c == '+')
          && (text.charAt(pos - 1) == 'p' || text.charAt(pos - 1) == 'P')
          && text.substring(start, pos).contains("0x");
      if (Character.isLetterOrDigit(c) || c == '.' || c == '_' || exponentSign
          || (c == ':' && text.substring(start, pos).endsWith("nan"))) {
        pos++;
      } else {
        break;
      }
    }
    return text.substring(start, pos);
  }

  private void skipSpaceAndComments() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c == '\n') {
        pos++;
        line++;
        lineStart = pos;
      } else if (Character.isWhitespace(c)) {
        pos++;
      } else if (c == ';') {
        while (pos < text.length() && text.charAt(pos) != '\n') {
          pos++;
        }
      } else {
        return;
      }
    }
  }

  private static boolean isIdentChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.';
  }

  private static boolean isNameChar(char c) {
    return Character.isLetterOrDigit(c) || c == '_' || c == '.' || c == '$';
  }
}
