/**
 * The compiled-module cache: {@code .cwasm} files on disk keyed by the module's bytes and everything
 * the code depends on. It needs only the artifact contract, not the compiler: the caller compiles on
 * a miss, so the CLI and the embedding API share it.
 */
@SuppressWarnings("module")
module dev.kiln.cache {
  requires transitive dev.kiln.artifact;

  exports dev.kiln.cache to dev.kiln.loader, dev.kiln.runtime;
}
