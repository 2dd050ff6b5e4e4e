package dev.kiln.loader.exec.spi;

import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.Executor;
import java.util.Optional;

/**
 * Makes executors for code of one {@link Target} on hosts that do not run it natively (an emulator),
 * found by the loader through {@link java.util.ServiceLoader}. Implementations need a public
 * no-argument constructor and must be cheap to construct: the loader instantiates each provider once
 * per process, the first time a load or a store asks for a target the host does not run.
 */
public interface ExecutorProvider {
  /** The instruction set its executors run. */
  Target target();

  /** Whether its executors run on a host whose own instruction set is {@code host}. */
  boolean runsOn(Target host);

  /** What runs the code, for messages: "the Unicorn emulator". */
  String description();

  /**
   * Why this provider cannot make executors in this process, said so that the user can act on it
   * (a native library to install); empty if it can.
   */
  Optional<String> unavailableReason();

  /**
   * A new executor; the caller owns it and closes it.
   *
   * @throws RuntimeException if {@link #unavailableReason()} is not empty
   */
  Executor create();

  /**
   * The loader wrote (or mapped) code of {@link #target()} at {@code [address, address + length)}:
   * executors of this provider must not run stale translations of that range (an emulator drops what
   * it translated there before it next runs). Called from any thread.
   */
  void codeWritten(long address, long length);
}
