package dev.kiln.loader.module;

import dev.kiln.loader.sys.NativeException;
import dev.kiln.loader.sys.Protection;

/**
 * Makes mapped file pages executable in place: {@code mprotect(PROT_READ | PROT_EXEC)} on the
 * mapping of {@code .text}, whose file offset the writer page-aligned for exactly this. A read-only
 * file mapping may gain PROT_EXEC (only PROT_WRITE needs a writable descriptor), so the code is
 * never copied; the kernel refuses it on a {@code noexec} mount, reported as a {@link
 * NativeException} naming errno.
 */
final class CodePublisher {
  private CodePublisher() {}

  /** Marks {@code [address, address + length)} (page-aligned start) readable and executable. */
  static void publishExecutable(long address, long length, long pageSize) {
    if (address % pageSize != 0) {
      throw new IllegalArgumentException(".text mapped at 0x" + Long.toHexString(address) + ", not page aligned");
    }
    if (length == 0) {
      return;
    }
    long rounded = (length + pageSize - 1) / pageSize * pageSize;
    try {
      Protection.READ_EXECUTE.applyTo(address, rounded);
    } catch (NativeException e) {
      throw new NativeException(e.getMessage() + " (.text; a noexec mount refuses executable file mappings)");
    }
  }
}
