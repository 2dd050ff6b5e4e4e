package dev.kiln.runtime.tools;

import dev.kiln.artifact.elf.BoundedFileReader;
import java.io.IOException;
import java.nio.file.Path;

/**
 * How a tool reads a file its command line names (a module, a {@code .wat}, a {@code .cwasm}): only a
 * regular file, and whole but bounded, as {@link dev.kiln.runtime.WasmModule#compile(
 * dev.kiln.runtime.Engine, Path)} reads one. A FIFO with no writer would hang the read and {@code
 * /dev/zero} would fill the heap, so the kind is checked before the file is opened.
 */
public final class InputFiles {
  /** The largest array the JVM makes: a module is read whole. */
  public static final int MAX_BYTES = Integer.MAX_VALUE - 8;

  private InputFiles() {}

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
}
