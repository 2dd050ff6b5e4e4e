package dev.kiln.codegen;

/**
 * One entry of a function's address map: code from {@code codeOffset} on (until the next entry) was
 * generated for the wasm instruction at module byte offset {@code wasmOffset}. The linker rebases
 * these into the artifact's address map, which backtraces and {@code kiln objdump} read.
 */
public record SourceMapping(int codeOffset, int wasmOffset) {}
