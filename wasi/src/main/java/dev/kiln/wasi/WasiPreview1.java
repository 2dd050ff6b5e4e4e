package dev.kiln.wasi;

import java.io.IOException;

/**
 * One guest's WASI preview1 implementation: its {@link WasiContext} and the function families that
 * operate on it. Every function takes its wasm arguments (i32 as int, i64 as long) and, when it
 * touches guest memory, a {@link java.lang.foreign.MemorySegment} over the whole linear memory
 * fetched for that call, and returns the errno as an int; {@link WasiFunction} maps the import names
 * onto them.
 */
public final class WasiPreview1 {
  private final WasiContext context;
  private final ProcessFunctions process;
  private final FdFunctions fd;
  private final FdStatusFunctions fdStatus;
  private final PathFunctions path;
  private final PollFunctions poll;
  private final SocketFunctions sockets;

  public WasiPreview1(WasiConfig config) throws IOException {
    this.context = new WasiContext(config);
    this.process = new ProcessFunctions(context);
    this.fd = new FdFunctions(context);
    this.fdStatus = new FdStatusFunctions(context);
    this.path = new PathFunctions(context);
    this.poll = new PollFunctions(context, process);
    this.sockets = new SocketFunctions(context);
  }

  public WasiContext context() {
    return context;
  }

  public ProcessFunctions process() {
    return process;
  }

  public FdFunctions fd() {
    return fd;
  }

  public FdStatusFunctions fdStatus() {
    return fdStatus;
  }

  public PathFunctions path() {
    return path;
  }

  public PollFunctions poll() {
    return poll;
  }

  public SocketFunctions sockets() {
    return sockets;
  }

  /** Flushes the streams and closes every descriptor (after the guest ends without proc_exit). */
  public void close() {
    context.fds().closeAll();
  }
}
