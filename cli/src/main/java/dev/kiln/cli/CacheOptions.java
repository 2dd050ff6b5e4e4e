package dev.kiln.cli;

import dev.kiln.cache.CompilerIdentity;
import dev.kiln.cache.ModuleCache;
import dev.kiln.compiler.driver.Compiler;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where the compiled-module cache is, for {@code kiln run} and {@code kiln cache} (a picocli mixin):
 * {@code --cache-dir DIR}, else {@link ModuleCache#defaultDirectory} ({@code $XDG_CACHE_HOME/kiln}
 * or {@code ~/.cache/kiln}).
 */
final class CacheOptions {
  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "the compiled-module cache's directory (default: $XDG_CACHE_HOME/kiln, else ~/.cache/kiln)")
  Path directory;

  @Option(names = "--cache-max-mb", paramLabel = "MB", defaultValue = "1024",
      description = "evict the least recently used compiled modules once the cache holds more than MB"
          + " megabytes (default 1024)")
  long maxMegabytes;

  /** Picocli fills the fields. */
  CacheOptions() {}

  /**
   * The cache, keyed for artifacts written by {@code codeProducers}' code ({@link
   * Compiler#codeProducers}); {@code stats} and {@code clean} look nothing up and pass none.
   */
  ModuleCache cache(List<Class<?>> codeProducers) {
    if (maxMegabytes < 0) {
      throw new IllegalArgumentException("--cache-max-mb must be at least 0, got " + maxMegabytes);
    }
    Path where = directory != null ? directory : ModuleCache.defaultDirectory(System.getenv());
    // More megabytes than a long holds in bytes means no bound.
    long maxBytes = maxMegabytes > Long.MAX_VALUE >> 20 ? Long.MAX_VALUE : maxMegabytes << 20;
    return ModuleCache.at(where, maxBytes, CompilerIdentity.of(KilnVersion.current(), codeProducers));
  }
}
