package dev.kiln.loader.exec;

import dev.kiln.artifact.Target;
import java.util.Locale;
import java.util.Optional;

/** The instruction set this JVM runs on, as an artifact {@link Target}. */
public final class HostTarget {
  private HostTarget() {}

  /** The host's target, if Kiln supports it ({@code os.arch} amd64/x86_64 or aarch64). */
  public static Optional<Target> current() {
    return switch (System.getProperty("os.arch", "").toLowerCase(Locale.ROOT)) {
      case "amd64", "x86_64" -> Optional.of(Target.X86_64);
      case "aarch64", "arm64" -> Optional.of(Target.AARCH64);
      default -> Optional.empty();
    };
  }
}
