package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.pool.InstancePool;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.loader.sys.MappingCalls;
import dev.kiln.tests.support.Artifacts;

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
