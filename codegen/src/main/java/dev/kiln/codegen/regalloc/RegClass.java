package dev.kiln.codegen.regalloc;

/**
 * The register files the allocator distinguishes. A value of one class never moves into a register or
 * spill slot of another class.
 */
public enum RegClass {
  /** General-purpose registers: x86-64 rax..r15, AArch64 x0..x30. */
  INT,
  /** Floating-point and vector registers: x86-64 xmm0..xmm15, AArch64 v0..v31 (vectors live here too). */
  FLOAT;

  /** Every class in declaration order; {@code values()} copies its array on every call. */
  public static final java.util.List<RegClass> ALL = java.util.List.of(values());
}
