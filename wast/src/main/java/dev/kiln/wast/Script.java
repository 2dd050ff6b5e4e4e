package dev.kiln.wast;

import dev.kiln.wasm.Features;
import java.nio.file.Path;
import java.util.List;

/**
 * A spec script, read.
 *
 * @param source what it was read from: wast2json's output, or the {@code .wast} itself
 * @param moduleDirectory where the module files named by its commands are (wast2json's)
 * @param commands the commands in script order
 * @param features the features its modules are decoded and validated with
 */
public record Script(Path source, Path moduleDirectory, List<ScriptCommand> commands, Features features) {
  public Script {
    commands = List.copyOf(commands);
  }
}
