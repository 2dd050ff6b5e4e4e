package dev.kiln.wasi.sys;

import dev.kiln.loader.sys.LibcCall;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.random.RandomGenerator;

/**
 * The kernel's cryptographically secure random numbers, getrandom(2) with no flags (the urandom
 * source, which blocks only until the kernel's pool is first initialised): what random_get gives a
 * guest by default, as Wasmtime does through the getrandom crate. Not {@link
 * java.security.SecureRandom}: creating one in a fresh JVM loads the security providers, about 18 ms
 * measured here, and Rust programs call random_get on their first HashMap, inside the timed part of
 * the run (docs/history/performance-journal.md, "random_get from getrandom(2)"). One downcall of
 * {@link LibcCall}'s shape, already linked by the time a guest runs; no state, so one instance
 * serves every guest.
 */
public final class KernelRandom implements RandomGenerator {
  /** The shared instance. */
  public static final KernelRandom INSTANCE = new KernelRandom();

  private static final MethodHandle GETRANDOM = LibcCall.bind("getrandom");

  private KernelRandom() {}

  /**
   * Fills {@code buffer} with random bytes. getrandom returns fewer bytes than asked when a signal
   * interrupts a request of more than 256 bytes, and fails with EINTR when one comes first: both
   * continue where they stopped.
   *
   * @throws SysException if the kernel refuses (ENOSYS before Linux 3.17)
   */
  public void fill(MemorySegment buffer) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment errno = LibcCall.errnoSlot(arena);
      long done = 0;
      while (done < buffer.byteSize()) {
        long n = LibcCall.call(GETRANDOM, errno, buffer.address() + done, buffer.byteSize() - done, 0);
        if (n < 0) {
          int code = LibcCall.errno(errno);
          if (code != LinuxErrno.EINTR) {
            throw new SysException("getrandom", code);
          }
        } else {
          done += n;
        }
      }
    }
  }

  @Override
  public void nextBytes(byte[] bytes) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(Math.max(1, bytes.length));
      fill(buffer.asSlice(0, bytes.length));
      MemorySegment.copy(buffer, ValueLayout.JAVA_BYTE, 0, bytes, 0, bytes.length);
    }
  }

  @Override
  public long nextLong() {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment buffer = arena.allocate(ValueLayout.JAVA_LONG);
      fill(buffer);
      return buffer.get(ValueLayout.JAVA_LONG, 0);
    }
  }
}
