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
 * fails when full). A {@link ProcessOutput} is written as the host descriptor itself (a duplicate
 * of it, so that the guest's {@code fd_close} leaves the process's own open): {@link #hostFd()},
 * which {@code fd_write} writes with writev after waiting for room in slices of the deadline.
 */
public final class StreamDescriptor extends Descriptor {
  private final WaitableInput input;
  private final OutputStream output;
  /** The duplicate of a {@link ProcessOutput}'s descriptor that writes go to; null otherwise. */
  private final HostFd host;
  /** Whether {@link #host} is a pipe, socket or character device, whose writes can wait. */
  private final boolean hostMayWait;

  private StreamDescriptor(InputStream input, OutputStream output, HostFd host, boolean hostMayWait, long rights) {
    super(rights, 0, 0);
    this.input = input == null ? null : new WaitableInput(input);
    this.output = output;
    this.host = host;
    this.hostMayWait = hostMayWait;
  }

  public static StreamDescriptor reading(InputStream input) {
    return new StreamDescriptor(input, null, null, false, Rights.STREAM & ~Rights.FD_WRITE.bit());
  }

  /**
   * A stream writing to {@code output}; to a duplicate of the descriptor itself if {@code output}
   * is a {@link ProcessOutput} that is open (a closed one is written as a Java stream, whose writes
   * then fail as the descriptor's would).
   */
  public static StreamDescriptor writing(OutputStream output) {
    long rights = Rights.STREAM & ~Rights.FD_READ.bit();
    if (output instanceof ProcessOutput process) {
      try {
        HostFd host = new HostFd(Linux.duplicate(process.fd()));
        boolean mayWait = Linux.statx(host.fd(), "", Linux.AT_EMPTY_PATH).mayWait();
        return new StreamDescriptor(null, output, host, mayWait, rights);
      } catch (SysException e) {
        return new StreamDescriptor(null, output, null, false, rights);
      }
    }
    return new StreamDescriptor(null, output, null, false, rights);
  }

  /** Whether writes go to a host descriptor ({@link #hostFd()}) rather than a Java stream. */
  public boolean writesToHostFd() {
    return host != null;
  }

  /** The host descriptor writes go to; only when {@link #writesToHostFd()}. */
  public int hostFd() {
    return host.fd();
  }

  /** Whether a write to {@link #hostFd()} can wait on another process (a pipe, socket or terminal). */
  public boolean hostMayWait() {
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
    if (host != null) {
      host.close();
    }
  }
}
