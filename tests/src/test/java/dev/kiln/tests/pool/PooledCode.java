package dev.kiln.tests.pool;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.codegen.Backend;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.pool.InstancePool;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.wasm.Wasm;
import dev.kiln.wat.Wat;

/** Wasm text loaded for either target, and stores that take their instances from a pool. */
final class PooledCode {
  private PooledCode() {}

  /** Skips the test when this host runs no code of {@code target}. */
  static void assumeRunnable(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
  }

  /** {@code wat} compiled for {@code target} and loaded. */
  static LoadedModule load(String wat, Target target) {
    Backend backend = Artifacts.backend(target);
    byte[] artifact = Artifacts.compile(Wasm.load(Wat.toBinaryWithNames(wat, "pooled.wat")), backend,
        CompileOptions.defaults());
    return LoadedModule.fromBytes(artifact, null, ExecutionLimits.NONE);
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
}
