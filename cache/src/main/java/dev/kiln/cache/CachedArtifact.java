package dev.kiln.cache;

import java.io.IOException;
import java.nio.file.Path;

/**
 * What {@link ModuleCache#lookup} found or made: an entry opened by the lookup's {@link
 * ModuleCache.Opener} (which checked it, its tag included), or the artifact's bytes.
 *
 * @param <T> what the opener gives
 */
public sealed interface CachedArtifact<T> {
  /** A stored entry that opened: it passed every check of the opener and carries the expected header. */
  record Hit<T>(Path path, T opened) implements CachedArtifact<T> {}

  /**
   * The module was compiled, stored under {@code path} and opened from there.
   *
   * @param replaced whether an entry was there but did not open (damaged, truncated, another header)
   */
  record Compiled<T>(Path path, boolean replaced, T opened) implements CachedArtifact<T> {}

  /**
   * The module was compiled but the cache could not store it (a read-only or full disk): the caller
   * runs the bytes from memory, so a broken cache never stops a module from running.
   */
  record NotStored<T>(byte[] artifact, IOException reason) implements CachedArtifact<T> {}

  /**
   * The cache was not used, since someone other than the user could have written or could replace
   * its directory, an entry or its key ({@link UntrustedPathException} says which and why): the
   * module was compiled, nothing was read from the cache or stored in it, and the caller runs the
   * bytes from memory.
   */
  record Refused<T>(byte[] artifact, UntrustedPathException reason) implements CachedArtifact<T> {}
}
