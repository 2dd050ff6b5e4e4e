package dev.kiln.wast;

import dev.kiln.loader.instance.LoadedInstance;
import java.util.Collections;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * What a script's {@code module} command left for later actions to run against: a live instance, or
 * the reason there is none (imports from a module not run, a trampoline or initialiser the
 * compiler refuses, a target Kiln cannot run here). Actions against an unavailable module are
 * skipped with that reason, never failed.
 */
sealed interface InstanceSlot {
  /**
   * A module compiled for this host, loaded and instantiated.
   *
   * @param refusals functions compiled as stubs that trap with {@code TrapCode.UNSUPPORTED}, by
   *     function index, with why the compiler refused them; an action that reaches one is skipped
   */
  record Ready(LoadedInstance instance, SortedMap<Integer, String> refusals) implements InstanceSlot {
    public Ready {
      refusals = Collections.unmodifiableSortedMap(new TreeMap<>(refusals));
    }

    /** The skip reason of an action that reached a refused function. */
    String unsupportedReason() {
      return Instantiator.reachesRefused(refusals);
    }
  }

  /** No instance; {@code reason} says why, for the skipped actions that wanted one. */
  record Unavailable(String reason) implements InstanceSlot {
    /** The skip of a command that needed this instance. */
    Outcome.Skipped skipped() {
      return new Outcome.Skipped(reason);
    }
  }
}
