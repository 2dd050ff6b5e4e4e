/**
 * The binary-format decoder (spec 5): sections, LEB128 integers, names, limits and segments into the
 * {@link dev.kiln.wasm.module.Module} model. Function bodies are delimited, not decoded: their
 * instructions are read on demand by {@link dev.kiln.wasm.code}.
 */
package dev.kiln.wasm.decode;
