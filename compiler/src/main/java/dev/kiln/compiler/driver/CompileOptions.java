package dev.kiln.compiler.driver;

import java.util.Map;

/**
 * How to compile. {@code jobs} only changes how fast code is produced (output is identical for every
 * value); {@code refusedFunctionsTrap} changes the code, so {@link #codeSettings()} records it in
 * the compat header when set. Any other option that changes code must be added there too.
 *
 * <p>{@code tableLazyInit} (default true, as Wasmtime's {@code table_lazy_init}) compiles funcref
 * table reads for slots that start uninitialised and are filled on first use by compiled code
 * (compiler.translate.LazyTableInitBuiltin); false compiles plain slots the loader fills at
 * instantiation. The two slot representations differ, so the setting is in the compat header and
 * a loader or linker refuses to mix them.
 *
 * @param jobs how many functions to compile at once, at least 1
 * @param refusedFunctionsTrap instead of failing on a function the translator or backend refuses,
 *     compile a stub in its place that traps with {@code TrapCode.UNSUPPORTED}, and list the refusal
 *     in {@link CompiledModule#refusals()}. For the spec-test runner, which can then execute every
 *     command that does not reach such a function; {@code kiln compile} never sets it, so a user's
 *     artifact never holds a function that silently does something other than its wasm
 */
public record CompileOptions(int jobs, boolean refusedFunctionsTrap, boolean tableLazyInit) {
  /** The compat-header setting that records {@link #tableLazyInit()} ({@code "true"}/{@code "false"}). */
  public static final String TABLE_LAZY_INIT = dev.kiln.artifact.vm.TableStorage.LAZY_INIT_SETTING;

  public CompileOptions {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
    }
  }

  /** {@code jobs} threads; a refused function fails the compile. */
  public CompileOptions(int jobs) {
    this(jobs, false, true);
  }

  /** {@code jobs} threads, lazily initialised tables. */
  public CompileOptions(int jobs, boolean refusedFunctionsTrap) {
    this(jobs, refusedFunctionsTrap, true);
  }

  /** These options, but refused functions become trapping stubs. */
  public CompileOptions withRefusedFunctionsTrap() {
    return new CompileOptions(jobs, true, tableLazyInit);
  }

  /** These options with funcref tables lazily initialised ({@code true}) or filled at instantiation. */
  public CompileOptions withTableLazyInit(boolean lazy) {
    return new CompileOptions(jobs, refusedFunctionsTrap, lazy);
  }

  /** One job per available processor. */
  public static CompileOptions defaults() {
    return new CompileOptions(Runtime.getRuntime().availableProcessors());
  }

  /** The options that change code, for the compat header. */
  public Map<String, String> codeSettings() {
    return refusedFunctionsTrap
        ? Map.of("kiln.refused_functions", "trap", TABLE_LAZY_INIT, Boolean.toString(tableLazyInit))
        : Map.of(TABLE_LAZY_INIT, Boolean.toString(tableLazyInit));
  }
}
