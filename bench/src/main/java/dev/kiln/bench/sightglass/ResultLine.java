package dev.kiln.bench.sightglass;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What one engine's run of one program reports, as the single line its process prints:
 * {@code RESULT key=value ... [reason=free text to the end of the line]}. Keys: {@code exit} (the
 * guest's exit code), {@code compile_ms}, {@code instantiate_ms}, {@code bench_ms} (bench.start to
 * bench.end), {@code total_ms} (instantiation start to _start's return), and {@code reason} when the
 * program did not run (compile refusal, trap, missing import). Kiln also reports {@code
 * bench_cpu_ms}, the CPU time of the thread that ran the guest from bench.start to bench.end: on a
 * loaded machine it leaves out the time the thread waited for a core, which wall time does not.
 */
public record ResultLine(Map<String, String> values) {
  public static final String PREFIX = "RESULT ";

  public static ResultLine parse(String line) {
    Map<String, String> values = new LinkedHashMap<>();
    String rest = line.substring(PREFIX.length());
    int reason = rest.indexOf("reason=");
    if (reason >= 0) {
      values.put("reason", rest.substring(reason + "reason=".length()).strip());
      rest = rest.substring(0, reason);
    }
    for (String token : rest.strip().split("\\s+")) {
      int eq = token.indexOf('=');
      if (eq > 0) {
        values.put(token.substring(0, eq), token.substring(eq + 1));
      }
    }
    return new ResultLine(values);
  }

  public static ResultLine failed(String reason) {
    return new ResultLine(Map.of("reason", reason));
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(values.get(key));
  }

  public Optional<Double> millis(String key) {
    return get(key).map(Double::parseDouble);
  }

  /** Formats a result for printing by an engine process. */
  public static String format(int exit, double compileMs, double instantiateMs, double benchMs,
      double totalMs) {
    return String.format(Locale.ROOT,
        PREFIX + "exit=%d compile_ms=%.3f instantiate_ms=%.3f bench_ms=%.3f total_ms=%.3f", exit,
        compileMs, instantiateMs, benchMs, totalMs);
  }

  public static String formatFailure(String reason) {
    return PREFIX + "reason=" + reason.replace('\n', ' ');
  }
}
