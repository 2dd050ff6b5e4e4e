package dev.kiln.tests.support;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.wat.Wat;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;

/**
 * A module to {@code .cwasm} bytes the way {@code kiln compile} makes them (compile, link, emit),
 * for any backend, so tests load real artifacts for either target.
 */
public final class Artifacts {
  private Artifacts() {}

  /**
   * The backend that compiles for {@code target} as {@code kiln compile} does: x86-64 for this host's
   * CPU features, AArch64 for the baseline Armv8-A; both with the stack check on.
   */
  public static Backend backend(Target target) {
    return switch (target) {
      case X86_64 -> new X64Backend(CpuFeatures.host(), true);
      case AARCH64 -> new AArch64Backend(true);
    };
  }

  /** The artifact of {@code module} compiled by {@code backend} with the default options. */
  public static byte[] compile(Module module, Backend backend) {
    return compile(module, backend, CompileOptions.defaults());
  }

  /** The artifact of {@code module} compiled by {@code backend} with {@code options}. */
  public static byte[] compile(Module module, Backend backend, CompileOptions options) {
    CompiledModule compiled = Compiler.compile(module, backend, options);
    return ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "test");
  }

  /** The artifact of the wasm text {@code wat} compiled by {@code backend}. */
  public static byte[] fromWat(String wat, Backend backend) {
    return fromWat(wat, backend, CompileOptions.defaults());
  }

  /** The artifact of the wasm text {@code wat} compiled by {@code backend} with {@code options}. */
  public static byte[] fromWat(String wat, Backend backend, CompileOptions options) {
    return compile(Wasm.load(Wat.toBinaryWithNames(wat, "test.wat")), backend, options);
  }
}
