/**
 * Transformations of a {@link dev.kiln.ir.Function} that preserve its meaning. Each is a {@link
 * dev.kiln.ir.pass.FunctionPass}; a {@link dev.kiln.ir.pass.PassPipeline} runs them in order and,
 * when asked (always in tests), runs the verifier after each one so a broken pass is named at once.
 * {@link dev.kiln.ir.pass.ConstantFolding} and {@link dev.kiln.ir.pass.DeadCodeElimination} are
 * the first passes; GVN, LICM and bounds-check elimination are planned on the same interface,
 * reading opcode metadata (side effects, memory regions) instead of lists of opcodes.
 */
package dev.kiln.ir.pass;
