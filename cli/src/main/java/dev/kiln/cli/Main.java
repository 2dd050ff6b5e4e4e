package dev.kiln.cli;

import dev.kiln.cli.args.ArgumentParser;
import dev.kiln.cli.args.CommandSpec;
import dev.kiln.cli.args.HelpFormatter;
import dev.kiln.cli.args.ParameterSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.Subcommand;
import dev.kiln.cli.args.TerminalWidth;
import dev.kiln.cli.args.UsageException;
import dev.kiln.cli.args.ValueType;
import dev.kiln.runtime.tools.NativeWarmup;
import dev.kiln.wasi.BoundedDescriptorOutput;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The {@code kiln} command: one subcommand per job, each in its own class with its own table of
 * options ({@link dev.kiln.cli.args}). Only the named subcommand's class is loaded; help loads them
 * all to list them.
 */
public final class Main {
  /** The subcommands, in the order help lists them. */
  private static final List<String> NAMES =
      List.of("validate", "compile", "inspect", "objdump", "run", "wast", "cache");

  private static final CommandSpec KILN = new CommandSpec("kiln",
      List.of("WebAssembly ahead-of-time compiler and runtime."), List.of(), List.of(), List.of(),
      List.of(
          "",
          "Examples:",
          "  kiln validate examples/hello.wasm",
          "  kiln compile examples/hello.wasm -o hello.cwasm",
          "  kiln inspect hello.cwasm",
          "  kiln objdump hello.cwasm",
          "  kiln run hello.cwasm --invoke fac 5",
          "  kiln run examples/hello.wasm --invoke fac 5      # compiled once, then from the cache",
          "  kiln cache stats",
          "  kiln wast testsuite/                              # every .wast under a directory",
          "  kiln wast -v --target aarch64 core/binary.wast",
          "",
          "'kiln help COMMAND' or 'kiln COMMAND --help' explains a command."));

  private static final ParameterSpec<String> HELP_TOPIC =
      new ParameterSpec<>("COMMAND", ValueType.STRING, false, false, "the command to explain");
  private static final CommandSpec HELP = new CommandSpec("help",
      List.of("Display help information about the specified command."), List.of(), List.of(HELP_TOPIC), List.of(),
      List.of());

  /** When {@link #main} began, for {@code kiln run --timings} ({@link RunTimings}); 0 when called otherwise. */
  static long startedNanos;
  static long startedCpuNanos;
  /**
   * Whether the command line owns the process's standard streams: true when {@link #main} began,
   * false when a caller in the same JVM (a test) hands {@link #run} writers of its own and may have
   * replaced {@code System.out}. A WASI guest of {@code kiln run} writes to the process's own
   * descriptors only then ({@link WasiCommandLine}).
   */
  static boolean ownsStandardStreams;

  private static final int STDERR_FD = 2;
  /**
   * How long one write to standard error may wait for the reader to make room, once; past it the
   * rest of kiln's own output there is dropped (BoundedDescriptorOutput): long enough for a
   * terminal or a reader that is merely busy, short beside any --timeout.
   */
  private static final int STDERR_GRACE_MILLIS = 1000;

  private Main() {}

  public static void main(String[] args) {
    startedNanos = System.nanoTime();
    startedCpuNanos = RunTimings.threadCpuNanos();
    ownsStandardStreams = true;
    // Standard error is written with a bounded wait: a guest stopped at its deadline may have filled
    // a pipe on fd 2 whose reader does not read, and the error line must not hold the process there.
    PrintWriter err = new PrintWriter(new OutputStreamWriter(
        new BoundedDescriptorOutput(STDERR_FD, STDERR_GRACE_MILLIS), System.err.charset()));
    int status = run(new PrintWriter(System.out), err, true, args);
    // Success ends by returning: Runtime.exit logs through System.Logger (JDK 21+, "java.lang.Runtime"),
    // whose first use looks for a logging backend in every jar on the class path (some 30 classes and a
    // scan of 20 jars at the end of every run). Every thread Kiln starts is a daemon, so returning ends
    // the process as exit(0) would, shutdown hooks included.
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the command line, writing to {@code out} and {@code err}, and returns the exit status; tests call this. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(out, err, false, args);
  }

  /**
   * {@code toConsole}: out is standard output, where help fits the terminal's width. Every command
   * writes through {@link TerminalSafeWriter}s: a module's names and messages reach its lines.
   */
  private static int run(PrintWriter givenOut, PrintWriter givenErr, boolean toConsole, String... args) {
    TerminalSafeWriter out = new TerminalSafeWriter(givenOut);
    TerminalSafeWriter err = new TerminalSafeWriter(givenErr);
    try {
      return dispatch(out, err, toConsole, args);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return UsageException.EXIT_STATUS;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static int dispatch(TerminalSafeWriter out, PrintWriter err, boolean toConsole, String... args)
      throws UsageException {
    if (args.length == 0) {
      throw new UsageException("no command given (" + String.join(", ", NAMES) + "; 'kiln --help' explains)");
    }
    String name = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (name.startsWith("-")) {
      ParsedArgs parsed = parse(new ArgumentParser(KILN), Arrays.asList(args), "kiln");
      if (parsed.versionRequested()) {
        out.println("kiln " + KilnVersion.current());
      } else {
        out.printLines(help(toConsole).withSubcommands("kiln", KILN, allSpecs()));
      }
      return 0;
    }
    if (name.equals("help")) {
      ParsedArgs parsed = parse(new ArgumentParser(HELP), rest, "kiln help");
      String topic = parsed.get(HELP_TOPIC);
      HelpFormatter help = help(toConsole);
      out.printLines(topic == null || parsed.helpRequested()
          ? help.withSubcommands("kiln", KILN, allSpecs()) : help.command("kiln " + topic, command(topic).spec()));
      return 0;
    }
    if (name.equals("run")) {
      NativeWarmup.start(); // before the run's classes load, so that it overlaps with all of that
    }
    Subcommand command = command(name);
    ParsedArgs parsed = parse(new ArgumentParser(command.spec()), rest, "kiln " + name);
    if (parsed.helpRequested()) {
      out.printLines(help(toConsole).command("kiln " + name, command.spec()));
      return 0;
    }
    if (parsed.versionRequested()) {
      out.println("kiln " + KilnVersion.current());
      return 0;
    }
    try {
      return command.run(parsed, out, err);
    } catch (Exception e) {
      return UserErrorHandler.handle(e, err);
    } catch (OutOfMemoryError e) {
      return UserErrorHandler.outOfMemory(e, err);
    }
  }

  /** Help as wide as the terminal on standard output, else {@link TerminalWidth#DEFAULT}. */
  private static HelpFormatter help(boolean toConsole) {
    return new HelpFormatter(toConsole ? TerminalWidth.ofStandardOutput() : TerminalWidth.DEFAULT);
  }

  /** The arguments parsed, or the error naming the command whose options they broke. */
  private static ParsedArgs parse(ArgumentParser parser, List<String> args, String path) throws UsageException {
    try {
      return parser.parse(args);
    } catch (UsageException e) {
      throw new UsageException(path + ": " + e.getMessage() + " ('" + path + " --help' lists the options)");
    }
  }

  /** The subcommand {@code name}; only its class is loaded. */
  private static Subcommand command(String name) throws UsageException {
    return switch (name) {
      case "validate" -> new ValidateCommand();
      case "compile" -> new CompileCommand();
      case "inspect" -> new InspectCommand();
      case "objdump" -> new ObjdumpCommand();
      case "run" -> new RunCommand();
      case "wast" -> new WastCommand();
      case "cache" -> new CacheCommand();
      default -> throw new UsageException("unknown command '" + name + "' (the commands are "
          + String.join(", ", NAMES) + ", help)");
    };
  }

  /** Every subcommand's table, in help's order ({@code help} last). */
  static List<CommandSpec> allSpecs() throws UsageException {
    List<CommandSpec> specs = new ArrayList<>();
    for (String name : NAMES) {
      specs.add(command(name).spec());
    }
    specs.add(HELP);
    return specs;
  }
}
