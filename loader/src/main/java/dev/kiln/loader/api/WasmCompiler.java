package dev.kiln.loader.api;

import dev.kiln.artifact.Target;

/**
 * Compiles a {@code .wasm} binary to {@code .cwasm} bytes for a target. The runtime does not depend
 * on Kiln's compiler (ARCHITECTURE.md section 1: a {@code .cwasm} runs without it), so an embedder
 * that wants {@link Engine#compile} passes one in; {@code dev.kiln.cli.embed.HostCompiler} is the
 * one built on Kiln's compiler.
 */
@FunctionalInterface
public interface WasmCompiler {
  /**
   * @throws RuntimeException if the module is malformed, invalid or uses something Kiln cannot
   *     compile
   */
  byte[] compile(byte[] wasm, Target target);
}
