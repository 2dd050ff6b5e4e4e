/**
 * Transformations of a {@link dev.kiln.ir.Function} that preserve its meaning. Each is a {@link
 * dev.kiln.ir.pass.FunctionPass}; a {@link dev.kiln.ir.pass.PassPipeline} runs them in order (one
 * {@link dev.kiln.ir.analysis.FlowAnalyses} for all, dropped by a pass that changes the block graph)
 * and, when asked (always in tests), runs the verifier after each one so a broken pass is named at once.
 * {@link dev.kiln.ir.pass.ConstantFolding} and {@link dev.kiln.ir.pass.DeadCodeElimination} clean
 * up ({@link dev.kiln.ir.pass.ArithmeticSimplification}, which the compile runs, folds the integer
 * operations whose constants decide them and leaves branches to {@code ConstantFolding}); {@link dev.kiln.ir.pass.VmctxLoadHoisting} (LICM of VMContext loads) and {@link
 * dev.kiln.ir.pass.GlobalValueNumbering} (which also removes dominated bounds checks, and the traps
 * a dominating trap or branch has already decided, {@link dev.kiln.ir.pass.KnownZeroness}) take away
 * the per-access reloads of a memory's base and length that the translator emits; {@link
 * dev.kiln.ir.pass.DivisionByConstant} turns a division by a constant into a multiplication and
 * shifts, for every ISA at once. All of them read
 * opcode metadata (side effects, memory regions, readonly flags) instead of lists of opcodes; which
 * VMContext loads are invariant is decided in one place ({@code VmctxInvariance}).
 */
package dev.kiln.ir.pass;
