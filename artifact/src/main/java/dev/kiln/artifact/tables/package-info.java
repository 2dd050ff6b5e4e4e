/**
 * Tables keyed by text offset, read in place from the loaded artifact: the trap table ({@code
 * .kiln.traps}: which instruction traps with which {@link dev.kiln.artifact.tables.TrapCode}), the
 * address map ({@code .kiln.addrmap}: text offset -> wasm byte offset, for backtraces, profilers and
 * {@code kiln objdump}), the inline map ({@code .kiln.inline}), the exception handler table ({@code
 * .kiln.handlers}, {@link dev.kiln.artifact.tables.HandlerTable}) and the stack maps ({@code
 * .kiln.stackmaps}, {@link dev.kiln.artifact.tables.StackMapTable}, behind its functions' resident
 * slot sets, {@code ResidentSlotSets}), whose frame depths {@link
 * dev.kiln.artifact.tables.FunctionFrames} holds to one per function. All share one layout, {@link
 * dev.kiln.artifact.tables.TextBlocks}: entries delta- and varint-encoded in blocks of at most 64
 * that restart at each function, behind an index of the blocks' first offsets, so a lookup is a
 * binary search plus one short decode and nothing is decoded whole at load; each table writes its
 * own payload behind the same index. Wasmtime encodes the same facts
 * ({@code crates/environ/src/compile/trap_encoding.rs}, {@code address_map.rs}) as fixed-width
 * columns; the delta form is Kiln's own. Layouts and what each byte costs: docs/cwasm-format.md.
 */
package dev.kiln.artifact.tables;
