package dev.kiln.ir.text;

/** One lexical token of the IR text with its 1-based position. */
record Token(Kind kind, String text, int line, int column) {
  enum Kind {
    /** Words: opcodes with suffix ({@code iadd.i32}), types, {@code v3}, {@code block2}, flags. */
    IDENT,
    /** {@code @002a}: a source location; text excludes the at sign. */
    SOURCE_LOC,
    /** {@code %name}; text excludes the percent sign. */
    NAME,
    /** Integers and float spellings, with an optional sign: {@code -5}, {@code 0x1.8p1}. */
    NUMBER,
    LPAREN,
    RPAREN,
    LBRACKET,
    RBRACKET,
    LBRACE,
    RBRACE,
    COMMA,
    COLON,
    EQUALS,
    ARROW,
    EOF
  }

  /** How the token reads in an error message. */
  String describe() {
    return kind == Kind.EOF ? "end of input" : "'" + (kind == Kind.NAME ? "%" + text : text) + "'";
  }
}
