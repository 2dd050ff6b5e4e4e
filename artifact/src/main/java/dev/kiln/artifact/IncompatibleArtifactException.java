package dev.kiln.artifact;

/**
 * A well-formed artifact that this runtime must not run: another format version, another target,
 * or a code-changing setting that differs from what the runtime expects. The message names every
 * mismatch so a user can see which flag to change.
 */
public final class IncompatibleArtifactException extends ArtifactException {
  private static final long serialVersionUID = 1L;

  public IncompatibleArtifactException(String message) {
    super(message);
  }
}
