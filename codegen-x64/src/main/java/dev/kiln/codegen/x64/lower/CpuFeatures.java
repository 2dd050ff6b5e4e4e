package dev.kiln.codegen.x64.lower;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The optional x86-64 instructions the lowering may use. Each one changes the emitted code, so the
 * set goes into {@code Backend.settings()} and from there into the artifact's compat header.
 *
 * @param features the extensions the target machine has
 */
public record CpuFeatures(Set<Feature> features) {
  /**
   * Extensions beyond the x86-64 baseline (which includes SSE2) that wasm code benefits from; v128
   * operations need SSSE3 and SSE4.1 ({@link #hasSimdBaseline()}).
   */
  public enum Feature {
    /** LZCNT (SDM Vol. 2A "LZCNT"; CPUID.80000001H:ECX.ABM[bit 5]; Linux flag "abm"). */
    LZCNT("abm"),
    /** TZCNT and ANDN, part of BMI1 (CPUID.07H:EBX.BMI1[bit 3]; Linux flag "bmi1"). */
    BMI1("bmi1"),
    /** POPCNT (CPUID.01H:ECX.POPCNT[bit 23]; Linux flag "popcnt"). */
    POPCNT("popcnt"),
    /**
     * SSE4.1 for ROUNDSS/ROUNDSD, wasm's ceil/floor/trunc/nearest in one instruction
     * (CPUID.01H:ECX.SSE4_1[bit 19]; Linux flag "sse4_1"; SDM Vol. 2B "ROUNDSS").
     */
    SSE4_1("sse4_1"),
    /**
     * SSSE3 for PSHUFB, PABS*, PMULHRSW and PMADDUBSW (CPUID.01H:ECX.SSSE3[bit 9]; Linux flag
     * "ssse3"). With SSE4.1 it is the baseline of Kiln's v128 operations, as it was Cranelift's
     * before its SSE2 fallbacks (Wasmtime pull requests 6489 and 6625).
     */
    SSSE3("ssse3"),
    /** SSE4.2 for PCMPGTQ, i64x2 signed compares in one instruction (CPUID.01H:ECX.SSE4_2[bit 20]). */
    SSE4_2("sse4_2"),
    /**
     * AVX for the VEX-encoded three-address forms of the vector instructions, which spare the copy
     * of a two-address SSE instruction's first operand (CPUID.01H:ECX.AVX[bit 28]; Linux prints
     * "avx" only when the kernel also saves the AVX state, OSXSAVE/XCR0, SDM Vol. 1 section 13.3).
     */
    AVX("avx"),
    /**
     * AVX2 for VPBROADCASTB/W/D/Q, a splat in one instruction after the move into lane 0
     * (CPUID.(EAX=07H,ECX=0):EBX.AVX2[bit 5]; Linux flag "avx2").
     */
    AVX2("avx2"),
    /**
     * BMI2 for SHLX/SARX/SHRX, shifts by a count in any register into a third one, and RORX, a
     * rotate by an immediate into a third register (CPUID.(EAX=07H,ECX=0):EBX.BMI2[bit 8]; Linux
     * flag "bmi2"; SDM Vol. 2B "SARX/SHLX/SHRX", "RORX").
     */
    BMI2("bmi2");

    private final String linuxFlag;

    Feature(String linuxFlag) {
      this.linuxFlag = linuxFlag;
    }

    public String linuxFlag() {
      return linuxFlag;
    }
  }

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

  public static CpuFeatures of(Feature... features) {
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
          EnumSet<Feature> found = EnumSet.noneOf(Feature.class);
          for (Feature f : Feature.values()) {
            if (flags.contains(f.linuxFlag)) {
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
    EnumSet<Feature> found = EnumSet.noneOf(Feature.class);
    for (String name : t.split(",")) {
      try {
        found.add(Feature.valueOf(name.trim().toUpperCase(Locale.ROOT)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("unknown x86-64 feature '" + name.trim() + "'; known: "
            + Arrays.toString(Feature.values()).toLowerCase(Locale.ROOT), e);
      }
    }
    return new CpuFeatures(found);
  }

  public boolean has(Feature f) {
    return features.contains(f);
  }

  /** Whether the v128 lane and bitwise operations can be compiled: SSSE3 and SSE4.1 are there. */
  public boolean hasSimdBaseline() {
    return has(Feature.SSSE3) && has(Feature.SSE4_1);
  }

  /** The settings() text: feature names in declaration order joined by commas, or "baseline". */
  public String text() {
    StringBuilder sb = new StringBuilder();
    for (Feature f : Feature.values()) {
      if (has(f)) {
        sb.append(sb.isEmpty() ? "" : ",").append(f.name().toLowerCase(Locale.ROOT));
      }
    }
    return sb.isEmpty() ? "baseline" : sb.toString();
  }
}
