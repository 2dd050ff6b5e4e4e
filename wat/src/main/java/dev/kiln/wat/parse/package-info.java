/**
 * The text format's syntax (spec 6.4-6.6): {@link dev.kiln.wat.parse.ModuleParser} reads module
 * fields from a {@link dev.kiln.wat.parse.Cursor} over the lexer's tokens into the text-level
 * module of {@code dev.kiln.wat.ast}, expanding the abbreviations that only rearrange text (folded
 * instructions, inline imports, inline segments). Identifiers stay unresolved here.
 */
package dev.kiln.wat.parse;
