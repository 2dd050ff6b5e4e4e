package dev.kiln.artifact;

/**
 * The bytes are not a well-formed Kiln artifact (or one of its sections): truncated, foreign, or an
 * offset, length or ordering that breaks the documented layout. Readers throw this, and only this,
 * for any malformed input, before any out-of-range read can happen; the message names the section
 * and the field that failed.
 */
public final class CorruptArtifactException extends ArtifactException {
  private static final long serialVersionUID = 1L;

  public CorruptArtifactException(String message) {
    super(message);
  }
}
