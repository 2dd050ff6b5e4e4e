package dev.kiln.artifact;

/**
 * Root of the failures raised while reading a {@code .cwasm}. Sealed so a loader can handle every
 * case: the file is broken ({@link CorruptArtifactException}) or it is sound but was compiled for
 * something else ({@link IncompatibleArtifactException}).
 */
public abstract sealed class ArtifactException extends RuntimeException
    permits CorruptArtifactException, IncompatibleArtifactException {
  private static final long serialVersionUID = 1L;

  ArtifactException(String message) {
    super(message);
  }
}
