package dev.kiln.artifact;

import java.util.Optional;

/**
 * The instruction sets a {@code .cwasm} can hold code for, with the facts the container needs about
 * each: the ELF {@code e_machine} value (System V gABI, "Machine Information"), the page size
 * {@code .text} is aligned to so a loader can map it and make it executable in place, and the byte
 * that identifies it in the compatibility header.
 */
public enum Target {
  /** x86-64; EM_X86_64 = 62; 4 KiB pages. */
  X86_64("x86_64", 62, 4096, 1),
  /**
   * AArch64; EM_AARCH64 = 183; 64 KiB alignment, the largest translation granule Linux uses on
   * AArch64, so one artifact maps under 4, 16 and 64 KiB page kernels.
   */
  AARCH64("aarch64", 183, 65536, 2);

  private final String displayName;
  private final int elfMachine;
  private final int pageSize;
  private final int code;

  Target(String displayName, int elfMachine, int pageSize, int code) {
    this.displayName = displayName;
    this.elfMachine = elfMachine;
    this.pageSize = pageSize;
    this.code = code;
  }

  /** The name used on the command line and in messages: {@code x86_64} or {@code aarch64}. */
  public String displayName() {
    return displayName;
  }

  /** ELF {@code e_machine}. */
  public int elfMachine() {
    return elfMachine;
  }

  /** Alignment of {@code .text} in the file, in bytes. */
  public int pageSize() {
    return pageSize;
  }

  /**
   * Alignment of every function in {@code .text} and of every loop header inside one, in bytes.
   * x86-64: 32, the window the decoded-instruction cache maps code by (Intel Optimization Reference
   * Manual, "Decoded ICache": micro-ops are cached per 32-byte aligned window), so a small inner
   * loop that starts on a boundary is one window; placed by chance, the same sieve loop ran 355 or
   * 256 ms by where it fell (docs/history/performance-journal.md, "Inlining and loop alignment").
   * AArch64: 16, the fetch block the Arm Cortex and Neoverse software optimization guides align
   * branch targets to (instructions themselves need only 4, Arm ARM B2.3.1).
   */
  public int codeAlignment() {
    return switch (this) {
      case X86_64 -> 32;
      case AARCH64 -> 16;
    };
  }

  /**
   * The most bytes of {@code .text} a module's code can link into: every direct call must reach
   * every function without veneers. x86-64: a rel32 call reaches 2 GiB either way (Intel SDM Vol.
   * 2A, CALL); AArch64: BL's signed 26-bit word offset reaches 128 MiB either way (Arm ARM C6.2.34).
   */
  public long maxTextBytes() {
    return switch (this) {
      case X86_64 -> 1L << 31;
      case AARCH64 -> 1L << 27;
    };
  }

  /** The byte stored in the compatibility header. */
  public int code() {
    return code;
  }

  /** The target with this ELF {@code e_machine}, if Kiln supports it. */
  public static Optional<Target> fromElfMachine(int machine) {
    for (Target t : values()) {
      if (t.elfMachine == machine) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The target with this compatibility-header byte, if any. */
  public static Optional<Target> fromCode(int code) {
    for (Target t : values()) {
      if (t.code == code) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  /** The target with this display name ({@code x86_64}, {@code aarch64}), if any. */
  public static Optional<Target> fromName(String name) {
    for (Target t : values()) {
      if (t.displayName.equals(name)) {
        return Optional.of(t);
      }
    }
    return Optional.empty();
  }

  @Override
  public String toString() {
    return displayName;
  }
}
