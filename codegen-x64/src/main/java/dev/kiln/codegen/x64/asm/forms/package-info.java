/**
 * The x86-64 opcode tables: one enum per instruction family (ALU, moves, shifts, multiply/divide, bit
 * operations, control flow, SSE), each constant one form, each row readable against the SDM opcode
 * column it cites. {@link dev.kiln.codegen.x64.asm.forms.FormTables#all()} lists them all.
 */
package dev.kiln.codegen.x64.asm.forms;
