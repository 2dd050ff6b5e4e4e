package dev.kiln.runtime;

/**
 * One import of a {@link WasmModule}: the two-level name a {@link Linker} resolves it by.
 *
 * @param module the first name (e.g. {@code wasi_snapshot_preview1})
 * @param name the second name (e.g. {@code fd_write})
 * @param kind what kind of entity it imports
 */
public record ImportType(String module, String name, ExternKind kind) {}
