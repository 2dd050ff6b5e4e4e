package dev.kiln.cli.wast;

import dev.kiln.loader.instance.Instance;

/**
 * What a script's {@code module} command left for later actions to run against: a live instance, or
 * the reason there is none (imports, a feature the compiler refuses, a target Kiln cannot run here).
 * Actions against an unavailable module are skipped with that reason, never failed.
 */
sealed interface InstanceSlot {
  /** A module compiled for this host, loaded and instantiated. */
  record Ready(Instance instance) implements InstanceSlot {}

  /** No instance; {@code reason} says why, for the skipped actions that wanted one. */
  record Unavailable(String reason) implements InstanceSlot {}
}
