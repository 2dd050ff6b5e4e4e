/**
 * Kiln's reader of the WebAssembly text format: {@link dev.kiln.wat.Wat#toBinary} turns a {@code
 * .wat} text into module bytes with no external tool. The pipeline is lexer ({@code lex}), parser
 * to a text-level module ({@code parse}, {@code ast}), identifier resolution and binary writing
 * ({@code resolve}, {@code binary}); errors are {@link dev.kiln.wat.WatSyntaxException}s, one line
 * with file, line and column.
 */
package dev.kiln.wat;
