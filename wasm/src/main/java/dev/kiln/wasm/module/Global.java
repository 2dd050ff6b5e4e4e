package dev.kiln.wasm.module;

import dev.kiln.wasm.types.GlobalType;

/** A defined global and its initialiser (spec 2.5.6). */
public record Global(GlobalType type, ConstExpr init) {}
