package dev.kiln.codegen;

import dev.kiln.ir.InlineSite;

/**
 * One entry of a function's address map: code from {@code codeOffset} on (until the next entry) was
 * generated for the wasm instruction at module byte offset {@code wasmOffset}, which belongs to the
 * function's own body or, when {@code inlineSite} is not {@link InlineSite#NONE}, to the callee of
 * that inline site ({@link CompiledFunction#inlineSites()}). The linker rebases these into the
 * artifact's address map and inline map, which backtraces and {@code kiln objdump} read.
 */
public record SourceMapping(int codeOffset, int wasmOffset, int inlineSite) {
  /** An entry for code of the function's own body. */
  public SourceMapping(int codeOffset, int wasmOffset) {
    this(codeOffset, wasmOffset, InlineSite.NONE);
  }
}
