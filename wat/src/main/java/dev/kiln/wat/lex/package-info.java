/**
 * The text format's lexical level (spec 6.2, 6.3.1-6.3.3): {@link dev.kiln.wat.lex.Lexer} turns a
 * text into {@link dev.kiln.wat.lex.Token}s with their line and column, dropping white space,
 * comments and annotations; {@link dev.kiln.wat.lex.Literals} gives number tokens their values.
 */
package dev.kiln.wat.lex;
