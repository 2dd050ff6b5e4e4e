/**
 * Kiln's embedding API, the one package a Java program needs to compile, load and run WebAssembly
 * with Kiln: {@code dev.kiln.runtime}. It wraps the compiler, the loader and WASI, whose packages
 * are internal: none of their types appears in this package's signatures. Kiln's own tools (the
 * {@code kiln} command) also get {@code dev.kiln.runtime.tools}, exported to them alone; the tool
 * modules are compiled after this one, hence the {@code module} lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.runtime {
  requires dev.kiln.wasm;
  requires dev.kiln.artifact;
  requires dev.kiln.codegen;
  requires dev.kiln.codegen.x64;
  requires dev.kiln.codegen.aarch64;
  requires dev.kiln.compiler;
  requires dev.kiln.loader;
  requires dev.kiln.cache;
  requires dev.kiln.wasi;
  requires dev.kiln.deadline;

  exports dev.kiln.runtime;
  // What only Kiln's own tools need (compile reports, artifact contents, start-up warm-up): see its
  // package-info for why it is not the public API.
  exports dev.kiln.runtime.tools to dev.kiln.cli;
}
