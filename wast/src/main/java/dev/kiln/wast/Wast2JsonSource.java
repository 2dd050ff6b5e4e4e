package dev.kiln.wast;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Scripts converted by wabt's {@code wast2json} into {@code buildDir}, with the features of the
 * {@code proposals/} folder they sit in ({@link Proposal}). Text modules wabt keeps as text
 * ({@code module quote}) are skipped by the executor.
 *
 * @param converter the tool
 * @param buildDir where conversions go and are reused from
 */
public record Wast2JsonSource(Wast2Json converter, Path buildDir) implements ScriptSource {
  @Override
  public Script read(Path wast) throws IOException, ConversionException {
    return ScriptParser.parse(converter.convert(wast, buildDir), Proposal.features(wast));
  }
}
