package dev.kiln.loader.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;

/**
 * One owner decision: which of the objects only the heap keeps ({@link StoreLifetimes#candidates}:
 * closed instances of modules whose function references can have left them only into GC objects,
 * and closed objects only such instances use) a collection reaches. A collection run while no wasm
 * of the store runs (so no frame can hold a function reference: stack maps name GC objects only)
 * relocates every other root, and tells this object each word it relocates that is no heap object
 * ({@link GcCollector}): a word inside a candidate's registered VMFuncRef array marks that candidate
 * reached, and its own roots (its tables and globals, which may hold further references and
 * objects) are relocated in turn, until no new candidate is reached. A reached candidate also reaches the candidates it imports from (it
 * uses them, {@link StoreLifetimes#candidates}), whose roots then count too. What stays unreached
 * has no function reference in any live object, root, table, global or handle, no user that is
 * reached, and no code of it runs: the store frees it.
 *
 * <p>Types need no such tracing: an object's header holds an engine-wide runtime type id ({@link
 * RuntimeTypes}), which outlives every instance; an exception object's tag is an identity number,
 * not an address ({@link TagRegistry}).
 */
final class HeapHeldOwners implements LongConsumer {
  /** The candidates, each with the roots it registered, which count only once it is reached. */
  private final Map<Lifetime, List<GcRoots>> candidates;
  private final FunctionReferenceRegistry functionReferences;
  /** For each candidate that imports from others, those of them that are candidates. */
  private final Map<Lifetime, List<Lifetime>> imported = new IdentityHashMap<>();
  private final Set<Lifetime> reached = Collections.newSetFromMap(new IdentityHashMap<>());
  /** Reached candidates whose roots are not relocated yet. */
  private final List<Lifetime> pending = new ArrayList<>();

  /**
   * @param candidates the objects only the heap keeps, each with its registered roots (left out of
   *     the collection's roots)
   * @param functionReferences the store's VMFuncRef arrays and their owners
   */
  HeapHeldOwners(Map<Lifetime, List<GcRoots>> candidates, FunctionReferenceRegistry functionReferences) {
    this.candidates = candidates;
    this.functionReferences = functionReferences;
    for (Lifetime candidate : candidates.keySet()) {
      for (Lifetime importer : candidate.importers()) {
        imported.computeIfAbsent(importer, unused -> new ArrayList<>()).add(candidate);
      }
    }
  }

  /** A word a collection relocated that is no heap object: a candidate's function reference marks it reached. */
  @Override
  public void accept(long word) {
    if (word == 0 || (word & 7) != 0) {
      return; // null, an i31: no VMFuncRef address
    }
    Lifetime owner = functionReferences.ownerOrNull(word);
    if (owner != null) {
      reach(owner);
    }
  }

  private void reach(Lifetime owner) {
    if (candidates.containsKey(owner) && reached.add(owner)) {
      pending.add(owner);
    }
  }

  /**
   * The roots of the candidates reached since the last call, and of those they import from, to
   * relocate now; empty when there are none.
   */
  List<GcRoots> takeReachedRoots() {
    List<GcRoots> roots = new ArrayList<>();
    while (!pending.isEmpty()) {
      Lifetime owner = pending.removeLast();
      roots.addAll(candidates.get(owner));
      imported.getOrDefault(owner, List.of()).forEach(this::reach);
    }
    return roots;
  }

  /** The roots of every reached candidate: roots of the heap after the collection, as the others. */
  List<GcRoots> reachedRoots() {
    List<GcRoots> roots = new ArrayList<>();
    for (Lifetime owner : reached) {
      roots.addAll(candidates.get(owner));
    }
    return roots;
  }

  /** The candidates no relocated word reached, in the order given: the store frees them. */
  List<Lifetime> unreached() {
    List<Lifetime> unreached = new ArrayList<>();
    for (Lifetime candidate : candidates.keySet()) {
      if (!reached.contains(candidate)) {
        unreached.add(candidate);
      }
    }
    return unreached;
  }

  /** How many candidates were reached: they stay. */
  int reachedCount() {
    return reached.size();
  }
}
