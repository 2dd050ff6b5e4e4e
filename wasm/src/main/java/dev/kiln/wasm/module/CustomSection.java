package dev.kiln.wasm.module;

/** A custom section (spec 5.5.3), its payload being {@code source[start, start + length)}. */
public record CustomSection(String name, byte[] source, int start, int length) {}
