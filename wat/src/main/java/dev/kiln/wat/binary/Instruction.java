package dev.kiln.wat.binary;

/**
 * One row of the instruction table: how an instruction is named in the text format and written in
 * the binary format.
 *
 * @param name the text-format name, e.g. {@code i32.add}
 * @param prefix 0 for a one-byte opcode, else the prefix byte (0xFB, 0xFC, 0xFD)
 * @param code the opcode, or after a prefix the sub-opcode (written as u32 LEB128, spec 5.4)
 * @param shape the immediates
 * @param naturalAlignment for memory accesses, log2 of the access width in bytes: the alignment a
 *     memarg gets when the text omits {@code align=} (spec 6.5.6); -1 otherwise
 */
public record Instruction(String name, int prefix, int code, Shape shape, int naturalAlignment) {}
