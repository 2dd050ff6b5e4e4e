package dev.kiln.wat.script;

import java.util.List;
import java.util.Optional;

/**
 * {@code (invoke $instance? "name" const*)} or {@code (get $instance? "name")}.
 *
 * @param get whether it reads a global rather than calling a function
 * @param instance the instance's identifier; empty means the most recent one
 * @param name the export's name
 * @param args an invoke's arguments
 */
public record Action(boolean get, Optional<String> instance, String name, List<Value> args) {
  public Action {
    args = List.copyOf(args);
  }
}
