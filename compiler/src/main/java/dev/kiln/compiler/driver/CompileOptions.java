package dev.kiln.compiler.driver;

import java.util.Map;

/**
 * How to compile. {@code jobs} only changes how fast code is produced (output is identical for every
 * value); {@code refusedFunctionsTrap} changes the code, so {@link #codeSettings()} records it in
 * the compat header when set. Any other option that changes code must be added there too.
 *
 * @param jobs how many functions to compile at once, at least 1
 * @param refusedFunctionsTrap instead of failing on a function the translator or backend refuses,
 *     compile a stub in its place that traps with {@code TrapCode.UNSUPPORTED}, and list the refusal
 *     in {@link CompiledModule#refusals()}. For the spec-test runner, which can then execute every
 *     command that does not reach such a function; {@code kiln compile} never sets it, so a user's
 *     artifact never holds a function that silently does something other than its wasm
 */
public record CompileOptions(int jobs, boolean refusedFunctionsTrap) {
  public CompileOptions {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
    }
  }

  /** {@code jobs} threads; a refused function fails the compile. */
  public CompileOptions(int jobs) {
    this(jobs, false);
  }

  /** These options, but refused functions become trapping stubs. */
  public CompileOptions withRefusedFunctionsTrap() {
    return new CompileOptions(jobs, true);
  }

  /** One job per available processor. */
  public static CompileOptions defaults() {
    return new CompileOptions(Runtime.getRuntime().availableProcessors());
  }

  /** The options that change code, for the compat header. */
  public Map<String, String> codeSettings() {
    return refusedFunctionsTrap ? Map.of("kiln.refused_functions", "trap") : Map.of();
  }
}
