package dev.kiln.artifact.elf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a file a user named as input (a module, a signing key): only a regular file, and at most a
 * bound. {@code Files.readAllBytes} reads until end of file, which a FIFO with no writer never
 * reaches (the command hangs, past any {@code --timeout}) and {@code /dev/zero} never has (the JVM
 * allocates until it runs out of heap); so the kind is checked first and the read stops one byte
 * past the bound, which also covers a file swapped for a device after the check.
 */
public final class BoundedFileReader {
  /** The largest array the JVM makes: the bound of a file read whole (a module). */
  public static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  private BoundedFileReader() {}

  /**
   * The bytes of {@code file} (symbolic links followed, as a user's own path would be).
   *
   * @param what what the file is, for the error ("a signing key", "a module")
   * @throws FileSystemException naming the file if it is not a regular file or holds more than
   *     {@code maxBytes}
   */
  public static byte[] read(Path file, int maxBytes, String what) throws IOException {
    requireRegularFile(file, what);
    try (InputStream in = Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(maxBytes);
      if (bytes.length == maxBytes && in.read() >= 0) {
        throw new FileSystemException(file.toString(), null, "larger than the " + maxBytes
            + " bytes " + what + " may have");
      }
      return bytes;
    }
  }

  /**
   * Checks that {@code file} is a regular file before anything opens it (opening a FIFO for reading
   * waits for a writer).
   *
   * @throws FileSystemException naming the file and what it is instead
   */
  public static void requireRegularFile(Path file, String what) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new FileSystemException(file.toString(), null, "not a regular file, so not read as " + what
          + (attributes.isDirectory() ? " (a directory)" : " (a device, FIFO or socket)"));
    }
  }
}
