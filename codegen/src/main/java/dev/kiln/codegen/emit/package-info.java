/**
 * The ISA-neutral half of emitting an allocated function, after Cranelift's {@code machinst}
 * emission driver ({@code cranelift/codegen/src/machinst/vcode.rs}): the walk over VCode blocks in
 * order, one label per block, the register allocator's edits (moves, spills, reloads) placed before
 * and after each instruction, a register-to-register copy dropped when both ends got the same
 * register, and the mapping from code offsets back to wasm offsets.
 *
 * <p>{@link dev.kiln.codegen.emit.FunctionEmission} owns that walk and the {@link
 * dev.kiln.codegen.CodeBuffer}; an ISA's emitter extends it and supplies how one instruction and one
 * allocator move are encoded, and everything around the body (prologue, trap blocks, jump tables).
 * Both ISAs' encodable instructions extend {@link dev.kiln.codegen.emit.EncodableInst}, which holds
 * the form and the operands; each ISA keeps only its operand checks and its printing.
 */
package dev.kiln.codegen.emit;
