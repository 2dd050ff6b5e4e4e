package dev.kiln.cli.args;

/**
 * A positional parameter of a command's table: the arguments that are not options, taken in order.
 * Only the last parameter of a command may be {@code variadic} (it takes all that remain).
 *
 * @param <T> the value's type
 * @param label its name in help and errors ({@code FILE.wasm})
 * @param type how its text is read
 * @param variadic whether it takes every remaining argument (a list) rather than one
 * @param required whether at least one argument must be given for it
 * @param description the help text, one paragraph
 */
public record ParameterSpec<T>(String label, ValueType<T> type, boolean variadic, boolean required,
    String description) {

  /** A parameter that must be given, once. */
  public static <T> ParameterSpec<T> one(String label, ValueType<T> type, String description) {
    return new ParameterSpec<>(label, type, false, true, description);
  }

  /** A parameter that takes every remaining argument, none at all included. */
  public static <T> ParameterSpec<T> rest(String label, ValueType<T> type, String description) {
    return new ParameterSpec<>(label, type, true, false, description);
  }

  /** This parameter, needing at least one argument. */
  public ParameterSpec<T> asRequired() {
    return new ParameterSpec<>(label, type, variadic, true, description);
  }

  /** How the usage line shows it: {@code FILE}, {@code [ARGS...]} or {@code FILE...}. */
  public String synopsis() {
    if (!variadic) {
      return required ? label : "[" + label + "]";
    }
    return required ? label + "..." : "[" + label + "...]";
  }
}
