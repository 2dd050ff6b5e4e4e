/** The {@code kiln} command line: validate, compile, inspect, objdump, run, wast, cache. */
module dev.kiln.cli {
  requires transitive dev.kiln.wasm;
  requires dev.kiln.wat;
  requires dev.kiln.compiler;
  requires transitive dev.kiln.codegen.x64;
  requires dev.kiln.codegen.aarch64;
  requires transitive dev.kiln.loader;
  requires dev.kiln.emulator;
  requires dev.kiln.disasm;
  requires dev.kiln.wasi;
  requires dev.kiln.deadline;
  requires dev.kiln.cache;
  requires dev.kiln.runtime;
  requires dev.kiln.wast;
}
