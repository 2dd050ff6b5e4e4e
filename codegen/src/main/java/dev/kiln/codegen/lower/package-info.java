/**
 * The ISA-neutral half of lowering IR to VCode, after Cranelift's {@code machinst::lower} driver
 * ({@code cranelift/codegen/src/machinst/lower.rs}): what every backend needs to know about a
 * function before it selects a single instruction, and the walk over its blocks.
 *
 * <p>{@link dev.kiln.codegen.lower.LoweringDriver} counts the uses of every IR value (all uses, uses
 * as a branch/select/trap condition, uses as a load/store address) so an ISA can fuse a compare into
 * its consumer or fold an add into an addressing mode; gives every IR block a VCode block and splits
 * every critical edge with an empty block (the register allocator's contract); turns block
 * parameters into vregs, with a mark instruction at the top of each block that gives the allocator
 * a point between the arrival of the block's values and its first instruction; and passes branch
 * arguments along each edge; and rematerializes constants at each use.
 *
 * <p>{@link dev.kiln.codegen.lower.LowerBackend}, which every ISA's lowering extends, holds the
 * decisions of instruction selection that do not depend on the ISA: which instructions need no
 * code (constants, and values folded into all their uses), what sets the flags a branch, select or
 * conditional trap reads, and which hook or operator family ({@link
 * dev.kiln.codegen.lower.OpcodeFamilies}) lowers each instruction. The ISA supplies those hooks and
 * families and chooses only instructions.
 *
 * <p>{@link dev.kiln.codegen.lower.CallLowering} is the same split for calls, returns and the
 * entry's arguments: which value goes to which fixed register, when a value needs a copy, what goes
 * through memory, what a call clobbers and when a tail call must be a call and a return. The ISA
 * says where its convention puts each value and which instructions move, call, return and jump.
 *
 * <p>What a lowered instruction asks of its emitter is {@link dev.kiln.codegen.lower.EmitSession}
 * (labels, jump tables, traps, the frame) and {@link dev.kiln.codegen.lower.Assembler} (encode this
 * form with these operands); each ISA's {@code lower.EmitContext} extends both with its own forms,
 * operands and addressing.
 *
 * <p>Kept here, in one place, so the x86-64 and AArch64 backends cannot drift apart in these
 * decisions.
 */
package dev.kiln.codegen.lower;
