/**
 * Instruction selection for AArch64: one IR function becomes a {@link
 * dev.kiln.codegen.vcode.VCode} of {@link dev.kiln.codegen.lower.MInst}s on virtual
 * registers ({@link dev.kiln.codegen.aarch64.lower.Lowering} for control flow, memory, calls and
 * traps; {@code IntLowering} and {@code FloatLowering} for the operators). Each MInst carries the
 * allocator's view (operands with constraints, clobbers) and an emitter that writes the machine
 * instructions once registers are known, through {@link
 * dev.kiln.codegen.aarch64.lower.EmitContext}. Kept apart from emission so the allocator runs
 * between them on the ISA-neutral VCode. What does not depend on the ISA (use counts, block
 * numbering and critical-edge splitting, block parameters, the walk over the IR, branch arguments,
 * constants at each use) is {@link dev.kiln.codegen.lower.LoweringDriver}, which the Lowering
 * extends, and the shape of calls and returns {@link dev.kiln.codegen.lower.CallLowering}, to which
 * it supplies the convention's places.
 */
package dev.kiln.codegen.aarch64.lower;
