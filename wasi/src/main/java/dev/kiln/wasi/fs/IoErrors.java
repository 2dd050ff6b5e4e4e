package dev.kiln.wasi.fs;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.WasiException;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.util.Locale;

/**
 * Failures of the embedder's stdin/stdout/stderr streams as WASI errnos. Files and directories fail
 * with the kernel's own errno ({@link dev.kiln.wasi.sys.SysException}); a Java stream has only an
 * exception, so a closed one is {@link Errno#BADF}, a broken pipe {@link Errno#PIPE} (glibc's
 * strerror text, which the JDK passes on as the message), anything else {@link Errno#IO}.
 */
public final class IoErrors {
  private IoErrors() {}

  public static WasiException toWasi(IOException e) {
    return new WasiException(errno(e), String.valueOf(e.getMessage()));
  }

  public static Errno errno(IOException e) {
    if (e instanceof ClosedChannelException) {
      return Errno.BADF;
    }
    String message = e.getMessage();
    if (message != null && message.toLowerCase(Locale.ROOT).contains("broken pipe")) {
      return Errno.PIPE;
    }
    return Errno.IO;
  }
}
