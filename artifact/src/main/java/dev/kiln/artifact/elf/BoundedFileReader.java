package dev.kiln.artifact.elf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Arrays;
import java.util.Set;

/**
 * Reads a file a user named as input (a module, a signing key): only a regular file, not a kernel
 * interface such as {@code /proc/kmsg}, and at most a bound. {@code Files.readAllBytes} reads until
 * end of file, which a FIFO with no writer never reaches (the command hangs, past any {@code
 * --timeout}) and {@code /dev/zero} never has (the JVM allocates until it runs out of heap); so the
 * kind is checked first and the read stops one byte past the bound, which also covers a file
 * swapped for a device after the check.
 */
public final class BoundedFileReader {
  /** The largest array the JVM makes: the bound of a file read whole (a module). */
  public static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

  /**
   * File systems whose regular files are the kernel's interfaces, not data: they report a size of 0
   * whatever they hold, and a read may wait for good ({@code /proc/kmsg} waits for the next kernel
   * message, and reading takes the message from the log) or change the system's state.
   */
  private static final Set<String> KERNEL_FILE_SYSTEMS = Set.of("proc", "sysfs", "debugfs", "tracefs",
      "securityfs", "configfs", "cgroup", "cgroup2", "bpf", "pstore", "efivarfs", "fusectl");

  private BoundedFileReader() {}

  /**
   * The bytes of {@code file} (symbolic links followed, as a user's own path would be).
   *
   * @param what what the file is, for the error ("a signing key", "a module")
   * @throws FileSystemException naming the file if it is not a regular file or holds more than
   *     {@code maxBytes}
   */
  public static byte[] read(Path file, int maxBytes, String what) throws IOException {
    long expected = requireRegularFile(file, what).size();
    try (InputStream in = Files.newInputStream(file)) {
      // Read in slices into an array of the file's size: one read of the whole file would go
      // through a native buffer of that size, which the JDK keeps for the thread (a 30 MB module,
      // 30 MB of native memory for the rest of the compile; ArtifactFileWriter.IO_SLICE_BYTES).
      byte[] bytes = new byte[(int) Math.min(expected, maxBytes)];
      int size = 0;
      while (true) {
        if (size == bytes.length) {
          int next = in.read(); // the file may have grown since its size was read
          if (next < 0) {
            return bytes;
          }
          if (size == maxBytes) {
            throw new FileSystemException(file.toString(), null, "larger than the " + maxBytes
                + " bytes " + what + " may have");
          }
          bytes = Arrays.copyOf(bytes, (int) Math.min(maxBytes, Math.max(size + 1L, 2L * size)));
          bytes[size++] = (byte) next;
          continue;
        }
        int n = in.read(bytes, size, Math.min(ArtifactFileWriter.IO_SLICE_BYTES, bytes.length - size));
        if (n < 0) {
          return Arrays.copyOf(bytes, size); // the file shrank since its size was read
        }
        size += n;
      }
    }
  }

  /**
   * Checks that {@code file} is a regular file, and not one of a kernel file system's, before
   * anything opens it (opening a FIFO for reading waits for a writer; reading {@code /proc/kmsg}
   * waits for the kernel), and returns its attributes.
   *
   * @throws FileSystemException naming the file and what it is instead
   */
  public static BasicFileAttributes requireRegularFile(Path file, String what) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
    if (!attributes.isRegularFile()) {
      throw new FileSystemException(file.toString(), null, "not a regular file, so not read as " + what
          + (attributes.isDirectory() ? " (a directory)" : " (a device, FIFO or socket)"));
    }
    String type = fileSystemType(file);
    if (KERNEL_FILE_SYSTEMS.contains(type)) {
      throw new FileSystemException(file.toString(), null, "a kernel interface (" + type
          + " file system), not a file of data, so not read as " + what);
    }
    return attributes;
  }

  /**
   * The type of the file system {@code file} is on ("ext4", "proc"), or "" where the JDK finds no
   * mount for it (a sandbox's partial mount table): such a file is read as any other.
   */
  private static String fileSystemType(Path file) {
    try {
      return Files.getFileStore(file).type();
    } catch (IOException e) {
      return "";
    }
  }
}
