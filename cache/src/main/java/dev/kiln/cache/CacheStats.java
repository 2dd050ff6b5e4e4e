package dev.kiln.cache;

import java.nio.file.Path;

/**
 * What a cache holds.
 *
 * @param directory where the entries are
 * @param entries how many compiled modules
 * @param bytes their total size
 * @param maxBytes the size above which the least recently used entries are evicted
 */
public record CacheStats(Path directory, int entries, long bytes, long maxBytes) {}
