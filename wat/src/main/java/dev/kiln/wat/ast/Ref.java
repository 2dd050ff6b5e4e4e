package dev.kiln.wat.ast;

import dev.kiln.wat.lex.Token;

/** An index as written: a number, or an identifier that resolution turns into one (spec 6.3.5). */
public sealed interface Ref {
  /** Where the index was written, for messages. */
  Token at();

  /** An index written as a number. */
  record Num(long index, Token at) implements Ref {}

  /** An index written as an identifier, without the {@code $}. */
  record Name(String name, Token at) implements Ref {}
}
