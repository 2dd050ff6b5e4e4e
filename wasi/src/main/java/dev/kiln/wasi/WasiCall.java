package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.WasiException;
import dev.kiln.wasi.fs.IoErrors;
import dev.kiln.wasi.sys.SysException;
import java.io.IOException;

/**
 * The boundary of every WASI function: the body runs, and whatever it fails with becomes the errno
 * the guest receives ({@link WasiException} carries one, a failed system call's {@link
 * SysException} its host errno's counterpart, a stream's {@link IOException} is mapped by {@link
 * IoErrors}). {@link ProcExit} and genuine bugs pass through, to end the execution.
 */
final class WasiCall {
  private WasiCall() {}

  @FunctionalInterface
  interface Body {
    void run() throws IOException;
  }

  static int errno(Body body) {
    try {
      body.run();
      return Errno.SUCCESS.code();
    } catch (WasiException e) {
      return e.errno().code();
    } catch (SysException e) {
      return e.wasiErrno().code();
    } catch (IOException e) {
      return IoErrors.errno(e).code();
    }
  }
}
