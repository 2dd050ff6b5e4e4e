package dev.kiln.wasm.types;

/** A global's value type and mutability (spec 2.3.10). */
public record GlobalType(ValType valueType, boolean mutable) {}
