package dev.kiln.wasi;

import dev.kiln.wasi.abi.Rights;
import dev.kiln.wasi.fs.DirectoryDescriptor;
import dev.kiln.wasi.fs.FdTable;
import dev.kiln.wasi.fs.Sandbox;
import dev.kiln.wasi.fs.StreamDescriptor;
import java.io.IOException;
import java.util.List;

/**
 * One guest's WASI state: its configuration and descriptor table (streams at 0-2, preopens from 3),
 * shared by the function families. Not thread-safe: a guest instance runs on one thread.
 */
public final class WasiContext {
  private final WasiConfig config;
  private final FdTable fds = new FdTable();
  /** The monotonic clock's zero, so clock_time_get(monotonic) starts near 0 and never goes back. */
  private final long monotonicBase = System.nanoTime();

  /** Opens the streams and checks every preopen is an existing directory. */
  public WasiContext(WasiConfig config) throws IOException {
    this.config = config;
    fds.add(StreamDescriptor.reading(config.stdin()));
    fds.add(StreamDescriptor.writing(config.stdout()));
    fds.add(StreamDescriptor.writing(config.stderr()));
    for (Preopen p : config.preopens()) {
      fds.add(new DirectoryDescriptor(new Sandbox(p.host()), List.of(), p.guestName(),
          Rights.DIRECTORY, Rights.ALL));
    }
  }

  public WasiConfig config() {
    return config;
  }

  public FdTable fds() {
    return fds;
  }

  long monotonicNanos() {
    return System.nanoTime() - monotonicBase;
  }
}
