package dev.kiln.loader.exec;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.HostTarget;
import java.util.Optional;

/**
 * Which executor runs code of a given target on this host: the host's own instruction set runs
 * natively; nothing else runs here yet.
 */
public final class Executors {
  private Executors() {}

  /** Whether this host can run code compiled for {@code target}. */
  public static boolean canRun(Target target) {
    return HostTarget.current().orElse(null) == target;
  }

  /**
   * A new executor for {@code target}, or empty if this host cannot run it. The native executor is
   * shared; an emulator is owned by the caller, which closes it.
   */
  public static Optional<Executor> create(Target target) {
    return canRun(target) ? Optional.of(NativeExecutor.forHost()) : Optional.empty();
  }
}
