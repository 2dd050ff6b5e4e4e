package dev.kiln.cli.wast;

import java.nio.file.Path;
import java.util.List;

/**
 * A converted spec script.
 *
 * @param json the wast2json output it was read from
 * @param moduleDirectory where the module files named by its commands are
 * @param commands the commands in script order
 */
public record Script(Path json, Path moduleDirectory, List<ScriptCommand> commands) {
  public Script {
    commands = List.copyOf(commands);
  }
}
