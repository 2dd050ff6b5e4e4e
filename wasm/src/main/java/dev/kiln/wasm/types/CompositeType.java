package dev.kiln.wasm.types;

/**
 * A composite type (WebAssembly 3.0 spec 2.3.7): what a defined type describes. Function types
 * only, until GC adds struct and array types here.
 */
public sealed interface CompositeType permits FuncType {}
