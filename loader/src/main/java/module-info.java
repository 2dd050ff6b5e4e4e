/**
 * The Panama runtime: maps a .cwasm, publishes its code and runs it in-process. It never depends on
 * the compiler (a .cwasm runs without it, as Wasmtime's runtime builds without Cranelift).
 */
module dev.kiln.loader {
  requires transitive dev.kiln.artifact;

  exports dev.kiln.loader.sys;
  exports dev.kiln.loader.runtime;
  exports dev.kiln.loader.exec;
  exports dev.kiln.loader.instance;
  exports dev.kiln.loader.api;
  exports dev.kiln.loader.profile;
}
