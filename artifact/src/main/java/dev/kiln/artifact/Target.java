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
