/**
 * The x86-64 assembler: instruction data, encoding and printing, kept apart.
 *
 * <ul>
 *   <li><b>Data.</b> An {@link dev.kiln.codegen.x64.asm.X64Inst} is an immutable pair of a {@link
 *       dev.kiln.codegen.x64.asm.Form} and its operands ({@link dev.kiln.codegen.x64.asm.Gpr}, {@link
 *       dev.kiln.codegen.x64.asm.Xmm}, {@link dev.kiln.codegen.x64.asm.Amode}, {@link
 *       dev.kiln.codegen.x64.asm.Imm}, {@link dev.kiln.codegen.x64.asm.Cond}, branch targets), checked
 *       against the form's operand kinds when it is built.
 *   <li><b>Tables.</b> A form is one row of an Intel SDM Vol. 2 opcode table: AT&amp;T mnemonic, operand
 *       encoding ("Op/En": RM, MR, MI, ...), legacy prefix, REX.W, opcode bytes, ModRM /digit and
 *       operand kinds. The rows live in {@code forms}, one enum per instruction family, the layout of
 *       Cranelift's {@code cranelift/assembler-x64/meta/src/instructions} (in the Wasmtime
 *       repository).
 *   <li><b>Encoding.</b> {@link dev.kiln.codegen.x64.asm.X64Encoder} turns any form into bytes with one
 *       generic routine: prefixes, REX (SDM Vol. 2A section 2.2.1) or for the AVX forms of {@code
 *       VexForm} a VEX prefix (section 2.3.5), opcode, ModRM/SIB/displacement (section 2.1.5, tables
 *       2-2 and 2-3), immediate. Label references become {@link
 *       dev.kiln.codegen.x64.asm.X64LabelUse} fix-ups; calls to other functions become relocations.
 *   <li><b>Printing.</b> {@link dev.kiln.codegen.x64.asm.X64Printer} prints AT&amp;T syntax exactly as
 *       the tests' oracle, Capstone 5.0 (npm's {@code capstone-wasm}), does, so the encoder's oracle test
 *       is a string comparison.
 * </ul>
 */
package dev.kiln.codegen.x64.asm;
