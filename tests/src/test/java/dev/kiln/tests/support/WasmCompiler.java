package dev.kiln.tests.support;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;

/**
 * Compiles a {@code .wasm} binary to {@code .cwasm} bytes for a target. The runtime does not depend
 * on Kiln's compiler (docs/ARCHITECTURE.md section 1: a {@code .cwasm} runs without it), so a test
 * that wants {@link Engine#compile} passes one in (the public API, module {@code dev.kiln.runtime},
 * compiles with Kiln's compiler itself).
 */
@FunctionalInterface
public interface WasmCompiler {
  /**
   * @param limits the epoch and fuel checks the code must have (the engine's)
   * @throws RuntimeException if the module is malformed, invalid or uses something Kiln cannot
   *     compile
   */
  byte[] compile(byte[] wasm, Target target, ExecutionLimits limits);
}
