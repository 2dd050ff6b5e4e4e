/**
 * Kiln's compiler: WebAssembly to Kiln IR translation over the VMContext layout the loader shares
 * (docs/ARCHITECTURE.md section 2), the driver that compiles every function through a {@code
 * Backend} on many threads, the linker, and artifact writing.
 *
 * <p>Its packages are exported only to the Kiln modules that use them ({@code exports ... to}):
 * embedders use the API module, {@code dev.kiln.runtime}, whose signatures name none of these types.
 * A module named there may be absent when this one is compiled alone, hence the {@code module}
 * lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.compiler {
  requires transitive dev.kiln.wasm;
  requires transitive dev.kiln.ir;
  requires transitive dev.kiln.artifact;
  requires transitive dev.kiln.codegen;

  exports dev.kiln.compiler to dev.kiln.runtime, dev.kiln.wast;
  exports dev.kiln.compiler.driver to dev.kiln.runtime, dev.kiln.wast;
  exports dev.kiln.compiler.inline to dev.kiln.runtime;
  exports dev.kiln.compiler.link to dev.kiln.runtime, dev.kiln.wast;
  exports dev.kiln.compiler.translate to dev.kiln.runtime;
}
