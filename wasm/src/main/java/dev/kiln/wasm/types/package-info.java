/**
 * WebAssembly types (spec 2.3): value, function, limits, table, memory and global types. Immutable
 * records and enums shared by the decoder, validator, compiler and loader, so that every layer speaks
 * about types with the same values.
 */
package dev.kiln.wasm.types;
