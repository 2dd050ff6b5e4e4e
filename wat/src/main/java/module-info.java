/**
 * The WebAssembly text format (spec 6) read without external tools: a lexer, a parser producing a
 * text-level module, identifier resolution and a binary encoder (spec 5) of Kiln's own. No
 * dependencies, so anything that needs a module's bytes from text (the CLI, the spec-script reader,
 * tests that build modules) can use it.
 */
module dev.kiln.wat {
  exports dev.kiln.wat;
  exports dev.kiln.wat.binary;
  exports dev.kiln.wat.lex;
  exports dev.kiln.wat.parse;
  exports dev.kiln.wat.ast;
}
