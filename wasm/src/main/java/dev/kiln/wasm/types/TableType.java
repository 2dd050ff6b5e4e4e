package dev.kiln.wasm.types;

/** A table type: element reference type and limits (spec 2.3.9). */
public record TableType(ValType elementType, Limits limits) {}
