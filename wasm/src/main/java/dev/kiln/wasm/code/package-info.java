/**
 * Instructions: the opcode table with each opcode's immediates (spec 5.4), and a streaming reader
 * that decodes one instruction at a time from a function body or constant expression without
 * allocating. The validator and the compiler's translator both read code through it.
 */
package dev.kiln.wasm.code;
