/**
 * Facts computed from a function and consumed by the verifier, the passes and the backends: the
 * {@link dev.kiln.ir.analysis.ControlFlowGraph} (successors and predecessors of each block, read
 * from the terminators) and the {@link dev.kiln.ir.analysis.DominatorTree} (Lengauer and Tarjan's
 * algorithm, {@link dev.kiln.ir.analysis.ImmediateDominators}, which the register allocator's
 * dominators share), {@link dev.kiln.ir.analysis.NaturalLoops}
 * (each back edge's loop, and how loops nest) and {@link dev.kiln.ir.analysis.ValueUses} (use
 * counts). All are snapshots: recompute after a pass changes what they describe; {@link
 * dev.kiln.ir.analysis.FlowAnalyses} keeps the graph and the tree across the passes that leave
 * the blocks and their edges alone.
 */
package dev.kiln.ir.analysis;
