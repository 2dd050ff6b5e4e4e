/**
 * The AArch64 assembler: registers ({@link dev.kiln.codegen.aarch64.asm.Gpr}, {@link
 * dev.kiln.codegen.aarch64.asm.FpReg}), condition codes, immediates as validated value types whose
 * factories refuse what an encoding cannot hold ({@link dev.kiln.codegen.aarch64.asm.AddSubImm},
 * {@link dev.kiln.codegen.aarch64.asm.LogicalImm}, {@link dev.kiln.codegen.aarch64.asm.MoveWideImm},
 * {@link dev.kiln.codegen.aarch64.asm.ScaledOffset}, {@link dev.kiln.codegen.aarch64.asm.PairOffset}),
 * the table of forms ({@link dev.kiln.codegen.aarch64.asm.Form}: one row per encoding with its Arm
 * ARM page), the encoder with one {@code enc} helper per bit range, the label uses with their
 * veneers ({@code b.cond}, {@code cbz}: +-1 MiB, bridged by a {@code b} of +-128 MiB), and the
 * printer whose text the tests compare with Capstone's for every form.
 *
 * <p>Owned here rather than shared with x86-64 because nothing of an encoding carries over; the
 * label-use protocol and the code buffer they plug into are ISA-neutral in {@code dev.kiln.codegen}.
 */
package dev.kiln.codegen.aarch64.asm;
