package dev.kiln.wat;

import dev.kiln.wat.ast.TextModule;
import dev.kiln.wat.parse.Cursor;
import dev.kiln.wat.parse.ModuleParser;
import dev.kiln.wat.resolve.ModuleEncoder;

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
    return ModuleEncoder.encode(parse(source, fileName, edition), fileName, edition);
  }

  /** The text-level module, identifiers unresolved. */
  public static TextModule parse(String source, String fileName, Edition edition) {
    return ModuleParser.parseFile(Cursor.of(source, fileName), edition);
  }

  /** The binary of a module already parsed (e.g. by a script reader at a {@code (module} form). */
  public static byte[] encode(TextModule module, String fileName, Edition edition) {
    return ModuleEncoder.encode(module, fileName, edition);
  }
}
