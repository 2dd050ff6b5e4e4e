package dev.kiln.runtime.tools;

import dev.kiln.artifact.elf.ArtifactFileWriter;
import dev.kiln.artifact.elf.BoundedFileReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The files a tool's command line names, read and written by the rules the runtime keeps for its own
 * files, so that a command cannot drift from them: an input (a module, a {@code .wat}, a {@code
 * .cwasm}) is read only if it is a regular file, and whole but bounded, as {@link
 * dev.kiln.runtime.WasmModule#compile(dev.kiln.runtime.Engine, Path)} reads one (a FIFO with no
 * writer would hang the read and {@code /dev/zero} would fill the heap, so the kind is checked before
 * the file is opened); an artifact is never written in place (a process may be running the old file
 * from its mapping) but beside it and renamed over it, and a path that cannot take it is refused
 * before the compile rather than after it. The rules live in the artifact module, which the command
 * line does not read (its one door into Kiln's internals is this package).
 */
public final class CommandLineFiles {
  /** The largest file {@link #read} returns: the largest array the JVM makes, as a module is read whole. */
  public static final int MAX_BYTES = BoundedFileReader.MAX_ARRAY_BYTES;

  private CommandLineFiles() {}

  /**
   * The bytes of {@code file}.
   *
   * @param what what the file is, for the error ("a module")
   * @throws java.nio.file.FileSystemException naming the file if it is no regular file (a directory,
   *     a FIFO, a device) or holds more than {@link #MAX_BYTES}
   */
  public static byte[] read(Path file, String what) throws IOException {
    return BoundedFileReader.read(file, MAX_BYTES, what);
  }

  /**
   * Refuses a {@code file} that is no regular file, in one line naming it as {@code what}, before
   * anything opens it (opening a FIFO for reading waits for a writer).
   *
   * @throws java.nio.file.FileSystemException naming the file and what it is instead
   */
  public static void requireRegularFile(Path file, String what) throws IOException {
    BoundedFileReader.requireRegularFile(file, what);
  }

  /**
   * Checks that an artifact could be put at {@code target} ({@link Compilations#compile} writes it
   * beside it and renames it over it), by the same steps short of writing.
   *
   * @throws java.nio.file.FileSystemException naming the part of the path at fault and the reason
   */
  public static void checkArtifactWritable(Path target) throws IOException {
    ArtifactFileWriter.checkWritable(target);
  }
}
