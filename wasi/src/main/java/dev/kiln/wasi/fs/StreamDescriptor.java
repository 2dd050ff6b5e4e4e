package dev.kiln.wasi.fs;

import dev.kiln.wasi.ProcessOutput;
import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.FileType;
import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.sys.Linux;
import dev.kiln.wasi.sys.SysException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * A non-seekable byte stream: the embedder's stdin (an {@link InputStream}) or stdout/stderr (an
 * {@link OutputStream}, or the process's own descriptor, {@link ProcessOutput}). Reported as a
 * character device, the type a terminal or /dev/null has, with neither seek nor tell rights, so
 * guests treat it as a stream (fd_seek is {@link Errno#SPIPE}). Closing the descriptor does not
 * close the embedder's stream: the embedder owns it.
 *
 * <p><b>What a write waits for.</b> A write to an {@link OutputStream} is the embedder's code and
 * lasts as long as the stream's {@code write} does: no deadline can end it (Java gives a blocked
 * {@code write} neither a timeout nor an interrupt), so an embedder running untrusted guests under
 * a deadline gives them streams that do not block (a buffer it drains, a stream that drops or
 * fails when full). A {@link ProcessOutput} is written as the host descriptor itself, {@link
 * #hostFd()}, which {@code fd_write} writes with writev after waiting for room in slices of the
 * deadline. The descriptor stays the process's: the guest's {@code fd_close} forgets it, never
 * closes it, and nothing is asked of the kernel until a write needs it (a duplicate or a status
 * call at every WASI start would cost a cold JVM a binding of its own).
 */
public final class StreamDescriptor extends Descriptor {
  private final WaitableInput input;
  private final OutputStream output;
  /** The {@link ProcessOutput} whose descriptor writes go to; null for a Java stream. */
  private final ProcessOutput host;
  /** Whether {@link #host} is a pipe, socket or character device, whose writes can wait; asked once. */
  private Boolean hostMayWait;

  private StreamDescriptor(InputStream input, OutputStream output, ProcessOutput host, long rights) {
    super(rights, 0, 0);
    this.input = input == null ? null : new WaitableInput(input);
    this.output = output;
    this.host = host;
  }

  public static StreamDescriptor reading(InputStream input) {
    return new StreamDescriptor(input, null, null, Rights.STREAM & ~Rights.FD_WRITE.bit());
  }

  /** A stream writing to {@code output}; to the descriptor itself if it is a {@link ProcessOutput}. */
  public static StreamDescriptor writing(OutputStream output) {
    return new StreamDescriptor(null, output, output instanceof ProcessOutput p ? p : null,
        Rights.STREAM & ~Rights.FD_READ.bit());
  }

  /** Whether writes go to a host descriptor ({@link #hostFd()}) rather than a Java stream. */
  public boolean writesToHostFd() {
    return host != null;
  }

  /** The host descriptor writes go to; only when {@link #writesToHostFd()}. */
  public int hostFd() {
    return host.fd();
  }

  /**
   * Whether a write to {@link #hostFd()} can wait on another process (a pipe, socket or terminal),
   * asked of the kernel the first time. A descriptor whose status cannot be read is taken as one
   * that may wait: its writes are then made within the deadline too.
   */
  public boolean hostMayWait() {
    if (hostMayWait == null) {
      try {
        hostMayWait = Linux.statx(host.fd(), "", Linux.AT_EMPTY_PATH).mayWait();
      } catch (SysException e) {
        hostMayWait = true;
      }
    }
    return hostMayWait;
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
    if (output != null && host == null) {
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
