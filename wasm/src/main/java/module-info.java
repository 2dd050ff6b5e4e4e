/**
 * The WebAssembly front end: binary decoder, validator and the immutable module model. It depends
 * only on the deadline its loops poll (dev.kiln.deadline).
 *
 * <p>Its packages are exported only to the Kiln modules that use them ({@code exports ... to}):
 * embedders use the API module, {@code dev.kiln.runtime}, whose signatures name none of these types.
 * A module named there may be absent when this one is compiled alone, hence the {@code module}
 * lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.wasm {
  requires transitive dev.kiln.deadline;

  exports dev.kiln.wasm to dev.kiln.cli, dev.kiln.compiler, dev.kiln.runtime, dev.kiln.wast;
  exports dev.kiln.wasm.code to dev.kiln.compiler;
  exports dev.kiln.wasm.module to dev.kiln.artifact, dev.kiln.compiler, dev.kiln.runtime, dev.kiln.wast;
  exports dev.kiln.wasm.types to dev.kiln.compiler, dev.kiln.artifact, dev.kiln.loader, dev.kiln.runtime, dev.kiln.wast;
}
