package dev.kiln.loader.instance;

import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.RuntimeTypes;

/**
 * A module's runtime type ids, by type index, in the {@link RuntimeTypes} of the engine its
 * instances are made in: worked out at the first instantiation and shared by the ones after it.
 * Each canonical type has one id per engine for as long as the engine lives, so the ids of one
 * module's types never change; an instance per request (issue 41) then writes them into its
 * VMContext without asking the engine's registry once per type, on whichever thread it runs.
 *
 * <p>One engine's ids are kept: a module is compiled for one engine, and stores with other
 * registries (tests that make stores without an engine) work them out again. Two threads that both
 * find none compute equal arrays; the volatile field publishes either one whole.
 */
final class ModuleTypeIds {
  private volatile Computed last;

  private record Computed(RuntimeTypes types, int[] ids) {}

  private ModuleTypeIds() {}

  /**
   * The ids of {@code module}'s types in {@code types}. The array is shared: read it, never write
   * it. Working them out ticks {@code deadline} once per type (a module may declare a million).
   */
  static int[] of(LoadedModule module, RuntimeTypes types, InstantiationDeadline deadline) {
    ModuleTypeIds cache = module.derived(ModuleTypeIds.class, unused -> new ModuleTypeIds());
    Computed known = cache.last;
    if (known != null && known.types() == types) {
      return known.ids();
    }
    var section = module.info().precise().section();
    var matcher = section.matcher();
    int[] ids = new int[section.size()];
    for (int t = 0; t < ids.length; t++) {
      deadline.tick();
      ids[t] = types.id(matcher.canonical(t));
    }
    cache.last = new Computed(types, ids);
    return ids;
  }
}
