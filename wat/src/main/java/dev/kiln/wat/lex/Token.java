package dev.kiln.wat.lex;

/**
 * One token and where it starts.
 *
 * @param kind the class
 * @param text the source text; for {@link TokenKind#ID} the name (the string's content for
 *     {@code $"..."}), for {@link TokenKind#STRING} the source text with its quotes
 * @param bytes for {@link TokenKind#STRING}, the string's bytes after escapes (spec 6.3.3); else null
 * @param line 1-based line
 * @param column 1-based column, in UTF-16 units
 */
public record Token(TokenKind kind, String text, byte[] bytes, int line, int column) {

  /** How an error message names this token. */
  public String describe() {
    return switch (kind) {
      case EOF -> "end of input";
      case LPAREN -> "'('";
      case RPAREN -> "')'";
      case ID -> "'$" + text + "'";
      case STRING -> "string " + abbreviate(text);
      default -> "'" + abbreviate(text) + "'";
    };
  }

  /** Whether this is the keyword {@code word}. */
  public boolean isKeyword(String word) {
    return kind == TokenKind.KEYWORD && text.equals(word);
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "..." : s;
  }
}
