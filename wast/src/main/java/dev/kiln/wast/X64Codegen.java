package dev.kiln.wast;

import dev.kiln.artifact.compat.X64Feature;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;

/**
 * How a run compiles x86-64 code: which CPU extensions the code may use, and whether the register
 * allocation checker runs on every function. {@code kiln wast} uses {@link #HOST}, as {@code kiln
 * compile} does, or the features {@code --x86-64-features} names; the test suite also runs {@link
 * #BASELINE_CHECKED} so that the fallbacks for machines without LZCNT, TZCNT, POPCNT and SSE4.1
 * (float rounding) are executed too, and {@link #SIMD_BASELINE_CHECKED} for the v128 sequences of
 * a machine with only the v128 baseline (no SSE4.2, no AVX).
 *
 * @param features the CPU extensions the code may use
 * @param checked whether every allocation is checked
 */
public record X64Codegen(CpuFeatures features, boolean checked) {
  /** The host's extensions, no checker: what {@code kiln compile} emits. */
  public static final X64Codegen HOST = new X64Codegen(CpuFeatures.host(), false);
  /** The host's extensions, every allocation checked. */
  public static final X64Codegen HOST_CHECKED = new X64Codegen(CpuFeatures.host(), true);
  /** Baseline x86-64 only (SSE2), every allocation checked. */
  public static final X64Codegen BASELINE_CHECKED = new X64Codegen(CpuFeatures.baseline(), true);
  /** The v128 baseline, SSSE3 and SSE4.1 and nothing else, every allocation checked. */
  public static final X64Codegen SIMD_BASELINE_CHECKED = new X64Codegen(
      CpuFeatures.of(X64Feature.SSSE3, X64Feature.SSE4_1), true);

  /**
   * Unchecked code for the extensions {@code names} lists, as {@code --x86-64-features} spells them
   * ({@link CpuFeatures#parse}).
   *
   * @throws IllegalArgumentException naming an extension Kiln does not know
   */
  public static X64Codegen unchecked(String names) {
    return new X64Codegen(CpuFeatures.parse(names), false);
  }

  /** The extensions as a command line names them ({@code "sse4.1,popcnt"}), for a run's summary. */
  public String featureNames() {
    return features.text();
  }

  Backend backend() {
    return new X64Backend(features, checked);
  }
}
