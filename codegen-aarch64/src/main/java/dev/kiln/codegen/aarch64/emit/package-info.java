/**
 * Emission for AArch64: register allocation of a lowered function over {@link
 * dev.kiln.codegen.vcode.VCode}, the frame it implies (saved callee-saved pairs, spill slots,
 * outgoing area), and encoding of prologue, blocks with the allocator's moves, epilogues, trap
 * blocks and jump tables into a {@link dev.kiln.codegen.CompiledFunction} with its relocations,
 * trap sites and address map. The walk over the blocks (labels, the allocator's edits around each
 * instruction, dropped coalesced copies, the address map) is the shared {@link
 * dev.kiln.codegen.emit.FunctionEmission}; this package adds what is AArch64's.
 */
package dev.kiln.codegen.aarch64.emit;
