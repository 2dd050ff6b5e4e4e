package dev.kiln.wat.lex;

/** The token classes of the text format (spec 6.2.2). */
public enum TokenKind {
  LPAREN,
  RPAREN,
  /** Starts with a lower-case letter: instruction names, {@code offset=4}, {@code nan}, {@code inf}. */
  KEYWORD,
  /** {@code $name} or {@code $"name"}; the token's text is the name without the {@code $}. */
  ID,
  /** Starts with a digit or a sign: integer and float literals. */
  NUMBER,
  STRING,
  /** Anything else made of identifier characters: always an error where it appears. */
  RESERVED,
  EOF
}
