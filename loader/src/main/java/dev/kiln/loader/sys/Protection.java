package dev.kiln.loader.sys;

/**
 * Page protections the runtime uses. Code is never writable and executable at once (W^X): it is
 * written while READ_WRITE, then published as READ_EXECUTE.
 */
public enum Protection {
  NONE(Libc.PROT_NONE),
  READ(Libc.PROT_READ),
  READ_WRITE(Libc.PROT_READ | Libc.PROT_WRITE),
  READ_EXECUTE(Libc.PROT_READ | Libc.PROT_EXEC);

  final int bits;

  Protection(int bits) {
    this.bits = bits;
  }
}
