/**
 * Kiln's compiler: WebAssembly to Kiln IR translation over the VMContext layout the loader shares
 * (ARCHITECTURE.md section 2), the driver that compiles every function through a {@code Backend}
 * on many threads, the linker, and artifact writing.
 */
module dev.kiln.compiler {
  requires transitive dev.kiln.wasm;
  requires transitive dev.kiln.ir;
  requires transitive dev.kiln.artifact;
  requires transitive dev.kiln.codegen;

  exports dev.kiln.compiler;
  exports dev.kiln.compiler.translate;
  exports dev.kiln.compiler.driver;
  exports dev.kiln.compiler.link;
}
