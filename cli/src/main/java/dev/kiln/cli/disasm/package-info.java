/**
 * The disassemblers behind {@code kiln objdump}. {@link dev.kiln.cli.disasm.Disassemblers} picks one:
 * Capstone 4 through JNA ({@code dev.kiln.disasm}) where the machine has it, else {@link
 * dev.kiln.cli.disasm.WasmCapstoneDisassembler}, Capstone 5.0 compiled to WebAssembly (npm's {@code
 * capstone-wasm}) and run by Kiln itself, so x86-64 artifacts disassemble on any machine Kiln runs
 * on, without Debian's {@code libcapstone4}. It lives here, not in module disasm beside the JNA
 * binding, because running wasm needs the compiler and the loader, which sit above the code
 * generators whose tests use disasm; it uses them only through the embedding API ({@code
 * dev.kiln.runtime}), as any embedder would.
 */
package dev.kiln.cli.disasm;
