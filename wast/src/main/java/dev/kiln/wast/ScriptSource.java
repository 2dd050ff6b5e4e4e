package dev.kiln.wast;

import java.io.IOException;
import java.nio.file.Path;

/**
 * How a {@code .wast} script becomes a {@link Script}: Kiln's own reader ({@link
 * TextScriptSource}), or wabt's {@code wast2json} ({@link Wast2JsonSource}).
 */
public interface ScriptSource {
  /**
   * Reads one script.
   *
   * @throws ConversionException when the script as a whole cannot be read (a reported failure)
   */
  Script read(Path wast) throws IOException, ConversionException;
}
