package dev.kiln.codegen.x64.asm;

/**
 * A call (or tail-call jump) target in another function, named by its FuncKey as one unsigned 64-bit
 * value; the encoder leaves a zero rel32 and a {@link dev.kiln.codegen.RelocKind#X86_CALL_PC_REL4}
 * relocation for the linker.
 */
public record FunctionTarget(long funcKey) implements Operand {}
