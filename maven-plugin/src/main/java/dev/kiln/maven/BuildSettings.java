package dev.kiln.maven;

import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Target;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What one execution of the plugin builds, and how: the module, the class, the targets and the
 * compile settings that change the code (each recorded in the artifact, so the generated class
 * builds its run-time engine with the same ones).
 *
 * @param module the {@code .wasm} (or {@code .wat}) file
 * @param moduleLabel how errors name the module (its path relative to the project)
 * @param className the fully qualified name of the class to generate
 * @param targets the instruction sets to compile for, at least one
 * @param epochInterruption compile epoch checks ({@code Engine.Builder#epochInterruption})
 * @param consumeFuel compile fuel metering ({@code Engine.Builder#consumeFuel})
 * @param explicitBoundsChecks check every memory access in code ({@code
 *     Engine.Builder#explicitBoundsChecks})
 * @param x86Features the x86-64 extensions the code may use: fixed by the build, never this
 *     machine's, so that the jar is the same wherever it is built ({@code Engine.Builder#x86Features})
 * @param signKey the HMAC key file the artifacts are signed with, if any
 * @param embedWasm whether the {@code .wasm} is packed too, compiled at run time on a host no
 *     artifact fits; without it such a host gets one clear error
 */
record BuildSettings(Path module, String moduleLabel, String className, List<Target> targets,
    boolean epochInterruption, boolean consumeFuel, boolean explicitBoundsChecks, String x86Features,
    Optional<Path> signKey, boolean embedWasm) {
  BuildSettings {
    Objects.requireNonNull(module, "module");
    Objects.requireNonNull(moduleLabel, "moduleLabel");
    Objects.requireNonNull(className, "className");
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("no target");
    }
    Objects.requireNonNull(x86Features, "x86Features");
    Objects.requireNonNull(signKey, "signKey");
  }

  /** The class's package, empty for the unnamed one. */
  String packageName() {
    int dot = className.lastIndexOf('.');
    return dot < 0 ? "" : className.substring(0, dot);
  }

  /** The class's simple name, which is also its resources' base name. */
  String simpleName() {
    return className.substring(className.lastIndexOf('.') + 1);
  }

  /** The engine that compiles for {@code target} with these settings. */
  Engine engine(Target target) {
    Engine.Builder builder = Engine.builder().target(target)
        .epochInterruption(epochInterruption)
        .consumeFuel(consumeFuel)
        .explicitBoundsChecks(explicitBoundsChecks);
    if (target == Target.X86_64) {
      builder.x86Features(x86Features);
    }
    signKey.ifPresent(builder::signKey);
    return builder.build();
  }
}
