package dev.kiln.cache;

import java.nio.file.FileSystemException;
import java.nio.file.Path;

/**
 * A cache directory, entry or key file that someone other than this process's user (or root) could
 * have written or could replace: the cache refuses it, says why in one line, and the module is
 * compiled in memory instead ({@link CachedArtifact.Refused}). The message is {@code PATH: REASON},
 * as the JDK's file-system exceptions are.
 */
public final class UntrustedPathException extends FileSystemException {
  private static final long serialVersionUID = 1L;

  UntrustedPathException(Path path, String reason) {
    super(path.toString(), null, reason);
  }
}
