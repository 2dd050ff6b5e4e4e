package dev.kiln.artifact.elf;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads an artifact file into memory the caller owns, never maps it: whatever reads a {@code
 * .cwasm} (the loader, {@code kiln inspect}, {@code kiln objdump}) checks and uses a copy, so a
 * write to the file after the checks cannot change what was checked, and a truncation cannot turn a
 * later read into SIGBUS (mmap(2)), which a mapping of the file would allow (docs/cwasm-format.md,
 * section 9).
 */
public final class ArtifactFileReader {
  /** A ByteBuffer addresses at most 2 GiB: larger files are read in pieces. */
  private static final long CHUNK = 1L << 30;

  private ArtifactFileReader() {}

  /**
   * Opens the artifact at {@code path} for reading, once {@link BoundedFileReader#requireRegularFile}
   * has found it a regular file of data: opening a FIFO waits for a writer, and a kernel file's read
   * may wait for good. Every reader of an artifact by path opens it here.
   */
  public static FileChannel open(Path path) throws IOException {
    BoundedFileReader.requireRegularFile(path, "a .cwasm");
    return FileChannel.open(path, StandardOpenOption.READ);
  }

  /**
   * Fills {@code target} with the first {@code target.byteSize()} bytes of {@code channel}.
   *
   * @throws IOException if the file ends first (it shrank since its size was taken)
   */
  public static void readFully(FileChannel channel, MemorySegment target) throws IOException {
    for (long at = 0; at < target.byteSize(); at += CHUNK) {
      ByteBuffer buffer = target.asSlice(at, Math.min(CHUNK, target.byteSize() - at)).asByteBuffer();
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, at + buffer.position()) < 0) {
          throw new IOException("the file shrank while it was read");
        }
      }
    }
  }
}
