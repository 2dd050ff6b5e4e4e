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
import dev.kiln.cli.wast.WastCommand;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * The {@code kiln} command: one subcommand per job, each in its own class with its own table of
 * options ({@link dev.kiln.cli.args}). Only the named subcommand's class is loaded; help loads them
 * all to list them.
 */
public final class Main {
  /** The subcommands, in the order help lists them. */
  private static final List<String> NAMES = List.of("validate", "compile", "inspect", "objdump", "run", "wast", "cache");

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
          "  kiln wast ../shared/corpora/spec-testsuite          # the whole spec suite",
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
  static long startedMicros;
  static long startedCpuNanos;

  private Main() {}

  public static void main(String[] args) {
    startedNanos = System.nanoTime();
    startedMicros = RunTimings.nowMicros();
    startedCpuNanos = RunTimings.threadCpuNanos();
    if (args.length > 0 && args[0].equals("run")) {
      NativeWarmup.start();
    }
    int status = run(new PrintWriter(System.out), new PrintWriter(System.err), TerminalWidth::ofStandardOutput, args);
    System.exit(status);
  }

  /** Runs the command line, writing to {@code out} and {@code err}, and returns the exit status; tests call this. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(out, err, () -> TerminalWidth.DEFAULT, args);
  }

  private static int run(PrintWriter out, PrintWriter err, IntSupplier helpWidth, String... args) {
    try {
      return dispatch(out, err, helpWidth, args);
    } catch (UsageException e) {
      err.println("error: " + e.getMessage());
      return UsageException.EXIT_STATUS;
    } finally {
      out.flush();
      err.flush();
    }
  }

  private static int dispatch(PrintWriter out, PrintWriter err, IntSupplier helpWidth, String... args)
      throws UsageException {
    if (args.length == 0) {
      throw new UsageException("kiln: no command given (" + String.join(", ", NAMES) + "; 'kiln --help' explains)");
    }
    String name = args[0];
    List<String> rest = Arrays.asList(args).subList(1, args.length);
    if (name.startsWith("-")) {
      ParsedArgs parsed = parse(new ArgumentParser(KILN), Arrays.asList(args), "kiln");
      if (parsed.versionRequested()) {
        out.println("kiln " + KilnVersion.current());
      } else {
        out.print(new HelpFormatter(helpWidth.getAsInt()).withSubcommands("kiln", KILN, allSpecs()));
      }
      return 0;
    }
    if (name.equals("help")) {
      ParsedArgs parsed = parse(new ArgumentParser(HELP), rest, "kiln help");
      String topic = parsed.get(HELP_TOPIC);
      HelpFormatter help = new HelpFormatter(helpWidth.getAsInt());
      out.print(topic == null || parsed.helpRequested()
          ? help.withSubcommands("kiln", KILN, allSpecs()) : help.command("kiln " + topic, command(topic).spec()));
      return 0;
    }
    Subcommand command = command(name);
    ParsedArgs parsed = parse(new ArgumentParser(command.spec()), rest, "kiln " + name);
    if (parsed.helpRequested()) {
      out.print(new HelpFormatter(helpWidth.getAsInt()).command("kiln " + name, command.spec()));
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
    }
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
      default -> throw new UsageException("kiln: unknown command '" + name + "' (the commands are "
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
