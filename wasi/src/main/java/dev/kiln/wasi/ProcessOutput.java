package dev.kiln.wasi;

import dev.kiln.wasi.fs.StreamDescriptor;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;

/**
 * The process's own standard output or standard error, given to a guest as the host descriptor
 * itself rather than as a Java stream. A write to a Java {@link OutputStream} cannot be given a
 * deadline (it blocks in the kernel until the reader makes room, and nothing interrupts it), so a
 * guest flooding a pipe nobody reads ({@code kiln run app.wasm | sleep 100}) would outlive its
 * epoch deadline; through the descriptor, a write that would wait polls for room in slices first,
 * as a write to a FIFO opened through a preopen does, and the deadline ends it with the {@code
 * interrupt} trap ({@link StreamDescriptor#writing}). Written to from Java, it is a plain {@link
 * FileOutputStream} of the same descriptor.
 */
public final class ProcessOutput extends OutputStream {
  /** File descriptor 1. */
  public static final ProcessOutput STDOUT = new ProcessOutput(1, FileDescriptor.out);
  /** File descriptor 2. */
  public static final ProcessOutput STDERR = new ProcessOutput(2, FileDescriptor.err);

  private final int fd;
  private final FileOutputStream java;

  private ProcessOutput(int fd, FileDescriptor descriptor) {
    this.fd = fd;
    this.java = new FileOutputStream(descriptor);
  }

  /** The host descriptor number. */
  public int fd() {
    return fd;
  }

  @Override
  public void write(int b) throws IOException {
    java.write(b);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    java.write(bytes, offset, length);
  }

  @Override
  public String toString() {
    return fd == 1 ? "the process's standard output" : "the process's standard error";
  }
}
