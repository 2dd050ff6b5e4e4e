package dev.kiln.wasi.sys;

import dev.kiln.wasi.abi.Errno;

/**
 * A Linux system call failed: the call's name and the {@code errno} it set, captured in the same
 * downcall. The boundary of every WASI function returns {@link #wasiErrno()} to the guest, while the
 * path resolvers can still look at the host's own number (EXDEV, EAGAIN, ENOSYS...). No stack
 * trace: like a WASI errno it is control flow, as frequent as the guest's failing calls.
 */
public final class SysException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int linuxErrno;

  public SysException(String call, int linuxErrno) {
    super(call + ": " + LinuxErrno.describe(linuxErrno), null, false, false);
    this.linuxErrno = linuxErrno;
  }

  /** The host's errno (Linux numbering, the same on x86-64 and AArch64). */
  public int linuxErrno() {
    return linuxErrno;
  }

  /** Whether this failure is the host errno {@code number}. */
  public boolean is(int number) {
    return linuxErrno == number;
  }

  /** The WASI errno the guest is given. */
  public Errno wasiErrno() {
    return LinuxErrno.toWasi(linuxErrno);
  }
}
