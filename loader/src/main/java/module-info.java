/**
 * The Panama runtime: maps a .cwasm, publishes its code and runs it in-process. It never depends on
 * the compiler (a .cwasm runs without it, as Wasmtime's runtime builds without Cranelift), nor on
 * the emulator, which it finds as a service ({@code dev.kiln.loader.exec.spi}).
 *
 * <p>Its packages are exported only to the Kiln modules that use them ({@code exports ... to}):
 * embedders use the API module, {@code dev.kiln.runtime}, whose signatures name none of these types.
 * A module named there may be absent when this one is compiled alone, hence the {@code module}
 * lint's suppression.
 */
@SuppressWarnings("module")
module dev.kiln.loader {
  requires transitive dev.kiln.artifact;
  requires dev.kiln.cache;
  requires dev.kiln.deadline;

  exports dev.kiln.loader.exec to dev.kiln.emulator, dev.kiln.runtime, dev.kiln.wasi, dev.kiln.wast;
  exports dev.kiln.loader.exec.spi to dev.kiln.emulator;
  exports dev.kiln.loader.func to dev.kiln.runtime, dev.kiln.wasi;
  exports dev.kiln.loader.global to dev.kiln.runtime, dev.kiln.wast;
  exports dev.kiln.loader.host to dev.kiln.runtime, dev.kiln.wasi, dev.kiln.wast;
  exports dev.kiln.loader.instance to dev.kiln.runtime, dev.kiln.wasi, dev.kiln.wast;
  exports dev.kiln.loader.link to dev.kiln.runtime, dev.kiln.wasi, dev.kiln.wast;
  exports dev.kiln.loader.memory to dev.kiln.runtime, dev.kiln.wasi, dev.kiln.wast;
  exports dev.kiln.loader.module to dev.kiln.runtime, dev.kiln.wasi, dev.kiln.wast;
  exports dev.kiln.loader.pool to dev.kiln.runtime;
  exports dev.kiln.loader.profile to dev.kiln.runtime;
  exports dev.kiln.loader.runtime to dev.kiln.runtime, dev.kiln.wasi, dev.kiln.wast;
  exports dev.kiln.loader.sys to dev.kiln.emulator, dev.kiln.runtime, dev.kiln.wasi;
  exports dev.kiln.loader.table to dev.kiln.runtime, dev.kiln.wast;

  // Executors for instruction sets the host does not run natively (module dev.kiln.emulator); the
  // loader imports none of them, so a deployment that runs only its host's code leaves them out.
  uses dev.kiln.loader.exec.spi.ExecutorProvider;
}
