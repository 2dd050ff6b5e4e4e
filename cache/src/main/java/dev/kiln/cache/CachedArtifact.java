package dev.kiln.cache;

import java.io.IOException;
import java.nio.file.Path;

/** What {@link ModuleCache#lookup} found or made: a checked entry to map, or the artifact's bytes. */
public sealed interface CachedArtifact {
  /** A stored entry that passed every check of the artifact's reader and carries the expected header. */
  record Hit(Path path) implements CachedArtifact {}

  /**
   * The module was compiled and stored under {@code path}.
   *
   * @param replaced whether an entry was there but failed its checks (damaged, truncated, another header)
   */
  record Compiled(Path path, boolean replaced) implements CachedArtifact {}

  /**
   * The module was compiled but the cache could not store it (a read-only or full disk): the caller
   * runs the bytes from memory, so a broken cache never stops a module from running.
   */
  record NotStored(byte[] artifact, IOException reason) implements CachedArtifact {}
}
