package dev.kiln.cli;

import dev.kiln.cli.args.OptionSpec;
import dev.kiln.cli.args.ParsedArgs;
import dev.kiln.cli.args.ValueType;
import dev.kiln.runtime.Engine;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the compiled-module cache is, for {@code kiln run} and {@code kiln cache} (options both
 * tables include): {@code --cache-dir DIR}, else {@link Engine#defaultModuleCacheDirectory} ({@code
 * $XDG_CACHE_HOME/kiln} or {@code ~/.cache/kiln}), and its bound. The key its entries are tagged
 * with is the user's.
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

  /** {@code --cache-dir}, else the default directory. */
  @Override
  public Path directory() {
    return directory != null ? directory : Engine.defaultModuleCacheDirectory();
  }

  /** {@code --cache-max-mb} in bytes; more megabytes than a long holds in bytes means no bound. */
  long maxBytes() {
    if (maxMegabytes < 0) {
      throw new IllegalArgumentException("--cache-max-mb must be at least 0, got " + maxMegabytes);
    }
    return maxMegabytes > Long.MAX_VALUE >> 20 ? Long.MAX_VALUE : maxMegabytes << 20;
  }
}
