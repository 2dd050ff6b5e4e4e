package dev.kiln.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

/**
 * The command line of one {@code bench/run} program, read in order before any benchmark starts:
 * {@code -h} or {@code --help} where an option or operand could stand prints the usage and exits 0
 * (as an option's value, {@code --only -h}, it is that value), and a wrong argument (an unknown
 * option, a missing or malformed value, a file that is not there, one operand too many) prints one
 * line saying which, then the usage, and exits 2: never a stack trace for a typing mistake.
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
  /** Which arguments were read as an option's value ({@link #value}), so are no request for help. */
  private final java.util.BitSet values = new java.util.BitSet();
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
    BenchArguments arguments = new BenchArguments(List.of(args));
    try {
      return arguments.readAll(parser);
    } catch (UsageError e) {
      if (arguments.asksForHelp()) {
        System.out.println(usageLine);
        System.exit(0);
      }
      PrintStream err = System.err;
      err.println("bench/run " + command + ": " + e.getMessage());
      err.println(usageLine);
      System.exit(2);
      throw e;
    }
  }

  /**
   * {@link #parse}'s reading, which throws a {@link UsageError} for a wrong argument, and for a
   * request for help (with {@link #asksForHelp} true).
   */
  public static <T> T read(List<String> args, Function<BenchArguments, T> parser) {
    return new BenchArguments(args).readAll(parser);
  }

  <T> T readAll(Function<BenchArguments, T> parser) {
    T result = parser.apply(this);
    if (hasNext()) {
      throw unexpected(next());
    }
    return result;
  }

  /**
   * Whether {@code -h} or {@code --help} stands among the arguments other than as an option's value:
   * a parser meets it as an option it does not have or as an operand it cannot read, so it ends the
   * reading with a {@link UsageError} that this turns into the usage.
   */
  boolean asksForHelp() {
    for (int i = 0; i < args.size(); i++) {
      if (!values.get(i) && (args.get(i).equals("-h") || args.get(i).equals("--help"))) {
        return true;
      }
    }
    return false;
  }

  /** Whether an argument is left to read. */
  public boolean hasNext() {
    return next < args.size();
  }

  /** Every argument left, each read by {@code read} (an operand list: files, module names). */
  public <T> List<T> operands(Function<String, T> read) {
    List<T> all = new java.util.ArrayList<>();
    while (hasNext()) {
      all.add(read.apply(next()));
    }
    return all;
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
    values.set(next);
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
