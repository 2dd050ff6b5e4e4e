/**
 * The text-level module (spec 6.6) as the parser produces it: records with indices still written
 * as numbers or identifiers ({@link dev.kiln.wat.ast.Ref}), instructions already flat. Resolution
 * (package {@code dev.kiln.wat.resolve}) gives every identifier its index and writes the binary.
 */
package dev.kiln.wat.ast;
