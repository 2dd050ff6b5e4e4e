/**
 * The WebAssembly text format (spec 6) read without external tools: a lexer, a parser producing a
 * text-level module, identifier resolution and a binary encoder (spec 5) of Kiln's own. No
 * dependencies, so anything that needs a module's bytes from text (the CLI, the spec-script reader,
 * tests that build modules) can use it.
 *
 * <p>Its packages are exported only to the Kiln modules that use them, as every Kiln module does;
 * those modules are absent when this one is compiled alone, hence the {@code module} lint's
 * suppression.
 */
@SuppressWarnings("module")
module dev.kiln.wat {
  exports dev.kiln.wat to dev.kiln.cli, dev.kiln.wast;
  exports dev.kiln.wat.script to dev.kiln.wast;
}
