/**
 * Kiln's WebAssembly front end and its error taxonomy. {@link dev.kiln.wasm.Wasm} is the entry
 * point: {@code decode} turns bytes into the immutable {@link dev.kiln.wasm.module.Module} model,
 * {@code validate} applies the spec's validation rules. Everything behind it (compiler, loader) may
 * assume a validated module. Failures are {@link dev.kiln.wasm.WasmException}s that carry a byte
 * offset and, inside code, the function index.
 */
package dev.kiln.wasm;
