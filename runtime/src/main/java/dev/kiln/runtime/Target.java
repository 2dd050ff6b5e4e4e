package dev.kiln.runtime;

import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.sys.ThreadStack;
import java.util.Optional;

/**
 * An instruction set Kiln compiles to. The host's own one runs natively; AArch64 code on an x86-64
 * host runs on the Unicorn emulator (the {@code dev.kiln:kiln-emulator} jar on the class path, and
 * Debian's {@code libunicorn2}), with the same runtime.
 */
public enum Target {
  /** x86-64 with the CPU extensions of the compiling machine (SSE4.1 and SSSE3 at least, for SIMD). */
  X86_64,
  /** AArch64 (ARMv8.0-A with NEON). */
  AARCH64;

  /**
   * The instruction set of this machine, if Kiln has one for it.
   *
   * @return the host's target, or empty on an architecture Kiln does not compile to
   */
  public static Optional<Target> host() {
    ThreadStack.requireRoomToLink("Target.host");
    return HostTarget.current().map(Conversions::target);
  }

  /**
   * The target named as Kiln's tools and artifacts name it ({@link #displayName()}).
   *
   * @param name {@code x86_64} or {@code aarch64}
   * @return the target, or empty for any other name
   */
  public static Optional<Target> fromName(String name) {
    ThreadStack.requireRoomToLink("Target.fromName");
    return dev.kiln.artifact.Target.fromName(name).map(Conversions::target);
  }

  /**
   * The name Kiln's tools and artifacts use: {@code x86_64}, {@code aarch64}.
   *
   * @return the name
   */
  public String displayName() {
    ThreadStack.requireRoomToLink("Target.displayName");
    return Conversions.target(this).displayName();
  }
}
