/**
 * Which direct calls the compiler inlines ({@link dev.kiln.compiler.inline.Inliner}): small defined
 * callees, translated once per module and shared by every caller, copied in by the IR's {@code
 * dev.kiln.ir.inline.CallInliner}. The policy lives here, beside the translator, because it needs
 * the module (which functions exist, their bodies, the compile options); the mechanics live in the
 * IR, which knows nothing of wasm.
 */
package dev.kiln.compiler.inline;
