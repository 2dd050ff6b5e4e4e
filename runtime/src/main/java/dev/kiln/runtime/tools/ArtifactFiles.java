package dev.kiln.runtime.tools;

import dev.kiln.artifact.elf.ArtifactFileWriter;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How {@code kiln compile} writes a {@code .cwasm}: never in place (a process may be running the old
 * file from its mapping) but beside it and renamed over it, and a path that cannot take the file
 * refused before the compile rather than after it.
 */
public final class ArtifactFiles {
  private ArtifactFiles() {}

  /**
   * Checks that {@link #write} could put a file at {@code target}, by the same steps short of
   * writing.
   *
   * @throws java.nio.file.FileSystemException naming the part of the path at fault and the reason
   */
  public static void checkWritable(Path target) throws IOException {
    ArtifactFileWriter.checkWritable(target);
  }

  /** Replaces {@code target} with {@code artifact}: written beside it, then renamed over it. */
  public static void write(Path target, byte[] artifact) throws IOException {
    ArtifactFileWriter.write(target, artifact);
  }
}
