/**
 * Kiln's SSA intermediate representation, in the style of Cranelift's IR: a {@link
 * dev.kiln.ir.Function} has a {@link dev.kiln.ir.Signature}, a {@link dev.kiln.ir.DataFlowGraph}
 * of values and instructions, and a {@link dev.kiln.ir.Layout} ordering blocks and instructions.
 * Entities are dense ints kept in primitive arrays (no object per SSA value); {@code v3} is value
 * 3, {@code block2} block 2, as in the text format.
 *
 * <p>Every value has one of the {@link dev.kiln.ir.Type}s and is defined once, by an instruction
 * or as a block parameter; blocks take parameters instead of phi nodes, and branches pass
 * arguments. The {@link dev.kiln.ir.Opcode} set covers WebAssembly's scalar instructions with
 * their trapping semantics stated, its {@code v128} values (one type whatever the lanes; 128-bit
 * constants live in the data-flow graph's pool), plus the forms the wasm translator needs to make
 * everything explicit: loads and stores with a width and memory region, a separate {@code
 * bounds_check}, conditional traps with a {@link dev.kiln.ir.TrapCode}, direct, indirect and tail
 * calls. The
 * instance context and the stack limit are ordinary parameters ({@link
 * dev.kiln.ir.ParamPurpose}), so a vmctx field read is a {@code load} from a parameter.
 *
 * <p>Every instruction carries the wasm offset it came from and, when it was copied from an
 * inlined call, that call's {@link dev.kiln.ir.InlineSite}, so traps and backtraces can still name
 * each wasm function.
 *
 * <p>Related packages: {@code builder} (SSA construction from variables), {@code verify}, {@code
 * text} (printer and parser), {@code analysis} (CFG, dominators), {@code pass} and {@code inline}
 * (copying a callee's body in place of a call).
 */
package dev.kiln.ir;
