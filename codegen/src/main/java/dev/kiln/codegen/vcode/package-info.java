/**
 * The container every backend lowers into (Cranelift's {@code VCode}): machine instructions of the
 * ISA's own type on virtual registers, grouped in blocks laid out in emission order, with SSA block
 * parameters and the values each terminator passes. {@link dev.kiln.codegen.vcode.VCode} implements
 * the register allocator's {@link dev.kiln.codegen.regalloc.RegAllocFunction} directly, so allocation
 * needs no copy, and the bookkeeping (block ranges, successors with arguments, predecessors) is
 * written once for all ISAs. An ISA's instruction type implements {@link
 * dev.kiln.codegen.vcode.VCodeInst}: what the allocator needs to know about it (kind, operands,
 * clobbers); how it is encoded stays in the ISA module.
 */
package dev.kiln.codegen.vcode;
