/**
 * Instructions: the opcode table with each opcode's immediates and fixed typing ({@link
 * dev.kiln.wasm.code.Opcode}, spec 5.4), and {@link dev.kiln.wasm.code.InstructionReader}, a
 * streaming reader that decodes one instruction at a time from a function body or constant
 * expression without allocating. The decoder (to delimit bodies and expressions), the validator and
 * the compiler's translator all read code through it, so there is one definition of every
 * encoding. {@link dev.kiln.wasm.code.BodyFacts} is what the compiler needs to know of the bodies
 * as a whole (the tables they write, their exception handling), noted by the decoder's scan or, for
 * a module the decoder did not scan, by its validation. {@link dev.kiln.wasm.code.ByteReader} holds
 * the binary format's primitive encodings (LEB128 with the spec's size rules, floats, names) for
 * any reader of module bytes, and {@link
 * dev.kiln.wasm.Features} names the proposals whose encodings or constant-expression rules
 * the spec suite's files disagree on.
 */
package dev.kiln.wasm.code;
