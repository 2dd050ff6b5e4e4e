/**
 * Identifier resolution and binary writing for a text-level module: binds the identifier contexts
 * of spec 6.6.4 (types, fields, functions, tables, memories, globals, tags, segments, locals,
 * labels), numbers the function types that inline signatures add (spec 6.6.3), and writes each
 * section through {@code dev.kiln.wat.binary}.
 */
package dev.kiln.wat.resolve;
