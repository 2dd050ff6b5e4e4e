/**
 * Kiln's compiler: WebAssembly to Kiln IR translation over the VMContext layout the loader shares
 * (ARCHITECTURE.md section 2); per-function compilation, trampolines, linking and artifact writing
 * join it as they are written.
 */
module dev.kiln.compiler {
  requires transitive dev.kiln.wasm;
  requires transitive dev.kiln.ir;
  requires transitive dev.kiln.artifact;

  exports dev.kiln.compiler;
  exports dev.kiln.compiler.translate;
}
