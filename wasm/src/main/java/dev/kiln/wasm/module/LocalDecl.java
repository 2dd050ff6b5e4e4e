package dev.kiln.wasm.module;

import dev.kiln.wasm.types.ValType;

/** {@code count} locals of one type, as declared in a function body. */
public record LocalDecl(long count, ValType type) {}
