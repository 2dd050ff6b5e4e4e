package dev.kiln.tests.limits;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.codegen.Backend;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;

/**
 * Wasm text compiled for either target with epoch and fuel checks (allocation checker on), loaded
 * by a runtime asking for the same checks.
 */
final class LimitedCode {
  private LimitedCode() {}

  /** Skips the test when this host runs no code of {@code target}. */
  static void assumeRunnable(Target target) {
    assumeTrue(Executors.canRun(target), "this host cannot run " + target + " code");
  }

  /** The artifact of {@code wat} (tail calls enabled) for {@code target} with {@code limits}' checks. */
  static byte[] compile(String wat, Target target, ExecutionLimits limits) {
    return compileWasm(Wat.toBinaryWithNames(wat, "test.wat"), target, limits);
  }

  /** The artifact of {@code wasm} for {@code target} with {@code limits}' checks (a loader {@code WasmCompiler}). */
  static byte[] compileWasm(byte[] wasm, Target target, ExecutionLimits limits) {
    Backend backend = Artifacts.backend(target);
    return Artifacts.compile(Wasm.load(wasm), backend, CompileOptions.defaults().withLimits(limits));
  }

  /** {@code wat} compiled for {@code target} with {@code limits}, loaded asking for them. */
  static LoadedModule load(String wat, Target target, ExecutionLimits limits) {
    return LoadedModule.fromBytes(compile(wat, target, limits), null, limits);
  }
}
