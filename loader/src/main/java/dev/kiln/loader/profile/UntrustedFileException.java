package dev.kiln.loader.profile;

import java.io.IOException;
import java.nio.file.Path;

/** A file Kiln would write in a shared directory is not this user's own ({@link SharedDirectoryFile}). */
public final class UntrustedFileException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String reason;

  UntrustedFileException(Path path, String reason) {
    super(path + ": " + reason);
    this.reason = reason;
  }

  /** Why, without the path: "a FIFO, not a regular file", "owned by user 65534, not by this user (0)". */
  public String reason() {
    return reason;
  }
}
