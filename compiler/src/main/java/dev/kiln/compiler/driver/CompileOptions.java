package dev.kiln.compiler.driver;

import java.util.Map;

/**
 * How to compile. None of today's options changes the emitted code ({@code jobs} only changes how
 * fast it is produced: output is identical for every value), so {@link #codeSettings()} is empty;
 * an option that does change code (an optimisation level, say) must be added there so the compat
 * header records it.
 *
 * @param jobs how many functions to compile at once, at least 1
 */
public record CompileOptions(int jobs) {
  public CompileOptions {
    if (jobs < 1) {
      throw new IllegalArgumentException("jobs must be at least 1, got " + jobs);
    }
  }

  /** One job per available processor. */
  public static CompileOptions defaults() {
    return new CompileOptions(Runtime.getRuntime().availableProcessors());
  }

  /** The options that change code, for the compat header: none yet. */
  public Map<String, String> codeSettings() {
    return Map.of();
  }
}
