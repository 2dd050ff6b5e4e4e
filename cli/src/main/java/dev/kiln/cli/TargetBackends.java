package dev.kiln.cli;

import dev.kiln.artifact.Target;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import java.util.Optional;

/**
 * The code generator for each target this build of {@code kiln} can emit. x86-64 code uses the CPU
 * extensions of the machine running the compiler, or those a cross-compile names ({@link #x64}); the
 * compat header records them, so the loader refuses the artifact on a machine without them. AArch64 code needs only the ARMv8.0-A base
 * instruction set, so it does not depend on the compiling machine.
 */
final class TargetBackends {
  private TargetBackends() {}

  static Optional<Backend> forTarget(Target target) {
    return switch (target) {
      case X86_64 -> Optional.of(X64Backend.forHost());
      case AARCH64 -> Optional.of(new AArch64Backend(false));
    };
  }

  /** The x86-64 generator for a machine with exactly these extensions ({@code --x86-64-features}). */
  static Backend x64(CpuFeatures features) {
    return new X64Backend(features, false);
  }
}
