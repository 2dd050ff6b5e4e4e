package dev.kiln.cli;

import dev.kiln.cli.wast.WastCommand;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code kiln} command: one subcommand per job, each in its own class. */
@Command(
    name = "kiln",
    mixinStandardHelpOptions = true,
    versionProvider = KilnVersion.class,
    description = "WebAssembly ahead-of-time compiler and runtime.",
    footer = {
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
      "'kiln help COMMAND' or 'kiln COMMAND --help' explains a command."
    })
public final class Main {
  /** The subcommands, in the order help lists them ({@link #commandLine} adds them). */
  private static final List<Class<?>> SUBCOMMANDS = List.of(ValidateCommand.class, CompileCommand.class,
      InspectCommand.class, ObjdumpCommand.class, RunCommand.class, WastCommand.class, CacheCommand.class,
      CommandLine.HelpCommand.class);

  /** When {@link #main} began, for {@code kiln run --timings} ({@link RunTimings}); 0 when called otherwise. */
  static long startedNanos;
  static long startedMicros;
  static long startedCpuNanos;

  public static void main(String[] args) {
    startedNanos = System.nanoTime();
    startedMicros = RunTimings.nowMicros();
    startedCpuNanos = RunTimings.threadCpuNanos();
    if (args.length > 0 && args[0].equals("run")) {
      NativeWarmup.start();
    }
    System.exit(run(args));
  }

  /** Runs the command line and returns the exit code; tests call this instead of main. */
  public static int run(String... args) {
    return commandLine(args).execute(args);
  }

  /** As {@link #run(String...)}, writing to {@code out} and {@code err} instead of the console. */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    CommandLine cli = commandLine(args);
    cli.setOut(out);
    cli.setErr(err);
    return cli.execute(args);
  }

  /**
   * The command line for {@code args}. Picocli builds a subcommand's whole model (every option, by
   * reflection) when the subcommand is added, so a command line that names one gets only that one
   * (some 30 ms of CPU less at start-up, docs/PERFORMANCE.md); anything else (no subcommand, an
   * option, {@code help}, a typo) gets them all, for help and for picocli's suggestions.
   */
  private static CommandLine commandLine(String... args) {
    CommandLine cli = new CommandLine(new Main());
    Class<?> named = args.length == 0 ? null : SUBCOMMANDS.stream()
        .filter(c -> c != CommandLine.HelpCommand.class && c.getAnnotation(Command.class).name().equals(args[0]))
        .findFirst().orElse(null);
    for (Class<?> subcommand : SUBCOMMANDS) {
      if (named == null || named == subcommand) {
        cli.addSubcommand(subcommand);
      }
    }
    cli.setExecutionExceptionHandler(new UserErrorHandler());
    return cli;
  }
}
