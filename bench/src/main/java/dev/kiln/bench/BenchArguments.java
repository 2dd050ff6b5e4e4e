package dev.kiln.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The command line of one {@code bench/run} program, read in order before any benchmark starts:
 * {@code -h} or {@code --help} anywhere prints the usage and exits 0, and a wrong argument (an
 * unknown option, a missing or malformed value, a file that is not there, one operand too many)
 * prints one line saying which, then the usage, and exits 2: never a stack trace for a typing
 * mistake.
 */
public final class BenchArguments {
  /** A wrong argument: its message is the line printed. */
  public static final class UsageError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageError(String message) {
      super(message, null, false, false);
    }
  }

  private final List<String> args;
  private int next;

  BenchArguments(List<String> args) {
    this.args = args;
  }

  /**
   * What {@code parser} makes of the arguments of {@code bench/run COMMAND}, whose operands and
   * options {@code usage} lists. An argument the parser leaves unread is one too many.
   */
  public static <T> T parse(String command, String usage, String[] args,
      Function<BenchArguments, T> parser) {
    String usageLine = "usage: bench/run " + command + (usage.isEmpty() ? "" : " " + usage);
    List<String> list = List.of(args);
    if (list.contains("-h") || list.contains("--help")) {
      System.out.println(usageLine);
      System.exit(0);
    }
    try {
      return read(list, parser);
    } catch (UsageError e) {
      PrintStream err = System.err;
      err.println("bench/run " + command + ": " + e.getMessage());
      err.println(usageLine);
      System.exit(2);
      throw e;
    }
  }

  /** {@link #parse}'s reading, which throws a {@link UsageError} for a wrong argument. */
  public static <T> T read(List<String> args, Function<BenchArguments, T> parser) {
    BenchArguments arguments = new BenchArguments(args);
    T result = parser.apply(arguments);
    if (arguments.hasNext()) {
      throw arguments.unexpected(arguments.next());
    }
    return result;
  }

  /** Whether an argument is left to read. */
  public boolean hasNext() {
    return next < args.size();
  }

  /** The next argument. */
  public String next() {
    if (!hasNext()) {
      throw new IllegalStateException("no argument left");
    }
    return args.get(next++);
  }

  /** The value after option {@code option}, which has just been read. */
  public String value(String option) {
    if (!hasNext()) {
      throw new UsageError(option + " needs a value");
    }
    return next();
  }

  /** The value after {@code option} as a whole number of at least 1. */
  public int count(String option) {
    return count(option, value(option));
  }

  /** {@code text}, the value of {@code what}, as a whole number of at least 1. */
  public int count(String what, String text) {
    return number(what, text, 1);
  }

  /** The value after {@code option} as a whole number of at least {@code min}. */
  public int number(String option, int min) {
    return number(option, value(option), min);
  }

  /** {@code text}, the value of {@code what}, as a whole number of at least {@code min}. */
  public int number(String what, String text, int min) {
    try {
      int n = Integer.parseInt(text);
      if (n >= min) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below, as a number out of range is
    }
    throw new UsageError(what + ": '" + text + "' is not a whole number of at least " + min);
  }

  /** The operand {@code text} as a path to a file or folder that exists. */
  public Path existing(String text) {
    if (text.startsWith("-")) {
      throw unexpected(text);
    }
    Path path = Path.of(text);
    if (!Files.exists(path)) {
      throw new UsageError("no such file or folder: " + text);
    }
    return path;
  }

  /** {@code arg} is an option this program does not have, or one operand too many. */
  public UsageError unexpected(String arg) {
    return new UsageError(arg.startsWith("-") ? "unknown option " + arg : "unexpected argument " + arg);
  }
}
