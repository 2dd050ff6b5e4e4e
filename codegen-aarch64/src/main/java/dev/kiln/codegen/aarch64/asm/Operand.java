package dev.kiln.codegen.aarch64.asm;

/**
 * One operand of an {@link Inst}: a register, a condition, a validated immediate, a branch
 * target or a vector arrangement. Immediates are value types whose factories refuse what the encoding cannot hold, so an
 * instruction that was built can always be encoded.
 */
public sealed interface Operand
    permits Gpr, FpReg, Cond, AddSubImm, LogicalImm, MoveWideImm, ScaledOffset, PairOffset, UImm,
        Target, VArr {}
