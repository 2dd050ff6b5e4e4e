package dev.kiln.cli.args;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an argument list against a {@link CommandSpec}: {@code --name VALUE}, {@code --name=VALUE},
 * {@code -x VALUE}, {@code -xVALUE}, {@code -x=VALUE}, clustered short flags ({@code -hV}), options
 * and parameters in any order, and {@code --} after which every argument is a parameter (getopt(3)'s
 * conventions, as users of GNU tools expect). The first thing wrong ends the parse with one {@link UsageException}
 * line naming the option or parameter; with {@code --help} or {@code --version} on the line,
 * nothing else is an error, a missing option or parameter included (the command only prints).
 */
public final class ArgumentParser {
  private final CommandSpec spec;
  private final Map<String, OptionSpec<?>> byName = new HashMap<>();

  public ArgumentParser(CommandSpec spec) {
    this.spec = spec;
    for (OptionSpec<?> option : spec.allOptions()) {
      for (String name : option.names()) {
        if (byName.put(name, option) != null) {
          throw new IllegalArgumentException(spec.name() + ": option " + name + " declared twice");
        }
      }
    }
  }

  /**
   * The values of {@code args}, or the first thing wrong with them; but where {@code --help} or
   * {@code --version} stands on its own before any {@code --} (or {@code -h}, {@code -V}, alone or
   * among clustered flags), nothing else is an error: {@code kiln run DIR --help} helps, as {@code
   * kiln run --help} does.
   */
  public ParsedArgs parse(List<String> args) throws UsageException {
    try {
      return parseAll(args);
    } catch (UsageException e) {
      ParsedArgs onlyAsked = new ParsedArgs();
      for (String arg : args) {
        if (arg.equals("--")) {
          break;
        }
        for (OptionSpec<?> asked : List.of(CommandSpec.HELP, CommandSpec.VERSION)) {
          if (!onlyAsked.has(asked) && asks(arg, asked)) {
            onlyAsked.add(asked, true);
          }
        }
      }
      if (onlyAsked.helpRequested() || onlyAsked.versionRequested()) {
        return onlyAsked;
      }
      throw e;
    }
  }

  /** Whether {@code arg} is {@code flag} by one of its names, or a cluster of short flags with it. */
  private boolean asks(String arg, OptionSpec<?> flag) {
    if (flag.names().contains(arg)) {
      return true;
    }
    if (arg.startsWith("--") || !arg.startsWith("-") || arg.length() < 3) {
      return false;
    }
    boolean among = false;
    for (int at = 1; at < arg.length(); at++) {
      OptionSpec<?> option = byName.get("-" + arg.charAt(at));
      if (option == null || option.takesValue()) {
        return false; // not a cluster of flags: a short option's value, or not an option at all
      }
      among |= option == flag;
    }
    return among;
  }

  private ParsedArgs parseAll(List<String> args) throws UsageException {
    ParsedArgs parsed = new ParsedArgs();
    int parameter = 0;
    boolean optionsEnded = false;
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (!optionsEnded && arg.equals("--")) {
        optionsEnded = true;
      } else if (!optionsEnded && arg.startsWith("--")) {
        int equals = arg.indexOf('=');
        String name = equals < 0 ? arg : arg.substring(0, equals);
        OptionSpec<?> option = option(name);
        if (!option.takesValue()) {
          if (equals >= 0) {
            throw new UsageException("option " + name + " takes no value (got '" + arg.substring(equals + 1) + "')");
          }
          set(parsed, option, "true");
        } else if (equals >= 0) {
          set(parsed, option, arg.substring(equals + 1));
        } else {
          set(parsed, option, valueAfter(args, i++, option));
        }
      } else if (!optionsEnded && arg.length() > 1 && arg.startsWith("-") && !isNumber(arg)) {
        i = shortOptions(parsed, args, i);
      } else {
        parameter = addParameter(parsed, parameter, arg);
      }
    }
    if (!parsed.helpRequested() && !parsed.versionRequested()) {
      checkComplete(parsed);
    }
    return parsed;
  }

  /**
   * {@code -x}, {@code -xVALUE}, {@code -x=VALUE}, {@code -x VALUE} or flags together ({@code -hV});
   * returns the index of the last argument used.
   */
  private int shortOptions(ParsedArgs parsed, List<String> args, int i) throws UsageException {
    String arg = args.get(i);
    for (int at = 1; at < arg.length(); at++) {
      OptionSpec<?> option = option("-" + arg.charAt(at));
      if (!option.takesValue()) {
        set(parsed, option, "true");
      } else if (at + 1 < arg.length()) {
        // -j4, or -j=4 as --jobs=4 is written
        set(parsed, option, arg.substring(arg.charAt(at + 1) == '=' ? at + 2 : at + 1));
        return i;
      } else {
        set(parsed, option, valueAfter(args, i, option));
        return i + 1;
      }
    }
    return i;
  }

  private OptionSpec<?> option(String name) throws UsageException {
    OptionSpec<?> option = byName.get(name);
    if (option == null) {
      throw new UsageException("unknown option " + name);
    }
    return option;
  }

  /** The argument after index {@code i}, which is the value of {@code option}. */
  private String valueAfter(List<String> args, int i, OptionSpec<?> option) throws UsageException {
    // A known option where a value should be means the value was forgotten, not that the option is it.
    if (i + 1 >= args.size() || byName.containsKey(args.get(i + 1))) {
      throw new UsageException("option " + option.longestName() + " needs a value (" + option.label() + ")");
    }
    return args.get(i + 1);
  }

  private static void set(ParsedArgs parsed, OptionSpec<?> option, String text) throws UsageException {
    if (option.multiplicity() != OptionSpec.Multiplicity.REPEATED && parsed.has(option)) {
      throw new UsageException("option " + option.longestName() + " given more than once");
    }
    try {
      parsed.add(option, option.type().parse(text));
    } catch (IllegalArgumentException e) {
      throw new UsageException("option " + option.longestName() + ": " + e.getMessage());
    }
  }

  /** Gives {@code arg} to the parameter at {@code index}; returns the index of the next one. */
  private int addParameter(ParsedArgs parsed, int index, String arg) throws UsageException {
    List<ParameterSpec<?>> parameters = spec.parameters();
    if (index >= parameters.size()) {
      throw new UsageException("unexpected argument '" + arg + "'"
          + (parameters.isEmpty() ? " (the command takes none)" : ""));
    }
    ParameterSpec<?> parameter = parameters.get(index);
    try {
      parsed.add(parameter, parameter.type().parse(arg));
    } catch (IllegalArgumentException e) {
      throw new UsageException(parameter.label() + ": " + e.getMessage());
    }
    return parameter.variadic() ? index : index + 1;
  }

  private void checkComplete(ParsedArgs parsed) throws UsageException {
    for (OptionSpec<?> option : spec.options()) {
      if (option.required() && !parsed.has(option)) {
        throw new UsageException("missing option " + option.longestName() + "=" + option.label());
      }
    }
    for (ParameterSpec<?> parameter : spec.parameters()) {
      if (parameter.required() && !parsed.has(parameter)) {
        throw new UsageException("missing " + parameter.label());
      }
    }
  }

  /**
   * Whether an argument that starts with '-' is a number ({@code -5}, {@code -1.5e3}, {@code
   * -Infinity}, {@code -NaN}, {@code -0x10}): a negative argument to a function, not an option.
   */
  static boolean isNumber(String arg) {
    try {
      Double.parseDouble(arg);
      return true;
    } catch (NumberFormatException notDecimal) {
      try {
        Long.decode(arg);
        return true;
      } catch (NumberFormatException notInteger) {
        return false;
      }
    }
  }
}
