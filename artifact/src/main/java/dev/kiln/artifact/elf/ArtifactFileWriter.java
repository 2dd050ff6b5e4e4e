package dev.kiln.artifact.elf;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes an artifact file so that no reader ever sees half of one. Kiln's loader copies a {@code
 * .cwasm} into private memory before checking it, so it never depends on the file again; but a
 * reader that maps the file (a tool of the user's, an older Kiln) would, on a file truncated and
 * rewritten in place (what {@code Files.write} does), take a SIGBUS at a page past the new end
 * (mmap(2): "Attempted access to a page of the buffer that lies beyond the end of the mapped file")
 * or see the new bytes, and a reader that opens it meanwhile would read a half-written file.
 *
 * <p>So the bytes go to a new file in the same directory, are forced to the device, and the new file
 * is renamed over the old name ({@link StandardCopyOption#ATOMIC_MOVE}, rename(2) on Linux): "If
 * newpath already exists, it will be atomically replaced, so that there is no point at which another
 * process attempting to access newpath will find it missing". A process that mapped the old file
 * keeps its inode, which lives until its last mapping is gone; a new reader sees either the old
 * file or the new one, never a half-written one. The same directory keeps the rename on one file
 * system, where it can be atomic. A symbolic link is followed, so the file it names is replaced.
 */
public final class ArtifactFileWriter {
  private ArtifactFileWriter() {}

  /**
   * Replaces {@code target} with {@code bytes} by writing a temporary file beside it and renaming
   * it over {@code target}; on failure the temporary file is deleted and {@code target} is as it was.
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, bytes, new FileAttribute<?>[0]);
  }

  /**
   * As {@link #write(Path, byte[])}, the new file created with mode {@code permissions} (less the
   * umask) from its first moment, not changed afterwards: the compiled-module cache's entries are
   * {@code rw-------}, since one another user could write would be refused.
   */
  public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) throws IOException {
    write(target, bytes, new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)});
  }

  private static void write(Path target, byte[] bytes, FileAttribute<?>[] creation) throws IOException {
    Path destination = (Files.isSymbolicLink(target) ? target.toRealPath() : target).toAbsolutePath();
    if (destination.getFileName() == null || Files.isDirectory(destination)) {
      // Refused before anything is written: the rename could not replace it anyway.
      throw new FileSystemException(destination.toString(), null, "is a directory");
    }
    Path temporary = createSibling(destination, creation);
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
        // Durable before it gets the name: after a crash the name holds the old file or all of the new one.
        channel.force(false);
      }
      try {
        Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        throw new FileSystemException(destination.toString(), null, e.getReason());
      }
    } catch (IOException | RuntimeException | Error e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
  }

  /** A new empty file {@code .NAME.RANDOM.tmp} in {@code destination}'s directory. */
  private static Path createSibling(Path destination, FileAttribute<?>[] creation) throws IOException {
    Path directory = destination.getParent();
    String name = destination.getFileName().toString();
    while (true) {
      Path candidate = directory.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
          + ".tmp");
      try {
        // Without attributes, created as Files.write creates a file (mode 0666 minus the umask), not
        // 0600 as createTempFile's.
        return Files.createFile(candidate, creation);
      } catch (FileAlreadyExistsException e) {
        // Another writer's temporary file: pick another name.
      } catch (NoSuchFileException e) {
        // The temporary file's name is ours, not the caller's: report the folder that is missing.
        throw new NoSuchFileException(directory.toString(), null, "no such directory for " + destination);
      } catch (FileSystemException e) {
        // Likewise for a folder that is a file, or that cannot be written.
        throw new FileSystemException(directory.toString(), null, e.getReason());
      }
    }
  }
}
