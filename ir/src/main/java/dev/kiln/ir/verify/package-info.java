/**
 * The IR verifier: structural rules (terminators exactly at block ends, entry parameters equal to
 * the signature, every referenced block in the layout), type rules (each opcode's controlling
 * type and operand rules from {@link dev.kiln.ir.Opcode}, branch argument counts and types at
 * every edge, call and return values against their signatures) and SSA dominance (every use is
 * dominated by its definition). Tests run it after the builder and after every pass; a pass that
 * breaks a rule is caught at the pass, not three stages later in the register allocator.
 */
package dev.kiln.ir.verify;
