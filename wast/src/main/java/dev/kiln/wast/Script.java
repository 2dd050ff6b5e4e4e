package dev.kiln.wast;

import dev.kiln.wasm.Features;
import java.nio.file.Path;
import java.util.List;

/**
 * A spec script, read.
 *
 * @param source the {@code .wast} it was read from
 * @param commands the commands in script order
 * @param features the features its modules are decoded and validated with
 */
public record Script(Path source, List<ScriptCommand> commands, Features features) {
  public Script {
    commands = List.copyOf(commands);
  }
}
