package dev.kiln.artifact.vm;

import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.Target;
import java.util.Map;

/**
 * Whether 32-bit memories are bounds-checked by the code or by the hardware: a compile setting, as
 * Wasmtime's {@code Config::signals_based_traps} with {@code memory_reservation} and {@code
 * memory_guard_size}, recorded in the compat header because the code and the loader must agree.
 *
 * <p>A 32-bit memory's address is an unsigned 32-bit index plus a static offset (spec 4.4.7, {@code
 * memarg}), so with the index zero-extended every access of a {@code width}-byte value lies in
 * {@code [base, base + 2^32 + offset + width)}. The loader reserves {@link #RESERVATION_32} plus
 * {@link #LOADER_GUARD_BYTES} for every 32-bit memory and keeps everything past the current length
 * inaccessible (never committed), so an access whose {@code offset + width} is at most the guard
 * either stays inside the memory or faults in the reservation. Code compiled with {@code
 * guardBytes > 0} leaves out the explicit check of such accesses; the fault (SIGSEGV) becomes a
 * {@code heap_out_of_bounds} trap at the faulting instruction (the loader's fault handler,
 * {@code loader.sys.WasmFaults}). Accesses with a larger static offset, 64-bit
 * memories and the bulk operations keep their explicit checks.
 *
 * <p>Only x86-64 code uses it ({@link #on}), run natively: an x86-64 store that faults writes
 * nothing (a fault restores the state from before the faulting instruction, SDM Vol. 3A 6.5
 * "Exception Classifications"), so a store that straddles the end of memory traps with memory
 * unchanged, as the spec's {@code memory_trap} tests require. AArch64 code keeps explicit checks:
 * this project tests AArch64 code on Unicorn 2.0, whose unmapped-access path lets the rest of the
 * translation block run (the faulting load yields 0, a store is dropped) before it stops, at a pc
 * that is not the faulting instruction's, so a guard fault cannot be turned into a precise trap
 * there; and AArch64 hardware may perform the in-bounds part of a misaligned store that straddles
 * the end before it faults, which the spec does not allow.
 *
 * @param guardBytes the largest {@code offset + width} whose check the code leaves to the guard
 *     region; 0 for explicit checks everywhere
 */
public record MemoryGuard(long guardBytes) {
  /** The compat-header setting recording {@link #guardBytes()} in decimal. */
  public static final String SETTING = "memory32_guard_bytes";
  /** Bytes every index of a 32-bit memory can reach: 2^32. */
  public static final long RESERVATION_32 = 1L << 32;
  /**
   * Inaccessible bytes the loader reserves after {@link #RESERVATION_32}: 32 MiB, Wasmtime's
   * default guard on 64-bit hosts. Static offsets of real programs (data at 1 MiB, a stack below
   * it) stay far below it.
   */
  public static final long LOADER_GUARD_BYTES = 32L << 20;

  /** Explicit checks of every access. */
  public static final MemoryGuard NONE = new MemoryGuard(0);
  /** The default: the loader's whole guard region. */
  public static final MemoryGuard DEFAULT = new MemoryGuard(LOADER_GUARD_BYTES);

  public MemoryGuard {
    if (guardBytes < 0 || guardBytes > LOADER_GUARD_BYTES) {
      throw new IllegalArgumentException("guard of " + guardBytes + " bytes outside [0, " + LOADER_GUARD_BYTES + "]");
    }
  }

  /**
   * This guard as it applies to code for {@code target}: itself for x86-64, {@link #NONE} for the
   * others (see the class comment).
   */
  public MemoryGuard on(Target target) {
    return target == Target.X86_64 ? this : NONE;
  }

  /** Whether the code relies on faults at all. */
  public boolean enabled() {
    return guardBytes > 0;
  }

  /**
   * Whether a 32-bit memory access ending {@code end} bytes past its index ({@code offset +
   * width}) needs no explicit check.
   */
  public boolean covers(long end) {
    return enabled() && end >= 0 && end <= guardBytes;
  }

  /** The compat-header setting. */
  public Map<String, String> settings() {
    return Map.of(SETTING, Long.toString(guardBytes));
  }

  /**
   * The guard an artifact's compat-header settings record. An absent setting means none: an
   * artifact written before the setting existed checks every access.
   *
   * @throws IncompatibleArtifactException if the value is not a guard this loader reserves
   */
  public static MemoryGuard fromSettings(Map<String, String> settings) {
    String value = settings.get(SETTING);
    if (value == null) {
      return NONE;
    }
    long bytes;
    try {
      bytes = Long.parseLong(value);
    } catch (NumberFormatException e) {
      throw new IncompatibleArtifactException("setting " + SETTING + " is \"" + value + "\" in the artifact; expected a byte count");
    }
    if (bytes < 0 || bytes > LOADER_GUARD_BYTES) {
      throw new IncompatibleArtifactException("the artifact relies on a guard region of " + bytes
          + " bytes after each 32-bit memory; this runtime reserves " + LOADER_GUARD_BYTES
          + " (recompile it with this Kiln)");
    }
    return new MemoryGuard(bytes);
  }
}
