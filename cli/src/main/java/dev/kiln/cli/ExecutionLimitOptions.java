package dev.kiln.cli;

import dev.kiln.artifact.vm.ExecutionLimits;
import picocli.CommandLine.Option;

/**
 * {@code --epoch-interruption} and {@code --consume-fuel}, the compile settings of {@link
 * ExecutionLimits}, for every command that compiles ({@code kiln compile}, {@code kiln wast}) as a
 * picocli mixin.
 */
public final class ExecutionLimitOptions {
  @Option(names = "--epoch-interruption",
      description = "check an epoch deadline at every loop header and call, so a timeout ('kiln run"
          + " --timeout', an embedder's timer) can stop the code; recorded in the artifact, which a runtime not"
          + " asking for it refuses")
  boolean epochInterruption;

  @Option(names = "--consume-fuel",
      description = "count one unit of fuel per wasm operator and trap 'out of fuel' once the store's fuel is spent"
          + " ('kiln run --fuel N'); recorded in the artifact, which a runtime not asking for it refuses")
  boolean consumeFuel;

  /** Picocli fills the fields. */
  public ExecutionLimitOptions() {}

  /** The checks the options ask for. */
  public ExecutionLimits limits() {
    return new ExecutionLimits(epochInterruption, consumeFuel);
  }
}
