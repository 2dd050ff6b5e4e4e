package dev.kiln.wast;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How a {@code .wast} script becomes a {@link Script}: Kiln's own reader ({@link
 * TextScriptSource}) with the text rules and features of an edition.
 */
public interface ScriptSource {
  /**
   * Reads one script.
   *
   * @throws ConversionException when the script as a whole cannot be read (a reported failure)
   */
  Script read(Path wast) throws IOException, ConversionException;
}
