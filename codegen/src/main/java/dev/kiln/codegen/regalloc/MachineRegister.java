package dev.kiln.codegen.regalloc;

/**
 * One of an ISA's hardware registers as the shared back end sees it: its class and encoding, which
 * together are the allocator's {@link PReg}. Each ISA's register enums implement it, so code that is
 * generic over an ISA's register types (the calling convention's locations, a frame's save list)
 * can still name the allocator's register.
 */
public interface MachineRegister {
  /** The register's hardware encoding (its number in instruction fields). */
  int enc();

  /** The allocator's class of the register: INT for general-purpose, FLOAT for FP/vector. */
  RegClass regClass();

  /** The allocator's name of this register. */
  default PReg preg() {
    return PReg.of(regClass(), enc());
  }
}
