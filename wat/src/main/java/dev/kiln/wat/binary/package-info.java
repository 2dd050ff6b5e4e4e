/**
 * Kiln's encoder of the WebAssembly binary format (spec 5): LEB128 and the other value encodings
 * ({@link dev.kiln.wat.binary.WasmWriter}), sections ({@link dev.kiln.wat.binary.ModuleWriter}),
 * type codes and the instruction table ({@link dev.kiln.wat.binary.InstructionTable}, read from
 * the data file {@code instructions.txt}). It knows nothing of the text format, so tests and tools
 * can build modules with it directly; the text reader resolves names to indices and then writes
 * through it.
 */
package dev.kiln.wat.binary;
