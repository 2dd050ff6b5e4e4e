package dev.kiln.codegen.x64.lower;

import dev.kiln.artifact.compat.X64Feature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The optional x86-64 instructions the lowering may use ({@link X64Feature}, whose names the loader
 * checks too). Each one changes the emitted code, so the set goes into {@code Backend.settings()}
 * and from there into the artifact's compat header.
 *
 * @param features the extensions the target machine has
 */
public record CpuFeatures(Set<X64Feature> features) {
  public CpuFeatures {
    features = features.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(features));
  }

  /**
   * The x86-64 baseline: every count instruction falls back to BSR/BSF or bit arithmetic, float
   * rounding to an SSE2 sequence.
   */
  public static CpuFeatures baseline() {
    return new CpuFeatures(Set.of());
  }

  public static CpuFeatures of(X64Feature... features) {
    return new CpuFeatures(Set.of(features));
  }

  /**
   * The features of the machine running this JVM, read from the "flags" line of /proc/cpuinfo
   * (the kernel's view of CPUID); the baseline when that file is unreadable (not Linux).
   */
  public static CpuFeatures host() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (line.startsWith("flags")) {
          Set<String> flags = Set.copyOf(Arrays.asList(line.substring(line.indexOf(':') + 1).trim()
              .split("\\s+")));
          EnumSet<X64Feature> found = EnumSet.noneOf(X64Feature.class);
          for (X64Feature f : X64Feature.values()) {
            if (flags.contains(f.linuxFlag())) {
              found.add(f);
            }
          }
          return new CpuFeatures(found);
        }
      }
    } catch (IOException | RuntimeException e) {
      return baseline();
    }
    return baseline();
  }

  /**
   * The features named by {@code text}, the format of {@link #text()}: "baseline" or lowercase
   * feature names separated by commas. This is how a cross-compile states its target machine.
   *
   * @throws IllegalArgumentException on an unknown name
   */
  public static CpuFeatures parse(String text) {
    String t = text.trim();
    if (t.equals("baseline") || t.isEmpty()) {
      return baseline();
    }
    EnumSet<X64Feature> found = EnumSet.noneOf(X64Feature.class);
    for (String name : t.split(",")) {
      found.add(X64Feature.byName(name).orElseThrow(() -> new IllegalArgumentException(
          "unknown x86-64 feature '" + name.trim() + "'; known: "
          + Arrays.toString(X64Feature.values()).toLowerCase(Locale.ROOT))));
    }
    return new CpuFeatures(found);
  }

  public boolean has(X64Feature f) {
    return features.contains(f);
  }

  /** Whether the v128 lane and bitwise operations can be compiled: SSSE3 and SSE4.1 are there. */
  public boolean hasSimdBaseline() {
    return has(X64Feature.SSSE3) && has(X64Feature.SSE4_1);
  }

  /** The settings() text: feature names in declaration order joined by commas, or "baseline". */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (X64Feature f : X64Feature.values()) {
      if (has(f)) {
        sb.append(sb.isEmpty() ? "" : ",").append(f.settingName());
      }
    }
    return sb.isEmpty() ? "baseline" : sb.toString();
  }
}
