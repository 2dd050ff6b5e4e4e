package dev.kiln.cli;

import dev.kiln.cli.args.OptionSpec;
import dev.kiln.cli.args.ParsedArgs;
import java.util.List;

/**
 * {@code --epoch-interruption} and {@code --consume-fuel}, the compile settings of the checks that
 * let a deadline or a fuel count stop the code, for every command that compiles ({@code kiln
 * compile}, {@code kiln wast}).
 */
public final class ExecutionLimitOptions {
  private static final OptionSpec<Boolean> EPOCH_INTERRUPTION = OptionSpec.flag(
      "check an epoch deadline at every loop header and call, so a timeout ('kiln run --timeout', an embedder's"
          + " timer) can stop the code; recorded in the artifact, which a runtime not asking for it refuses",
      "--epoch-interruption");

  private static final OptionSpec<Boolean> CONSUME_FUEL = OptionSpec.flag(
      "count one unit of fuel per wasm operator and trap 'out of fuel' once the store's fuel is spent"
          + " ('kiln run --fuel N'); recorded in the artifact, which a runtime not asking for it refuses",
      "--consume-fuel");

  /** The options, for a command's table. */
  public static final List<OptionSpec<?>> OPTIONS = List.of(EPOCH_INTERRUPTION, CONSUME_FUEL);

  private ExecutionLimitOptions() {}

  /** Whether the command line asks for epoch interruption checks in the code. */
  public static boolean epochInterruption(ParsedArgs args) {
    return args.isSet(EPOCH_INTERRUPTION);
  }

  /** Whether the command line asks for fuel metering in the code. */
  public static boolean consumeFuel(ParsedArgs args) {
    return args.isSet(CONSUME_FUEL);
  }
}
