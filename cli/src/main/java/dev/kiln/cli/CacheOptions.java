package dev.kiln.cli;

import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.cache.CompilerIdentity;
import dev.kiln.cache.ModuleCache;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.ir.Function;
import dev.kiln.wasm.Wasm;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * Where the compiled-module cache is, for {@code kiln run} and {@code kiln cache} (a picocli mixin):
 * {@code --cache-dir DIR}, else {@link ModuleCache#defaultDirectory} ({@code $XDG_CACHE_HOME/kiln}
 * or {@code ~/.cache/kiln}).
 */
final class CacheOptions {
  /** A class from each module whose code decides what an artifact holds, for the cache's key. */
  private static final List<Class<?>> CODE_PRODUCERS = List.of(Wasm.class, Function.class, Backend.class,
      X64Backend.class, AArch64Backend.class, Compiler.class, CompatHeader.class);

  @Option(names = "--cache-dir", paramLabel = "DIR",
      description = "the compiled-module cache's directory (default: $XDG_CACHE_HOME/kiln, else ~/.cache/kiln)")
  Path directory;

  @Option(names = "--cache-max-mb", paramLabel = "MB", defaultValue = "1024",
      description = "evict the least recently used compiled modules once the cache holds more than MB"
          + " megabytes (default 1024)")
  long maxMegabytes;

  /** Picocli fills the fields. */
  CacheOptions() {}

  ModuleCache cache() {
    if (maxMegabytes < 0) {
      throw new IllegalArgumentException("--cache-max-mb must be at least 0, got " + maxMegabytes);
    }
    Path where = directory != null ? directory : ModuleCache.defaultDirectory(System.getenv());
    // More megabytes than a long holds in bytes means no bound.
    long maxBytes = maxMegabytes > Long.MAX_VALUE >> 20 ? Long.MAX_VALUE : maxMegabytes << 20;
    return ModuleCache.at(where, maxBytes, CompilerIdentity.of(KilnVersion.current(), CODE_PRODUCERS));
  }
}
