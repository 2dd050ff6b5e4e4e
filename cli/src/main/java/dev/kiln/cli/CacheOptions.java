package dev.kiln.cli;

import dev.kiln.cache.CompilerIdentity;
import dev.kiln.cache.ModuleCache;
import dev.kiln.cli.args.OptionSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.ValueType;
import dev.kiln.compiler.driver.Compiler;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the compiled-module cache is, for {@code kiln run} and {@code kiln cache} (options both
 * tables include): {@code --cache-dir DIR}, else {@link ModuleCache#defaultDirectory} ({@code
 * $XDG_CACHE_HOME/kiln} or {@code ~/.cache/kiln}), and its bound. The key its entries are tagged
 * with is the user's ({@link ModuleCache#defaultKeyFile}).
 *
 * @param directory {@code --cache-dir}, or null for the default
 * @param maxMegabytes {@code --cache-max-mb}
 */
record CacheOptions(Path directory, long maxMegabytes) {
  static final OptionSpec<Path> DIRECTORY = OptionSpec.single("DIR", ValueType.PATH,
      "the compiled-module cache's directory (default: $XDG_CACHE_HOME/kiln, else ~/.cache/kiln)", "--cache-dir");

  static final OptionSpec<Long> MAX_MEGABYTES = OptionSpec.single("MB", ValueType.LONG,
      "evict the least recently used compiled modules once the cache holds more than MB megabytes (default 1024)",
      "--cache-max-mb").withDefault(1024L);

  /** The options, for a command's table. */
  static final List<OptionSpec<?>> OPTIONS = List.of(DIRECTORY, MAX_MEGABYTES);

  /** The options' values on a parsed command line. */
  static CacheOptions from(ParsedArgs args) {
    return new CacheOptions(args.get(DIRECTORY), args.get(MAX_MEGABYTES));
  }

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
    return ModuleCache.at(where, ModuleCache.defaultKeyFile(System.getenv()), maxBytes,
        CompilerIdentity.of(KilnVersion.current(), codeProducers));
  }
}
