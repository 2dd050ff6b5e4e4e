package dev.kiln.cli.wast;

import dev.kiln.codegen.Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;

/**
 * How a run compiles x86-64 code: which CPU extensions the code may use, and whether the register
 * allocation checker runs on every function. {@code kiln wast} uses {@link #HOST}, as {@code kiln
 * compile} does; the test suite also runs {@link #BASELINE_CHECKED} so that the fallbacks for
 * machines without LZCNT, TZCNT, POPCNT and SSE4.1 (float rounding) are executed too.
 */
public enum X64Codegen {
  /** The host's extensions, no checker: what {@code kiln compile} emits. */
  HOST(false, false),
  /** The host's extensions, every allocation checked. */
  HOST_CHECKED(false, true),
  /** Baseline x86-64 only (SSE2), every allocation checked. */
  BASELINE_CHECKED(true, true);

  private final boolean baseline;
  private final boolean checked;

  X64Codegen(boolean baseline, boolean checked) {
    this.baseline = baseline;
    this.checked = checked;
  }

  Backend backend() {
    return new X64Backend(baseline ? CpuFeatures.baseline() : CpuFeatures.host(), checked);
  }
}
