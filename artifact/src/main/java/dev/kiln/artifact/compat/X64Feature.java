package dev.kiln.artifact.compat;

import java.util.Locale;
import java.util.Optional;

/**
 * The optional x86-64 instruction-set extensions Kiln's code may use, beyond the x86-64 baseline
 * (which includes SSE2), named once for both sides of the artifact: the compiler records the ones
 * a module's code uses in the compat header ({@link #SETTING}), and the loader refuses code that
 * uses one the CPU lacks, which would die with SIGILL. Each carries the flag Linux prints in {@code
 * /proc/cpuinfo} for it (the kernel's view of CPUID, Intel SDM Vol. 2A "CPUID").
 */
public enum X64Feature {
  /** LZCNT (SDM Vol. 2A "LZCNT"; CPUID.80000001H:ECX.ABM[bit 5]; Linux flag "abm"). */
  LZCNT("abm"),
  /** TZCNT and ANDN, part of BMI1 (CPUID.07H:EBX.BMI1[bit 3]; Linux flag "bmi1"). */
  BMI1("bmi1"),
  /** POPCNT (CPUID.01H:ECX.POPCNT[bit 23]; Linux flag "popcnt"). */
  POPCNT("popcnt"),
  /**
   * SSE4.1 for ROUNDSS/ROUNDSD, wasm's ceil/floor/trunc/nearest in one instruction, and PMULLD,
   * PTEST and more (CPUID.01H:ECX.SSE4_1[bit 19]; Linux flag "sse4_1"; SDM Vol. 2B "ROUNDSS").
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

  /**
   * The compat-header setting holding an x86-64 artifact's features: "baseline", or the {@link
   * #settingName()}s of the features its code uses, in declaration order, joined by commas.
   */
  public static final String SETTING = "x86_64.features";

  private final String linuxFlag;

  X64Feature(String linuxFlag) {
    this.linuxFlag = linuxFlag;
  }

  /** The flag in the "flags" line of {@code /proc/cpuinfo} that says the CPU has this feature. */
  public String linuxFlag() {
    return linuxFlag;
  }

  /** This feature's name in {@link #SETTING} and on the command line: the constant's, lowercase. */
  public String settingName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The feature whose {@link #settingName()} is {@code name} (any case), if Kiln knows it. */
  public static Optional<X64Feature> byName(String name) {
    for (X64Feature f : values()) {
      if (f.settingName().equals(name.trim().toLowerCase(Locale.ROOT))) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }
}
