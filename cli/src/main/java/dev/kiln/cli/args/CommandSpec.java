package dev.kiln.cli.args;

import java.util.ArrayList;
import java.util.List;

/**
 * A command's whole table: what {@link ArgumentParser} accepts and {@link HelpFormatter} shows.
 * Every command also takes {@link #HELP} and {@link #VERSION}, which are not listed here.
 *
 * @param name the command's name ({@code run})
 * @param description help paragraphs, each wrapped on its own; an empty string is a blank line, and a
 *     paragraph that starts with spaces keeps them on every line it wraps to (an indented list)
 * @param options the options, in the order help lists them
 * @param parameters the positional parameters, in order; only the last may be variadic
 * @param exitStatuses what each exit status means, for help
 * @param footer lines printed after everything else, as written (examples)
 */
public record CommandSpec(String name, List<String> description, List<OptionSpec<?>> options,
    List<ParameterSpec<?>> parameters, List<ExitStatus> exitStatuses, List<String> footer) {

  /** {@code -h, --help}: print the command's help and exit 0, whatever else is on the line. */
  public static final OptionSpec<Boolean> HELP = OptionSpec.flag("Show this help message and exit.", "-h", "--help");

  /** {@code -V, --version}: print Kiln's version and exit 0. */
  public static final OptionSpec<Boolean> VERSION =
      OptionSpec.flag("Print version information and exit.", "-V", "--version");

  /**
   * One line of the exit-status list.
   *
   * @param status the status, or a placeholder such as {@code N}
   * @param meaning when the command exits with it
   */
  public record ExitStatus(String status, String meaning) {}

  public CommandSpec {
    description = List.copyOf(description);
    options = List.copyOf(options);
    parameters = List.copyOf(parameters);
    exitStatuses = List.copyOf(exitStatuses);
    footer = List.copyOf(footer);
    for (int i = 0; i + 1 < parameters.size(); i++) {
      if (parameters.get(i).variadic()) {
        throw new IllegalArgumentException(name + ": only the last parameter may take the remaining arguments");
      }
    }
  }

  /** Groups of options as one list, in order: a command's own and those it shares with others. */
  @SafeVarargs
  public static List<OptionSpec<?>> join(List<? extends OptionSpec<?>>... groups) {
    List<OptionSpec<?>> all = new ArrayList<>();
    for (List<? extends OptionSpec<?>> group : groups) {
      all.addAll(group);
    }
    return all;
  }

  /** The options this command accepts: its own, then help and version. */
  public List<OptionSpec<?>> allOptions() {
    List<OptionSpec<?>> all = new ArrayList<>(options);
    all.add(HELP);
    all.add(VERSION);
    return all;
  }
}
