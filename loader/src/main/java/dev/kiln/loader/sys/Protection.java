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

  /**
   * The protection with mprotect's {@code PROT_*} bits {@code bits}.
   *
   * @throws IllegalArgumentException if the runtime uses no such protection
   */
  public static Protection ofBits(int bits) {
    for (Protection protection : values()) {
      if (protection.bits == bits) {
        return protection;
      }
    }
    throw new IllegalArgumentException("no page protection has bits " + bits);
  }

  /**
   * Gives the pages {@code [address, address + length)} this protection, for memory the runtime did
   * not reserve itself (a file mapping); {@code address} and {@code length} page-aligned.
   *
   * @throws NativeException naming mprotect's error
   */
  public void applyTo(long address, long length) {
    Libc.mprotect(address, length, bits);
  }
}
