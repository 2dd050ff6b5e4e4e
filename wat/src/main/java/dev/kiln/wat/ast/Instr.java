package dev.kiln.wat.ast;

import dev.kiln.wat.binary.Instruction;
import dev.kiln.wat.lex.Token;
import java.util.List;

/**
 * One plain instruction of a function body or constant expression. Folded instructions and
 * structured ones are flattened by the parser into this sequence (spec 6.5.1, 6.5.2), with {@code
 * else}, {@code end} and the legacy {@code catch}/{@code catch_all}/{@code delegate} as their own
 * entries, exactly as the binary format orders them.
 *
 * @param op the instruction
 * @param immediates its immediates in text order
 * @param at where it was written
 */
public record Instr(Instruction op, List<Imm> immediates, Token at) {}
