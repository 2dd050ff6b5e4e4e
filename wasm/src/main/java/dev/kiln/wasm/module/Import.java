package dev.kiln.wasm.module;

/** One import (spec 2.5.11): module name, field name and what is imported. */
public record Import(String module, String name, ImportDesc desc) {}
