package dev.kiln.wat;

import dev.kiln.wat.ast.TextModule;
import dev.kiln.wat.parse.Cursor;
import dev.kiln.wat.parse.ModuleParser;
import dev.kiln.wat.resolve.ModuleEncoder;
import dev.kiln.wat.resolve.ModuleEncoder.Names;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a module in the WebAssembly text format (spec 6) and gives its binary format (spec 5).
 * Validation is not done here: a well-formed text gives bytes even when the module is invalid, as
 * the spec separates the two (the decoder and validator of {@code dev.kiln.wasm} judge the bytes).
 */
public final class Wat {
  private Wat() {}

  /**
   * The binary of the module {@code source} holds: one {@code (module ...)} or its fields alone.
   *
   * @param fileName how messages name the source
   * @throws WatSyntaxException with {@code file:line:column: expected X, found Y} when the text is
   *     malformed or an identifier is unbound
   */
  public static byte[] toBinary(String source, String fileName) {
    return toBinary(source, fileName, Edition.WASM_3);
  }

  /** {@link #toBinary(String, String)} with the text rules of {@code edition}. */
  public static byte[] toBinary(String source, String fileName, Edition edition) {
    return ModuleEncoder.encode(parse(source, fileName, edition), fileName, edition, Names.OMITTED);
  }

  /**
   * {@link #toBinary(String, String)} plus a name section holding the text's identifiers (the
   * module's, the functions' and the locals', without the {@code $}), so backtraces and disassembly
   * of a module written as text name its functions as the text does.
   */
  public static byte[] toBinaryWithNames(String source, String fileName) {
    return ModuleEncoder.encode(parse(source, fileName, Edition.WASM_3), fileName, Edition.WASM_3, Names.WRITTEN);
  }

  /** The text-level module, identifiers unresolved. */
  public static TextModule parse(String source, String fileName, Edition edition) {
    return ModuleParser.parseFile(Cursor.of(source, fileName), edition);
  }

  /** The binary of a module already parsed (e.g. by a script reader at a {@code (module} form). */
  public static byte[] encode(TextModule module, String fileName, Edition edition) {
    return ModuleEncoder.encode(module, fileName, edition, Names.OMITTED);
  }

  /**
   * A source file's bytes as text. The text format is a sequence of Unicode characters in UTF-8
   * (spec 6.2.1), so a byte sequence that is not UTF-8 is malformed; decoding leniently would
   * replace it and change what a string literal holds.
   *
   * @throws WatSyntaxException at the line and column of the first byte that is not UTF-8
   */
  public static String decode(byte[] bytes, String fileName) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int line = 1;
      int column = 1;
      for (int i = 0; i < out.position(); i++) {
        if (out.get(i) == '\n') {
          line++;
          column = 1;
        } else {
          column++;
        }
      }
      throw new WatSyntaxException(fileName, line, column,
          String.format("expected UTF-8 text, found byte 0x%02x", bytes[in.position()] & 0xFF));
    }
    decoder.flush(out);
    return out.flip().toString();
  }
}
