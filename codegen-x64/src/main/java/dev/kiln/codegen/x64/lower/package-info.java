/**
 * Instruction selection for x86-64: IR functions become the shared {@link
 * dev.kiln.codegen.vcode.VCode} of {@link dev.kiln.codegen.lower.MInst}s (the same container the
 * AArch64 backend fills), machine instructions on virtual registers with the operand constraints x86 imposes (two-address
 * REUSE, shift counts in rcx, division in rax:rdx, the wasm convention's argument and result
 * registers), which is the register allocator's {@code RegAllocFunction}. Integer values are INT-class
 * vregs (general-purpose registers), f32/f64 values FLOAT-class vregs (xmm registers, scalar SSE2;
 * SSE4.1 rounding when {@link dev.kiln.codegen.x64.lower.CpuFeatures} says so), v128 values
 * FLOAT-class vregs as well (whole xmm registers). Each
 * {@link dev.kiln.codegen.lower.MInst} carries how to encode itself once allocated, so the
 * emitter ({@code emit}) knows nothing about IR opcodes and this package nothing about frames.
 * What does not depend on the ISA (use counts, block numbering and critical-edge splitting, block
 * parameters, the walk over the IR, branch arguments, constants at each use) is {@link
 * dev.kiln.codegen.lower.LoweringDriver}, which the Lowering extends, and the shape of calls and
 * returns {@link dev.kiln.codegen.lower.CallLowering}, to which it supplies the convention's places.
 */
package dev.kiln.codegen.x64.lower;
