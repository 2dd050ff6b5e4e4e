/**
 * Kiln's embedding API, the one package a Java program needs to compile, load and run WebAssembly
 * with Kiln: {@code dev.kiln.runtime}. It wraps the compiler, the loader and WASI, whose packages
 * are internal: none of their types appears in this package's signatures.
 */
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

  exports dev.kiln.runtime;
}
