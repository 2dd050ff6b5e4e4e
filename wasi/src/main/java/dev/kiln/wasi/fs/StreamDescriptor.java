package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.abi.WasiException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A non-seekable byte stream: the embedder's stdin (an {@link InputStream}) or stdout/stderr (an
 * {@link OutputStream}). Reported as a character device, the type a terminal or /dev/null has, with
 * neither seek nor tell rights, so guests treat it as a stream (fd_seek is {@link Errno#SPIPE}).
 * Closing the descriptor does not close the embedder's stream: the embedder owns it.
 */
public final class StreamDescriptor extends Descriptor {
  private final WaitableInput input;
  private final OutputStream output;

  private StreamDescriptor(InputStream input, OutputStream output, long rights) {
    super(rights, 0, 0);
    this.input = input == null ? null : new WaitableInput(input);
    this.output = output;
  }

  public static StreamDescriptor reading(InputStream input) {
    return new StreamDescriptor(input, null,
        Rights.STREAM & ~Rights.FD_WRITE.bit());
  }

  public static StreamDescriptor writing(OutputStream output) {
    return new StreamDescriptor(null, output,
        Rights.STREAM & ~Rights.FD_READ.bit());
  }

  @Override
  public FileType fileType() {
    return FileType.CHARACTER_DEVICE;
  }

  /**
   * Reads up to {@code length} bytes; -1 at end of stream. A read that has to wait for input waits
   * no longer than {@code limit} allows ({@link WaitableInput}).
   */
  public int read(byte[] buffer, int offset, int length, WaitLimit limit) {
    if (input == null) {
      throw new WasiException(Errno.BADF, "not readable");
    }
    try {
      return input.read(buffer, offset, length, limit);
    } catch (IOException e) {
      throw IoErrors.toWasi(e);
    }
  }

  /** Bytes readable without blocking (poll_oneoff's nbytes for a read subscription). */
  public long available() {
    try {
      return input == null ? 0 : input.available();
    } catch (IOException e) {
      return 0;
    }
  }

  public boolean readable() {
    return input != null;
  }

  public boolean writable() {
    return output != null;
  }

  /** Writes and flushes, so the guest's output order matches its calls even across streams. */
  public void write(byte[] bytes, int offset, int length) {
    if (output == null) {
      throw new WasiException(Errno.BADF, "not writable");
    }
    try {
      output.write(bytes, offset, length);
      output.flush();
    } catch (IOException e) {
      throw IoErrors.toWasi(e);
    }
  }

  public void sync() {
    if (output != null) {
      try {
        output.flush();
      } catch (IOException e) {
        throw IoErrors.toWasi(e);
      }
    }
  }

  @Override
  public void close() {
    sync();
  }
}
