package dev.kiln.wasm.module;

/** One export (spec 2.5.12): a unique name and the index of the exported item in its index space. */
public record Export(String name, ExternKind kind, int index) {}
