/**
 * Tables keyed by text offset, read in place from the loaded artifact: the trap table ({@code
 * .kiln.traps}: which instruction traps with which {@link dev.kiln.artifact.tables.TrapCode}), the
 * address map ({@code .kiln.addrmap}: text offset -> wasm byte offset, for backtraces, profilers and
 * {@code kiln objdump}) and the inline map ({@code .kiln.inline}). All share one layout, {@link
 * dev.kiln.artifact.tables.TextBlocks}: entries delta- and varint-encoded in blocks of at most 64
 * that restart at each function, behind an index of the blocks' first offsets, so a lookup is a
 * binary search plus one short decode and nothing is decoded whole at load. A new table keyed by
 * text offset (exception handlers, stack maps) takes the same index and writes its own payload
 * (see how {@link dev.kiln.artifact.tables.TrapTable} does). Wasmtime encodes the same facts
 * ({@code crates/environ/src/compile/trap_encoding.rs}, {@code address_map.rs}) as fixed-width
 * columns; the delta form is Kiln's own. Layouts and what each byte costs: docs/cwasm-format.md.
 */
package dev.kiln.artifact.tables;
