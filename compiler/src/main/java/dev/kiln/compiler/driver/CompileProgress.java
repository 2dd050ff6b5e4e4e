package dev.kiln.compiler.driver;

/**
 * Told by {@link Compiler#compile(dev.kiln.wasm.module.Module, dev.kiln.codegen.Backend, CompileOptions,
 * CompileProgress)} each time one unit of work (a defined function or a host-entry trampoline) is
 * finished, for a progress display. Called from the compile worker threads, concurrently and in no
 * particular order, so an implementation must be thread-safe and quick; {@code done} grows by one per
 * call and reaches {@code total} once.
 */
@FunctionalInterface
public interface CompileProgress {
  /** Reports nothing. */
  CompileProgress NONE = (done, total) -> {};

  /**
   * @param done units finished so far, counting this one
   * @param total units in this compile
   */
  void finished(int done, int total);
}
