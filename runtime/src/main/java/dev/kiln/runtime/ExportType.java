package dev.kiln.runtime;

/**
 * One export of a {@link WasmModule}.
 *
 * @param name the export name
 * @param kind what kind of entity it exports
 */
public record ExportType(String name, ExternKind kind) {}
