package dev.kiln.loader.module;

import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.compat.X64Feature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Whether this x86-64 CPU has the optional instructions an artifact's code uses. The compiler
 * records them in the compat header as setting {@value X64Feature#SETTING} ("baseline", or names such as
 * "lzcnt,popcnt,sse4_1"); code that executes an instruction the CPU lacks dies with SIGILL, so the
 * loader refuses such an artifact before anything of it runs.
 *
 * <p>The feature names and the /proc/cpuinfo flag of each are {@link X64Feature}'s, the one list
 * the compiler records them from (the loader does not depend on the x86-64 backend). The host's
 * flags are read once.
 *
 * @param flags the CPU flags of the machine the code would run on
 */
public record X64HostFeatures(Set<String> flags) {
  private static final Path CPUINFO = Path.of("/proc/cpuinfo");

  public X64HostFeatures {
    flags = Set.copyOf(flags);
  }

  /** The running machine's flags; none when /proc/cpuinfo cannot be read (then only baseline loads). */
  public static X64HostFeatures host() {
    return Host.FEATURES;
  }

  /** The flags of the first "flags" line of /proc/cpuinfo text; none if it has no such line. */
  public static X64HostFeatures fromCpuinfo(List<String> lines) {
    for (String line : lines) {
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().equals("flags")) {
        String list = line.substring(colon + 1).trim();
        return new X64HostFeatures(list.isEmpty() ? Set.of() : Set.copyOf(Arrays.asList(list.split("\\s+"))));
      }
    }
    return new X64HostFeatures(Set.of());
  }

  /**
   * Refuses code that uses a feature this CPU lacks, or one this runtime does not know.
   *
   * @param settings the artifact's compat settings; without {@value X64Feature#SETTING} nothing is required
   * @throws IncompatibleArtifactException naming every missing feature
   */
  public void check(Map<String, String> settings) {
    List<String> problems = missing(Optional.ofNullable(settings.get(X64Feature.SETTING)).orElse("baseline"));
    if (!problems.isEmpty()) {
      throw new IncompatibleArtifactException("incompatible artifact: its x86-64 code uses "
          + String.join(", ", problems) + "; recompile for this machine (kiln compile picks the host's "
          + "features by default, or --x86-64-features=baseline)");
    }
  }

  /** One description per feature of {@code features} (the setting's text) this CPU lacks. */
  public List<String> missing(String features) {
    List<String> problems = new ArrayList<>();
    String text = features.trim();
    if (text.isEmpty() || text.equals("baseline")) {
      return problems;
    }
    for (String raw : text.split(",")) {
      String name = raw.trim().toLowerCase(Locale.ROOT);
      Optional<X64Feature> feature = X64Feature.byName(name);
      if (feature.isEmpty()) {
        problems.add("feature '" + name + "', which this runtime does not know");
      } else if (!flags.contains(feature.get().linuxFlag())) {
        problems.add(name + ", which this CPU lacks (no '" + feature.get().linuxFlag()
            + "' in /proc/cpuinfo flags)");
      }
    }
    return problems;
  }

  /** Holder: /proc/cpuinfo is read on first use only, then never again. */
  private static final class Host {
    static final X64HostFeatures FEATURES = read();

    private static X64HostFeatures read() {
      try {
        return fromCpuinfo(Files.readAllLines(CPUINFO));
      } catch (IOException | RuntimeException e) {
        return new X64HostFeatures(Set.of());
      }
    }
  }
}
