package dev.kiln.wasi;

import dev.kiln.wasi.abi.Errno;
import dev.kiln.wasi.abi.WasiException;

/**
 * sock_accept/recv/send/shutdown of wasi_snapshot_preview1.witx. Kiln hands a guest no sockets
 * (preview1 has no way to create one; a host would have to preopen it), so every open descriptor
 * is {@link Errno#NOTSOCK} and every other {@link Errno#BADF} — the answers these calls give on
 * a POSIX host for the same descriptors.
 */
public final class SocketFunctions {
  private final WasiContext context;

  SocketFunctions(WasiContext context) {
    this.context = context;
  }

  /** Fails as the call would for {@code fd}: it is a descriptor, but not a socket. */
  public int onDescriptor(int fd) {
    return WasiCall.errno(() -> {
      context.fds().get(fd);
      throw new WasiException(Errno.NOTSOCK, "fd " + fd + " is not a socket");
    });
  }
}
