package dev.kiln.loader.runtime;

import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.exec.Executors;
import java.util.EnumMap;
import java.util.Map;

/**
 * The {@link Executor} of each target a store's instances run ({@link NativeStore#executorFor}):
 * the host's own instruction set runs natively, another one on an emulator the store creates on
 * first use, reuses for every entry and closes with the store. {@link NativeStore} calls it under
 * its lock, and closes it under its claim.
 */
final class StoreExecutors {
  /**
   * The executor of the first target the store ran, and those of any other target (an emulated
   * one beside the host's) in {@link #otherExecutors}, made then.
   */
  private Target firstTarget;
  private Executor firstExecutor;
  private Map<Target, Executor> otherExecutors;

  /**
   * The executor that runs code compiled for {@code target}, created on first use.
   *
   * @throws IncompatibleArtifactException if this host runs no code of that target
   */
  Executor executorFor(Target target) {
    if (target == firstTarget) {
      return firstExecutor;
    }
    Executor executor = otherExecutors == null ? null : otherExecutors.get(target);
    if (executor == null) {
      executor = Executors.create(target).orElseThrow(() -> new IncompatibleArtifactException(
          "this host (" + System.getProperty("os.arch") + ") cannot run " + target.displayName() + " code"));
      if (firstTarget == null) {
        firstTarget = target;
        firstExecutor = executor;
      } else {
        if (otherExecutors == null) {
          otherExecutors = new EnumMap<>(Target.class);
        }
        otherExecutors.put(target, executor);
      }
    }
    return executor;
  }

  /**
   * Closes every executor made; the store is closing. Each is forgotten once closed, so a close
   * that was interrupted (issue 35) closes only the rest when called again.
   */
  void close() {
    if (firstExecutor != null) {
      firstExecutor.close();
      firstExecutor = null;
      firstTarget = null;
    }
    while (otherExecutors != null && !otherExecutors.isEmpty()) {
      Map.Entry<Target, Executor> next = otherExecutors.entrySet().iterator().next();
      next.getValue().close();
      otherExecutors.remove(next.getKey());
    }
    otherExecutors = null;
  }
}
