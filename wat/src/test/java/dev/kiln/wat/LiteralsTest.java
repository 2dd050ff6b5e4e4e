package dev.kiln.wat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kiln.wat.lex.Lexer;
import dev.kiln.wat.lex.Literals;
import dev.kiln.wat.lex.Token;
import dev.kiln.wat.lex.TokenKind;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Number and string literals (spec 6.3.1-6.3.3) and the tokens around them (spec 6.2). */
class LiteralsTest {
  @Test
  void integersAcceptBothSignednessesAndUnderscoresBetweenDigits() {
    assertEquals(-1L, Literals.integer("4294967295", 32).intValue());
    assertEquals(Integer.MIN_VALUE, Literals.integer("-2147483648", 32).intValue());
    assertEquals(Integer.MIN_VALUE, Literals.integer("0x8000_0000", 32).intValue());
    assertEquals(1_000_000L, Literals.integer("+1_000_000", 64));
    assertEquals(-1L, Literals.integer("0xffff_ffff_ffff_ffff", 64));
    assertEquals(Long.MIN_VALUE, Literals.integer("-9223372036854775808", 64));
    assertNull(Literals.integer("4294967296", 32), "2^32 is out of range for i32");
    assertNull(Literals.integer("-2147483649", 32));
    assertNull(Literals.integer("18446744073709551616", 64));
    assertNull(Literals.integer("1__0", 32), "underscores only between digits");
    assertNull(Literals.integer("1_", 32));
    assertNull(Literals.integer("0x_1", 32));
    assertNull(Literals.integer("_1", 32));
    assertNull(Literals.integer("0x", 32));
  }

  @Test
  void floatsInDecimalAndHexadecimalRoundToNearestEven() {
    assertEquals(Float.floatToRawIntBits(1.5f), Literals.f32("1.5"));
    assertEquals(Float.floatToRawIntBits(1.0f), Literals.f32("1."));
    assertEquals(Float.floatToRawIntBits(-1e10f), Literals.f32("-1e1_0"));
    assertEquals(1, Literals.f32("0x1p-149"), "the least subnormal");
    assertEquals(0x7F7F_FFFF, Literals.f32("0x1.fffffep127"));
    assertEquals(0x3F80_0000, Literals.f32("0x1.000001p0"), "a tie rounds to even (down)");
    assertEquals(0x3F80_0002, Literals.f32("0x1.000003p0"), "a tie rounds to even (up)");
    assertEquals(0x3F80_0001, Literals.f32("0x1.00000100000000000001p0"), "past the tie rounds up");
    assertEquals(Double.doubleToRawLongBits(3.0), Literals.f64("0x1.8p1"));
    assertEquals(Double.doubleToRawLongBits(0x1.8p0), Literals.f64("0x1.8"), "the exponent is optional");
    assertEquals(Double.doubleToRawLongBits(-0.0), Literals.f64("-0x0p0"));
    assertEquals(Double.doubleToRawLongBits(1e-300), Literals.f64("1e-300"));
    assertNull(Literals.f32("1e39"), "rounds to infinity: out of range");
    assertNull(Literals.f32("0x1p128"));
    assertNull(Literals.f64("1e309"));
    assertNull(Literals.f32("1.e"), "an exponent needs digits");
    assertNull(Literals.f32("0x1.p"));
    assertNull(Literals.f32(".5"));
  }

  @Test
  void infinityAndNanWithPayloads() {
    assertEquals(0x7F80_0000, Literals.f32("inf"));
    assertEquals(0xFF80_0000, Literals.f32("-inf"));
    assertEquals(0x7FC0_0000, Literals.f32("nan"), "the canonical NaN");
    assertEquals(0xFFC0_0000, Literals.f32("-nan"));
    assertEquals(0x7FA0_0000, Literals.f32("+nan:0x200000"));
    assertEquals(0x7F80_0001, Literals.f32("nan:0x1"));
    assertEquals(0x7FF0_0000_0000_0001L, Literals.f64("nan:0x1"));
    assertEquals(0xFFF0_0000_0000_0001L, Literals.f64("-nan:0x0_1"));
    assertEquals(0x7FFF_FFFF_FFFF_FFFFL, Literals.f64("nan:0xf_ffff_ffff_ffff"));
    assertNull(Literals.f32("nan:0x0"), "a NaN payload is not zero");
    assertNull(Literals.f32("nan:0x800000"), "the payload fits the 23 fraction bits");
    assertNull(Literals.f64("nan:0x10000000000000"));
    assertNull(Literals.f32("nan:1"), "payloads are hexadecimal");
  }

  @Test
  void stringEscapes() {
    Token t = single("\"a\\t\\n\\r\\\"\\'\\\\\\41\\u{1F600}\\u{e9}é\"");
    assertEquals(TokenKind.STRING, t.kind());
    assertArrayEquals("a\t\n\r\"'\\A\uD83D\uDE00\u00E9\u00E9".getBytes(StandardCharsets.UTF_8), t.bytes());
    assertArrayEquals(new byte[] {(byte) 0xFF, 0x00}, single("\"\\ff\\00\"").bytes(), "\\hh is a raw byte");
    assertSyntaxError("\"\\u{D800}\"", 1, 2, "Unicode scalar value");
    assertSyntaxError("\"\\u{110000}\"", 1, 2, "Unicode scalar value");
    assertSyntaxError("\"\\x\"", 1, 2, "expected an escape");
    assertSyntaxError("\"\\4\"", 1, 2, "expected an escape");
    assertSyntaxError("\"abc", 1, 1, "closing '\"'");
    assertSyntaxError("\"a\nb\"", 1, 3, "expected a string character");
    assertSyntaxError("\"a\"b", 1, 1, "after a string");
  }

  @Test
  void identifiersIncludingStringIdentifiers() {
    assertEquals("a.b", single("$a.b").text());
    Token quoted = single("$\"a b\"");
    assertEquals(TokenKind.ID, quoted.kind());
    assertEquals("a b", quoted.text());
    assertSyntaxError("$\"\"", 1, 1, "non-empty identifier");
    assertSyntaxError("$\"\\ff\"", 1, 1, "valid UTF-8");
    assertEquals(TokenKind.RESERVED, single("$").kind());
    assertEquals(TokenKind.RESERVED, single("a\"b\"").kind());
  }

  @Test
  void aLineCommentEndsAtALineFeedOrACarriageReturn() {
    List<Token> tokens = Lexer.tokenize(";; a\rx ;; b\r\ny ;; c\nz", "t");
    assertEquals(List.of("x", "y", "z", ""), tokens.stream().map(Token::text).toList());
    assertEquals(List.of(1, 2, 3), tokens.subList(0, 3).stream().map(Token::line).toList(), "lines count line feeds");
  }

  @Test
  void commentsNestAndAnnotationsAreSkipped() {
    List<Token> tokens = Lexer.tokenize("(; a (; b ;) c ;) x ;; line\n (@a (b \")\" (c)) d) y", "t");
    assertEquals(List.of("x", "y", ""), tokens.stream().map(Token::text).toList());
    assertEquals(2, tokens.get(1).line());
    assertEquals(21, tokens.get(1).column());
    assertSyntaxError("(; (; ;)", 1, 1, "close the block comment");
    assertSyntaxError("(@a (b)", 1, 1, "close the annotation");
    assertSyntaxError("(@ a)", 1, 1, "annotation name");
    assertSyntaxError("(@\"\")", 1, 1, "annotation name");
  }

  private static Token single(String text) {
    List<Token> tokens = Lexer.tokenize(text, "t");
    assertEquals(2, tokens.size(), "one token and EOF: " + tokens);
    return tokens.getFirst();
  }

  private static void assertSyntaxError(String text, int line, int column, String reasonPart) {
    WatSyntaxException e = assertThrows(WatSyntaxException.class, () -> Lexer.tokenize(text, "t.wat"));
    assertEquals(line + ":" + column, e.line() + ":" + e.column(), e.getMessage());
    assertEquals(true, e.reason().contains(reasonPart), e.getMessage());
    assertEquals("t.wat:" + line + ":" + column + ": " + e.reason(), e.getMessage());
  }
}
