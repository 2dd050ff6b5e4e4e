package dev.kiln.wat.script;

import java.util.List;

/**
 * A whole script.
 *
 * @param fileName how messages name it
 * @param features the features its {@code ;;!} header lines enable ({@code ;;! name = true}, the
 *     style Wasmtime's own scripts use), in order
 * @param commands in script order
 */
public record WastScript(String fileName, List<String> features, List<Command> commands) {
  public WastScript {
    features = List.copyOf(features);
    commands = List.copyOf(commands);
  }
}
