package dev.kiln.wat.parse;

import dev.kiln.wat.WatSyntaxException;
import dev.kiln.wat.ast.Ref;
import dev.kiln.wat.lex.Lexer;
import dev.kiln.wat.lex.Literals;
import dev.kiln.wat.lex.Token;
import dev.kiln.wat.lex.TokenKind;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A position in a token list, with the checks every parser needs: "expect this, else say what was
 * found". A script reader positions one at a {@code (module} and hands it to {@link ModuleParser}.
 */
public final class Cursor {
  private final List<Token> tokens;
  private final String fileName;
  private int pos;

  public Cursor(List<Token> tokens, String fileName) {
    this.tokens = tokens;
    this.fileName = fileName;
  }

  /** A cursor at the start of {@code source}'s tokens. */
  public static Cursor of(String source, String fileName) {
    return new Cursor(Lexer.tokenize(source, fileName), fileName);
  }

  public String fileName() {
    return fileName;
  }

  /** The index of the next token. */
  public int position() {
    return pos;
  }

  /** Moves back (or forward) to a position returned by {@link #position()}. */
  public void reset(int position) {
    pos = position;
  }

  public Token peek() {
    return tokens.get(pos);
  }

  /** The token {@code ahead} places after the next one (the last token is always EOF). */
  public Token peek(int ahead) {
    return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
  }

  public Token next() {
    Token t = tokens.get(pos);
    if (t.kind() != TokenKind.EOF) {
      pos++;
    }
    return t;
  }

  public boolean at(TokenKind kind) {
    return peek().kind() == kind;
  }

  public boolean atKeyword(String word) {
    return peek().isKeyword(word);
  }

  /** Whether the next tokens are {@code (} and the keyword {@code word}. */
  public boolean atParen(String word) {
    return peek().kind() == TokenKind.LPAREN && peek(1).isKeyword(word);
  }

  public Token expect(TokenKind kind, String what) {
    if (peek().kind() != kind) {
      throw expected(what);
    }
    return next();
  }

  public Token expectLParen() {
    return expect(TokenKind.LPAREN, "'('");
  }

  public Token expectRParen() {
    return expect(TokenKind.RPAREN, "')'");
  }

  public Token expectKeyword(String word) {
    if (!atKeyword(word)) {
      throw expected("'" + word + "'");
    }
    return next();
  }

  /** Consumes {@code (word}, returning the parenthesis' token. */
  public Token expectParen(String word) {
    if (!atParen(word)) {
      throw expected("'(" + word + "'");
    }
    Token open = next();
    next();
    return open;
  }

  /** An identifier if one is next, else null. */
  public String optionalId() {
    return at(TokenKind.ID) ? next().text() : null;
  }

  /** Whether the next token is an index: an identifier or a u32. */
  public boolean atIndex() {
    Token t = peek();
    return t.kind() == TokenKind.ID || t.kind() == TokenKind.NUMBER && Literals.u32(t.text()) >= 0;
  }

  /** An index (spec 6.3.5): a u32 or an identifier. */
  public Ref index(String what) {
    Token t = peek();
    if (t.kind() == TokenKind.ID) {
      next();
      return new Ref.Name(t.text(), t);
    }
    if (t.kind() == TokenKind.NUMBER) {
      long v = Literals.u32(t.text());
      if (v >= 0) {
        next();
        return new Ref.Num(v, t);
      }
    }
    throw expected(what);
  }

  /** An index if one is next, else null. */
  public Ref optionalIndex() {
    return atIndex() ? index("an index") : null;
  }

  /** A u32 literal. */
  public long u32(String what) {
    Token t = peek();
    long v = t.kind() == TokenKind.NUMBER ? Literals.u32(t.text()) : -1;
    if (v < 0) {
      throw expected(what);
    }
    next();
    return v;
  }

  /** A string's bytes. */
  public byte[] string(String what) {
    return expect(TokenKind.STRING, what).bytes();
  }

  /** A name (spec 6.3.4): a string whose bytes are valid UTF-8. */
  public String name(String what) {
    Token t = expect(TokenKind.STRING, what);
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(t.bytes()))
          .toString();
    } catch (CharacterCodingException e) {
      throw error(t, "expected a name in valid UTF-8, found malformed UTF-8 in " + t.describe());
    }
  }

  /** "expected X, found Y" at the next token. */
  public WatSyntaxException expected(String what) {
    Token t = peek();
    return error(t, "expected " + what + ", found " + t.describe());
  }

  /** An error at {@code at}. */
  public WatSyntaxException error(Token at, String reason) {
    return new WatSyntaxException(fileName, at.line(), at.column(), reason);
  }
}
