/**
 * Module info: the content of a {@code .kiln.info} section, everything the loader needs to
 * instantiate a module without the wasm bytes (types, imports, exports, memories, tables, globals
 * with their initialisers, data and element segment descriptors, the start function, defined
 * functions' types, which functions escape into VMFuncRefs, and function names).
 *
 * <p>The artifact module has no dependency on the wasm front end, so these records speak in codes
 * the spec defines (value-type bytes, extern-kind bytes, constant-expression opcodes; WebAssembly
 * 2.0 section 5) and the compiler converts its own model into them. {@link
 * dev.kiln.artifact.info.ModuleInfoEncoder} writes the compact little-endian encoding and {@link
 * dev.kiln.artifact.info.ModuleInfoDecoder} reads it back, checking every count, index, code and
 * length against the section so malformed input surfaces only as a {@link
 * dev.kiln.artifact.CorruptArtifactException}. The section is small and read once per load, so it
 * decodes into records; the function index, which is large and read per lookup, stays mapped
 * ({@code dev.kiln.artifact.index}). Layout: docs/cwasm-format.md section 8.
 */
package dev.kiln.artifact.info;
