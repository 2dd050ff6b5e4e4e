package dev.kiln.cli.args;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The typed values of one command line, read back through the table's own {@link OptionSpec} and
 * {@link ParameterSpec} constants (so a command cannot ask for an option it did not declare under a
 * misspelt name). Built by {@link ArgumentParser}.
 */
public final class ParsedArgs {
  /** Keyed by the spec object itself: two options are the same only if they are the same constant. */
  private final Map<Object, List<Object>> values = new IdentityHashMap<>();

  ParsedArgs() {}

  void add(Object spec, Object value) {
    values.computeIfAbsent(spec, k -> new ArrayList<>()).add(value);
  }

  boolean has(Object spec) {
    return values.containsKey(spec);
  }

  /** The option's value: the one given, else its default (null if it has none); a flag's is true or false. */
  @SuppressWarnings("unchecked") // values under an option's key were made by that option's ValueType<T>
  public <T> T get(OptionSpec<T> option) {
    List<Object> given = values.get(option);
    return given == null ? option.defaultValue() : (T) given.getLast();
  }

  /** Whether a flag was given. */
  public boolean isSet(OptionSpec<Boolean> flag) {
    return values.containsKey(flag);
  }

  /** Every value of a repeated option, in the order given (empty if it was not). */
  @SuppressWarnings("unchecked")
  public <T> List<T> all(OptionSpec<T> option) {
    return List.copyOf((List<T>) values.getOrDefault(option, List.of()));
  }

  /** A single parameter's value (null if an optional one was not given). */
  @SuppressWarnings("unchecked")
  public <T> T get(ParameterSpec<T> parameter) {
    List<Object> given = values.get(parameter);
    return given == null ? null : (T) given.getFirst();
  }

  /** Every argument a variadic parameter took, in order (empty if none). */
  @SuppressWarnings("unchecked")
  public <T> List<T> all(ParameterSpec<T> parameter) {
    return List.copyOf((List<T>) values.getOrDefault(parameter, List.of()));
  }

  /** Whether {@code -h}/{@code --help} was given: the command prints its help instead of running. */
  public boolean helpRequested() {
    return isSet(CommandSpec.HELP);
  }

  /** Whether {@code -V}/{@code --version} was given. */
  public boolean versionRequested() {
    return isSet(CommandSpec.VERSION);
  }
}
