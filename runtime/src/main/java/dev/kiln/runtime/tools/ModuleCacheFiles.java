package dev.kiln.runtime.tools;

import dev.kiln.cache.CacheStats;
import dev.kiln.cache.CompilerIdentity;
import dev.kiln.cache.ModuleCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code kiln cache stats|clean}: the compiled-module cache an engine with {@code
 * Engine.Builder.moduleCache(directory, maxBytes)} uses, looked at or emptied. Nothing is looked up,
 * so no compiler identity is needed. A directory someone else could write is refused as a lookup
 * refuses it.
 */
public final class ModuleCacheFiles {
  private final ModuleCache cache;

  private ModuleCacheFiles(ModuleCache cache) {
    this.cache = cache;
  }

  /** The cache in {@code directory}, bounded to {@code maxBytes}, tagged with the user's key. */
  public static ModuleCacheFiles at(Path directory, long maxBytes) {
    return new ModuleCacheFiles(ModuleCache.at(directory, ModuleCache.defaultKeyFile(System.getenv()), maxBytes,
        CompilerIdentity.of("maintenance", List.of())));
  }

  /**
   * What the cache holds.
   *
   * @param directory the cache's directory
   * @param entries compiled modules
   * @param bytes their size
   * @param maxBytes the bound beyond which the least recently used are evicted
   */
  public record Stats(Path directory, int entries, long bytes, long maxBytes) {}

  /** The cache's entries and their size. */
  public Stats stats() throws IOException {
    CacheStats stats = cache.stats();
    return new Stats(stats.directory(), stats.entries(), stats.bytes(), stats.maxBytes());
  }

  /** Deletes every entry (and temporary files a killed writer left); the number of files deleted. */
  public int clean() throws IOException {
    return cache.clean();
  }

  /** The cache's directory. */
  public Path directory() {
    return cache.directory();
  }
}
