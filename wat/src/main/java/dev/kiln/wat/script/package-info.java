/**
 * The spec's script format ({@code .wast}): a whole script read into {@link
 * dev.kiln.wat.script.Command}s with no external tool (WebAssembly reference interpreter, {@code
 * interpreter/README.md}, "Scripts"; the 3.0 additions {@code module definition}, {@code module
 * instance}, {@code assert_exception}, {@code either} and the GC reference results as the current
 * suite writes them). Text modules are encoded to bytes here with this module's encoder; a {@code
 * module quote} is kept as text, because whether it parses is what the command tests, so it is
 * parsed only when the command runs. A runner maps the commands onto its own model; this package
 * runs nothing.
 */
package dev.kiln.wat.script;
