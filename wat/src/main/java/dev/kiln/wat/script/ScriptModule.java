package dev.kiln.wat.script;

import dev.kiln.wat.Edition;
import dev.kiln.wat.Wat;

/** A module as a script command gives it. */
public sealed interface ScriptModule {
  /**
   * A module in the binary format: a {@code (module binary "...")}, or a text module this reader
   * encoded.
   *
   * @param bytes the module's binary
   * @param fromText whether it was written as text
   */
  record Encoded(byte[] bytes, boolean fromText) implements ScriptModule {}

  /**
   * A {@code (module quote "...")}: the text of a module, to be parsed when the command runs (a
   * text that does not parse is the malformed outcome, spec 6).
   *
   * @param text the strings concatenated
   * @param line the line of the {@code (module}
   */
  record Quote(String text, int line) implements ScriptModule {
    /**
     * The module's binary.
     *
     * @param scriptName how messages name the script; the quote's own positions follow it
     * @throws dev.kiln.wat.WatSyntaxException when the text is not a module
     */
    public byte[] encode(String scriptName, Edition edition) {
      return Wat.toBinary(text, scriptName + ":" + line + ": module quote", edition);
    }
  }
}
