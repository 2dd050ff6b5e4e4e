package dev.kiln.codegen.x64.asm;

/**
 * Anything an instruction form takes as an operand. Which operands a form accepts is given by its
 * {@link OperandKind}s; the encoder decides from the form's encoding where each one goes.
 */
public sealed interface Operand permits Gpr, Xmm, Cond, Imm, Amode, LabelTarget, FunctionTarget {}
