package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.pool.InstancePool;
import dev.kiln.loader.pool.PoolConfig;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.sys.MappingCalls;
import dev.kiln.tests.support.Artifacts;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * Wasm text loaded for either target, stores that take their instances from a pool, and the
 * mapping calls pool cycles make: what this package's tests share.
 */
final class PooledCode {
  private PooledCode() {}

  /** Skips the test when this host runs no code of {@code target}. */
  static void assumeRunnable(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
  }

  /** {@code wat} compiled for {@code target} and loaded. */
  static LoadedModule load(String wat, Target target) {
    return LoadedModule.fromBytes(Artifacts.fromWat(wat, Artifacts.backend(target)), null, ExecutionLimits.NONE);
  }

  /** A store with {@code limits} whose instances are {@code pool}'s. */
  static NativeStore store(InstancePool pool, StoreLimits limits) {
    NativeStore store = new NativeStore(limits);
    store.attachment(InstancePool.class, () -> pool);
    return store;
  }

  static NativeStore store(InstancePool pool) {
    return store(pool, StoreLimits.DEFAULTS);
  }

  /** An instance of {@code exporter} in {@code store}, then one of {@code module} importing its export {@code name}. */
  static LoadedInstance instantiateImporting(LoadedModule module, LoadedModule exporter, String name, NativeStore store) {
    LoadedInstance exporting = LoadedInstance.instantiate(exporter, store);
    return LoadedInstance.instantiate(module, store, List.of(exporting.export(name).orElseThrow()));
  }

  /**
   * {@code rounds} rounds in a store whose instances are a two-slot pool's: an instance of {@code
   * exporterWat}, then one of {@code moduleWat} importing its export {@code name}, given to {@code
   * check} with the round (from 1), both closed after it, so each round's pair is the next tenant of
   * the slots the last one emptied.
   */
  static void inPoolSlots(Target target, String exporterWat, String name, String moduleWat, int rounds,
      ObjIntConsumer<LoadedInstance> check) {
    InstancePool pool = InstancePool.create(new PoolConfig(2, 1, 4, 64 << 10));
    try (LoadedModule module = load(moduleWat, target); LoadedModule exporter = load(exporterWat, target);
        NativeStore store = store(pool)) {
      for (int round = 1; round <= rounds; round++) {
        try (LoadedInstance exporting = LoadedInstance.instantiate(exporter, store);
            LoadedInstance tenant = LoadedInstance.instantiate(module, store,
                List.of(exporting.export(name).orElseThrow()))) {
          check.accept(tenant, round);
        }
      }
    }
  }

  /**
   * The mapping system calls {@code cycles} runs of {@code cycle} made on this thread (counted by
   * {@link MappingCalls}; not the cleaner thread's unmapping of an earlier test's pool): what a pool
   * promises to keep at zero or one per cycle, whatever the load.
   */
  record MappingCallCounts(long mapsAndUnmaps, long protects, long advice) {
    static MappingCallCounts during(int cycles, Runnable cycle) {
      long maps = MappingCalls.MMAP.countOnThisThread() + MappingCalls.MUNMAP.countOnThisThread();
      long protects = MappingCalls.MPROTECT.countOnThisThread();
      long advice = MappingCalls.MADVISE.countOnThisThread();
      for (int i = 0; i < cycles; i++) {
        cycle.run();
      }
      return new MappingCallCounts(
          MappingCalls.MMAP.countOnThisThread() + MappingCalls.MUNMAP.countOnThisThread() - maps,
          MappingCalls.MPROTECT.countOnThisThread() - protects,
          MappingCalls.MADVISE.countOnThisThread() - advice);
    }
  }
}
