package dev.kiln.cli.args;

import java.util.List;

/**
 * One option of a command's table: its names ({@code -o}, {@code --output}), the label of its value
 * in help ({@code OUT.cwasm}; none for a flag), how that value is read, its value when not given,
 * how often it may be given and the help line that explains it. Commands keep their options in
 * {@code static final} fields and read the parsed values back through them ({@link ParsedArgs}).
 *
 * @param <T> the value's type ({@link Boolean} for a flag)
 * @param names every name, short ({@code -v}) before long ({@code --verbose}), as help lists them
 * @param label the value's name in help, or null for a flag
 * @param type how the value's text is read (a flag's is never called)
 * @param defaultValue the value when the option is not given (null for none; false for a flag)
 * @param multiplicity whether it is a flag, takes one value, or may be repeated
 * @param required whether the command cannot run without it
 * @param description the help text, one paragraph (wrapped by {@link HelpFormatter})
 */
public record OptionSpec<T>(List<String> names, String label, ValueType<T> type, T defaultValue,
    Multiplicity multiplicity, boolean required, String description) {

  /** How often an option is given and whether it has a value. */
  public enum Multiplicity {
    /** No value: present or not. */
    FLAG,
    /** One value; giving it twice is an error (which of the two was meant is not for Kiln to guess). */
    SINGLE,
    /** A value each time it is given, all kept in order ({@code --dir A --dir B}). */
    REPEATED
  }

  public OptionSpec {
    names = List.copyOf(names);
    if (names.isEmpty()) {
      throw new IllegalArgumentException("an option needs a name");
    }
    for (String name : names) {
      boolean isShort = name.length() == 2 && name.charAt(0) == '-' && Character.isLetter(name.charAt(1));
      boolean isLong = name.length() > 2 && name.startsWith("--") && name.indexOf('=') < 0;
      if (!isShort && !isLong) {
        throw new IllegalArgumentException("option names are -x or --long-name, not " + name);
      }
    }
    if ((label == null) != (multiplicity == Multiplicity.FLAG)) {
      throw new IllegalArgumentException(names + ": a flag has no value label, any other option has one");
    }
  }

  /** A flag: true when given, false otherwise. */
  public static OptionSpec<Boolean> flag(String description, String... names) {
    return new OptionSpec<>(List.of(names), null, ValueType.BOOLEAN, false, Multiplicity.FLAG, false, description);
  }

  /** An option with one value of {@code type}, absent (null) unless given or {@link #withDefault defaulted}. */
  public static <T> OptionSpec<T> single(String label, ValueType<T> type, String description, String... names) {
    return new OptionSpec<>(List.of(names), label, type, null, Multiplicity.SINGLE, false, description);
  }

  /** An option that may be given any number of times, each with one value of {@code type}. */
  public static <T> OptionSpec<T> repeated(String label, ValueType<T> type, String description, String... names) {
    return new OptionSpec<>(List.of(names), label, type, null, Multiplicity.REPEATED, false, description);
  }

  /** This option with {@code value} when it is not given. */
  public OptionSpec<T> withDefault(T value) {
    return new OptionSpec<>(names, label, type, value, multiplicity, required, description);
  }

  /** This option, which the command cannot do without. */
  public OptionSpec<T> asRequired() {
    return new OptionSpec<>(names, label, type, defaultValue, multiplicity, true, description);
  }

  /** The name errors use: the long one if there is one ({@code --output} rather than {@code -o}). */
  public String longestName() {
    return names.getLast();
  }

  /** Whether the option takes a value. */
  public boolean takesValue() {
    return multiplicity != Multiplicity.FLAG;
  }
}
