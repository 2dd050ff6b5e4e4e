package dev.kiln.artifact.elf;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.LinkOption;
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
 * system, where it can be atomic. A symbolic link of this user's (or root's) is followed, so the file it
 * names is replaced. A link another user made, anywhere on the way (the name itself, a link that a
 * link names, a directory component), is refused ({@link TrustedLinkWalk}): following it, the rename
 * would replace whatever file that user chose with this user's rights, without needing the write
 * permission the file itself withholds; a link planted in {@code /tmp} would choose which of this
 * user's files {@code kiln compile -o /tmp/x.cwasm} replaces, on kernels without {@code
 * fs.protected_symlinks} (proc(5)).
 *
 * <p>A path that cannot take the file is refused with the reason the kernel gave, named by the part
 * of the path it is about ({@link FileSystemException#getFile()}), before anything is written: a
 * directory ({@code EISDIR}); a device, FIFO or socket, which the rename would replace rather than
 * write into (run as root, {@code -o /dev/null} would have replaced the device node); a parent that
 * is missing ({@code ENOENT}) or is a file ({@code ENOTDIR}), named by its first such component; a
 * directory in which no file can be created ({@code EACCES}, {@code EROFS}, or procfs's {@code
 * ENOENT} for an existing {@code /proc}), named with the kernel's reason, never as a missing folder.
 */
public final class ArtifactFileWriter {
  private ArtifactFileWriter() {}

  /**
   * The most bytes handed to the JDK in one read or write of a file: the size of the native buffer
   * it copies them through (and keeps for the thread).
   */
  public static final int IO_SLICE_BYTES = 1 << 20;

  /**
   * Replaces {@code target} with {@code bytes} by writing a temporary file beside it and renaming
   * it over {@code target}; on failure the temporary file is deleted and {@code target} is as it was.
   */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, slices(bytes), new FileAttribute<?>[0]);
  }

  /** What goes into the new file, written to its channel from the start. */
  @FunctionalInterface
  public interface Content {
    void writeTo(FileChannel channel) throws IOException;
  }

  /**
   * As {@link #write(Path, byte[])}, the file's bytes written by {@code content} (a writer that
   * streams a large artifact instead of holding it whole) rather than given as an array.
   */
  public static void write(Path target, Content content) throws IOException {
    write(target, content, new FileAttribute<?>[0]);
  }

  /**
   * As {@link #write(Path, byte[])}, the new file created with mode {@code permissions} (less the
   * umask) from its first moment, not changed afterwards: the compiled-module cache's entries are
   * {@code rw-------}, since one another user could write would be refused.
   */
  public static void write(Path target, byte[] bytes, Set<PosixFilePermission> permissions) throws IOException {
    write(target, slices(bytes), new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(permissions)});
  }

  /**
   * {@code bytes} written in slices: a channel writes a heap buffer through a native copy of what
   * remains of it, which the JDK then caches for the thread (sun.nio.ch.Util's temporary direct
   * buffers), so one write of a 70 MB artifact would hold 70 MB of native memory beside the heap.
   * Each slice polls the compile budget bound to the thread, if any: an artifact can be thousands
   * of times its module's size, and a write past the budget is stopped and its temporary file
   * deleted (red team 29 F4: the cache wrote a 300 MB entry 10 s past {@code --timeout}).
   */
  private static Content slices(byte[] bytes) {
    return channel -> {
      for (int at = 0; at < bytes.length; at += IO_SLICE_BYTES) {
        CompileDeadline.poll(Phase.ASSEMBLY);
        ByteBuffer buffer = ByteBuffer.wrap(bytes, at, Math.min(IO_SLICE_BYTES, bytes.length - at));
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      }
    };
  }

  private static void write(Path target, Content content, FileAttribute<?>[] creation) throws IOException {
    Path destination = destination(target);
    Path temporary = createSibling(destination, creation);
    try {
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        content.writeTo(channel);
        // Durable before it gets the name: after a crash the name holds the old file or all of the new one.
        channel.force(false);
      } catch (IOException e) {
        // A full or failing device: the JDK's message ("No space left on device") names no file,
        // or names the temporary file, which is ours, not the caller's.
        throw new FileSystemException(destination.toString(), null,
            "cannot write: " + (e instanceof FileSystemException fs ? reason(fs) : e.getMessage()));
      }
      try {
        Files.move(temporary, destination, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileSystemException e) {
        throw new FileSystemException(destination.toString(), null, reason(e));
      }
    } catch (IOException | RuntimeException | Error e) {
      Files.deleteIfExists(temporary);
      throw e;
    }
  }

  /**
   * Checks that {@link #write} could put a file at {@code target}, by the same steps short of
   * writing (a temporary file is created beside it and deleted): so that a command can refuse a
   * bad output path before spending time on what it would write there.
   *
   * @throws FileSystemException naming the part of the path at fault and the reason
   */
  public static void checkWritable(Path target) throws IOException {
    Files.delete(createSibling(destination(target), new FileAttribute<?>[0]));
  }

  /**
   * The absolute path the file will have ({@code target}, or the file a symbolic link names), once
   * it is known that the path may be replaced by a regular file.
   */
  private static Path destination(Path target) throws IOException {
    Path destination = target.toAbsolutePath();
    if (Files.exists(target) && !Files.isRegularFile(target) && !Files.isDirectory(target)) {
      // A device, FIFO or socket (also behind a link, such as /proc/self/fd/1 to a pipe): the
      // rename would put a regular file in its place.
      throw new FileSystemException(destination.toString(), null,
          "not a regular file (kiln writes a new file and renames it over the name, which would replace it)");
    }
    // Every link on the way, directories included, must be this user's or root's (TrustedLinkWalk).
    destination = TrustedLinkWalk.resolve(target);
    if (Files.isSymbolicLink(target) && Files.notExists(destination, LinkOption.NOFOLLOW_LINKS)) {
      throw TrustedLinkWalk.dangling(target);
    }
    if (destination.getFileName() == null || Files.isDirectory(destination)) {
      // Refused before anything is written: the rename could not replace it anyway.
      throw new FileSystemException(destination.toString(), null, "is a directory");
    }
    return destination;
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
      } catch (FileSystemException e) {
        // The temporary file's name is ours, not the caller's: report the path the caller gave.
        throw cannotCreateIn(directory, destination, e);
      }
    }
  }

  /**
   * Why no file could be created in {@code directory}: its first component that does not exist or
   * is not a directory, if there is one; otherwise what the kernel said about the directory itself
   * (permission denied, a read-only file system, a file system such as procfs that makes no files).
   */
  private static FileSystemException cannotCreateIn(Path directory, Path destination, FileSystemException e) {
    Path walked = directory.getRoot();
    for (Path component : directory) {
      walked = walked.resolve(component);
      if (Files.notExists(walked)) {
        return new NoSuchFileException(walked.toString(), null, "no such directory for " + destination);
      }
      if (Files.exists(walked) && !Files.isDirectory(walked)) {
        return new FileSystemException(walked.toString(), null, "not a directory, so " + destination
            + " cannot be created");
      }
    }
    return new FileSystemException(destination.toString(), null, "cannot create a file in " + directory + ": "
        + reason(e));
  }

  /** The kernel's reason for {@code e} in words: its own text, or what its class stands for. */
  private static String reason(FileSystemException e) {
    if (e.getReason() != null) {
      return e.getReason();
    }
    return switch (e) {
      case NoSuchFileException _ -> "no such file or directory";
      case AccessDeniedException _ -> "permission denied";
      case NotDirectoryException _ -> "not a directory";
      default -> "refused by the file system";
    };
  }
}
