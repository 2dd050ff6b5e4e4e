package dev.kiln.artifact.elf;

import dev.kiln.artifact.seal.ArtifactSeal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Where {@link CwasmWriter} lays a file out, front to back: an array of the file's exact size, or
 * a channel written through a buffer of {@link ArtifactFileWriter#IO_SLICE_BYTES}, so that writing
 * a large artifact to disk never holds the whole file. Every byte passes through the seal's running
 * digest ({@link ArtifactSeal.Sealer}) on its way, and {@link #seal} appends the trailer.
 */
abstract sealed class FileOutput implements TextImage.Output {
  private static final byte[] ZEROS = new byte[4096];

  private final ArtifactSeal.Sealer sealer;
  private long size;

  private FileOutput(ArtifactSeal.Sealer sealer) {
    this.sealer = sealer;
  }

  /** Stores the file's next bytes. */
  abstract void put(byte[] bytes, int offset, int length);

  @Override
  public final void write(byte[] bytes, int offset, int length) {
    sealer.update(bytes, offset, length);
    put(bytes, offset, length);
    size += length;
  }

  final void write(byte[] bytes) {
    write(bytes, 0, bytes.length);
  }

  /** Zero bytes up to file offset {@code offset}. */
  final void padTo(long offset) {
    if (offset < size) {
      throw new IllegalStateException("file offset " + offset + " is behind the " + size + " bytes written");
    }
    while (size < offset) {
      write(ZEROS, 0, (int) Math.min(ZEROS.length, offset - size));
    }
  }

  /** Bytes written so far, the seal's trailer included once {@link #seal} has run. */
  final long size() {
    return size;
  }

  /** Appends the seal's trailer over every byte written before it. */
  final void seal() {
    byte[] trailer = sealer.trailer();
    put(trailer, 0, trailer.length);
    size += trailer.length;
  }

  /** The file in one array of its exact size. */
  static final class ToArray extends FileOutput {
    private final byte[] file;

    ToArray(int size, ArtifactSeal.Sealer sealer) {
      super(sealer);
      this.file = new byte[size];
    }

    @Override
    void put(byte[] bytes, int offset, int length) {
      System.arraycopy(bytes, offset, file, (int) size(), length);
    }

    byte[] file() {
      return file;
    }
  }

  /**
   * The file written to a channel in slices: a channel writes a heap buffer through a native copy
   * of it, which the JDK keeps for the thread, so slices also bound that copy.
   */
  static final class ToChannel extends FileOutput {
    private final WritableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(ArtifactFileWriter.IO_SLICE_BYTES);

    ToChannel(WritableByteChannel channel, ArtifactSeal.Sealer sealer) {
      super(sealer);
      this.channel = channel;
    }

    @Override
    void put(byte[] bytes, int offset, int length) {
      while (length > 0) {
        int n = Math.min(length, buffer.remaining());
        buffer.put(bytes, offset, n);
        offset += n;
        length -= n;
        if (!buffer.hasRemaining()) {
          flush();
        }
      }
    }

    /** Writes out what the buffer holds. */
    void flush() {
      buffer.flip();
      try {
        while (buffer.hasRemaining()) {
          channel.write(buffer);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      buffer.clear();
    }
  }
}
