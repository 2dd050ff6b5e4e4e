/**
 * The disassemblers behind {@code kiln objdump}. {@link dev.kiln.cli.disasm.Disassemblers} picks one:
 * Capstone 4 through FFM where the machine has it, else {@link
 * dev.kiln.cli.disasm.WasmCapstoneDisassembler}, Capstone 5.0 compiled to WebAssembly (npm's {@code
 * capstone-wasm}) and run by Kiln itself, so x86-64 artifacts disassemble on any machine Kiln runs
 * on, without Debian's {@code libcapstone4}. It lives here, not in codegen beside the FFM binding,
 * because running wasm needs the compiler and the loader, which sit above codegen; it uses them only
 * through the embedding API ({@code dev.kiln.runtime}), as any embedder would.
 */
package dev.kiln.cli.disasm;
