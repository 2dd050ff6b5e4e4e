package dev.kiln.artifact;

/**
 * The one failure every check of a {@code .cwasm} raises (seal, ELF structure, layout, tables, module
 * info, entry points, compatibility), so an embedder catches one type and a command prints one
 * line: its message names the section and, where one field is to blame, the file offset. Sealed so
 * a loader can handle every case: the file is broken, foreign or unauthenticated ({@link
 * CorruptArtifactException}) or it is sound but was compiled for something else ({@link
 * IncompatibleArtifactException}).
 */
public abstract sealed class ArtifactException extends RuntimeException
    permits CorruptArtifactException, IncompatibleArtifactException {
  private static final long serialVersionUID = 1L;

  ArtifactException(String message) {
    super(message);
  }
}
