/**
 * Tables keyed by text offset, read in place from the mapped artifact: the trap table ({@code
 * .kiln.traps}: which instruction traps with which {@link dev.kiln.artifact.tables.TrapCode}) and
 * the address map ({@code .kiln.addrmap}: text offset -> wasm byte offset, for backtraces). Both are
 * a count, a strictly increasing column of u32 text offsets, then a parallel payload column, so a
 * lookup is one binary search over contiguous u32s; the encoding follows the facts of Wasmtime's
 * {@code .wasmtime.traps} and {@code .wasmtime.addrmap} (Wasmtime's {@code
 * crates/environ/src/compile/trap_encoding.rs} and {@code
 * crates/environ/src/compile/address_map.rs}) with Kiln's own trap code numbering. Layouts:
 * docs/cwasm-format.md.
 */
package dev.kiln.artifact.tables;
