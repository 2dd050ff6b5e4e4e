package dev.kiln.wasi.fs;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;

/**
 * An embedder's {@link InputStream} read so that a deadline can end the wait. {@link
 * InputStream#read} cannot be interrupted or given a timeout, so when a read would block and a
 * {@link WaitLimit} applies, the read is handed to a short-lived daemon thread and the caller waits
 * for its result in slices, checking the limit between them. If the limit ends the call, the
 * thread's read stays outstanding and its bytes (or end of stream) are what the next read returns:
 * nothing the stream delivers is lost or reordered. Without a limit, or when bytes are already
 * available, the caller reads the stream directly, as before.
 */
final class WaitableInput {
  private final InputStream input;
  /** Guards the fields below, and is what the caller waits on. */
  private final Object lock = new Object();
  /** A read handed to a thread and not yet taken: running while {@code done} is false. */
  private boolean outstanding;
  private boolean done;
  private byte[] bytes;
  private int count;
  private IOException failure;

  WaitableInput(InputStream input) {
    this.input = input;
  }

  /**
   * Reads up to {@code length} bytes into {@code buffer} at {@code offset}: -1 at end of stream.
   * Waits no longer than {@code limit} lets it ({@link WaitLimit#check} throws then).
   */
  int read(byte[] buffer, int offset, int length, WaitLimit limit) throws IOException {
    synchronized (lock) {
      if (!outstanding && !limit.applies()) {
        return input.read(buffer, offset, length);
      }
      int available = outstanding ? 0 : input.available();
      if (available > 0) {
        // No more than is there: a stream's read may otherwise wait to fill the rest.
        return input.read(buffer, offset, Math.min(length, available));
      }
      if (!outstanding) {
        start(length);
      }
      while (!done) {
        limit.check();
        try {
          lock.wait(Math.max(1, limit.slice(Long.MAX_VALUE) / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new InterruptedIOException("interrupted while waiting for input");
        }
      }
      return take(buffer, offset, length);
    }
  }

  /** Bytes a read would return without waiting: those of a finished handed-off read first. */
  int available() throws IOException {
    synchronized (lock) {
      if (outstanding) {
        return done && failure == null ? Math.max(count, 0) : 0;
      }
      return input.available();
    }
  }

  /** Starts the thread that does one blocking read of up to {@code length} bytes. */
  private void start(int length) {
    outstanding = true;
    done = false;
    byte[] into = new byte[Math.max(length, 1)];
    Thread.ofPlatform().daemon().name("kiln-wasi-input").start(() -> {
      int n = 0;
      IOException error = null;
      try {
        n = input.read(into, 0, into.length);
      } catch (IOException e) {
        error = e;
      }
      synchronized (lock) {
        bytes = into;
        count = n;
        failure = error;
        done = true;
        lock.notifyAll();
      }
    });
  }

  /** Hands over the finished read's result, keeping what does not fit for the next read. */
  private int take(byte[] buffer, int offset, int length) throws IOException {
    if (failure != null) {
      IOException e = failure;
      outstanding = false;
      failure = null;
      throw e;
    }
    if (count < 0) {
      outstanding = false;
      return -1;
    }
    int n = Math.min(count, length);
    System.arraycopy(bytes, 0, buffer, offset, n);
    if (n < count) {
      System.arraycopy(bytes, n, bytes, 0, count - n);
      count -= n;
    } else {
      outstanding = false;
      bytes = null;
    }
    return n;
  }
}
