/**
 * The function index ({@code .kiln.funcs}): FuncKey -> text range and text offset -> FuncKey, read
 * in place from the mapped artifact. {@link dev.kiln.artifact.index.FunctionIndexBuilder} writes it
 * from functions in key order, {@link dev.kiln.artifact.index.FunctionIndex} reads it.
 *
 * <p>Why this shape: Wasmtime keeps its {@code CompiledFunctionsTable} as postcard varints that it
 * deserialises at load and searches in two different ways (dense kinds by arithmetic, sparse kinds
 * by binary search). Kiln stores a fixed-width structure that the loader uses straight from the
 * mapping: a short namespace table, runs of consecutive indices found by binary search, then O(1)
 * arithmetic inside the run into one u32 start offset per slot. Dense and sparse key sets are the
 * same case (many short runs versus one long run), and text order equal to key order means the
 * start offsets double as the pc -> key table. Byte layout and sizes: docs/cwasm-format.md.
 * {@link dev.kiln.artifact.index.WasmtimeTableSize} computes what Wasmtime's table would take for
 * the same functions, which {@code kiln inspect} prints beside Kiln's size.
 */
package dev.kiln.artifact.index;
