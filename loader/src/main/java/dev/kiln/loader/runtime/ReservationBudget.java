package dev.kiln.loader.runtime;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The address space the process's linear memories and tables may reserve together, whatever store
 * they belong to ({@link StoreResources#reserveAddressSpace} takes from it and from the store's own
 * share, {@link StoreLimits#maxAddressSpace}). A reservation is not resident memory, so a store's
 * byte limit does not count it; but it is finite: a 32-bit memory on x86-64 reserves 4 GiB plus its
 * guard even at zero pages, so a few stores of thousands of empty memories could take the whole
 * user address space (128 TiB on x86-64 with 4-level paging) and leave nothing for any other store,
 * or for the JVM's own mappings. The budget keeps half of it for everything else: past it, creating
 * a memory or table is refused with one line instead of every later mapping of the process failing
 * with ENOMEM.
 */
final class ReservationBudget {
  /** Half of x86-64's 47-bit user address space. */
  static final long PROCESS_LIMIT = 64L << 40;

  static final ReservationBudget PROCESS = new ReservationBudget(PROCESS_LIMIT);

  private final long limit;
  private final AtomicLong reserved = new AtomicLong();

  ReservationBudget(long limit) {
    this.limit = limit;
  }

  /** Takes {@code bytes} of the budget if they fit, and says whether they did; pair with {@link #release}. */
  boolean take(long bytes) {
    while (true) {
      long now = reserved.get();
      if (now + bytes > limit || now + bytes < 0) {
        return false;
      }
      if (reserved.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    reserved.addAndGet(-bytes);
  }

  long reserved() {
    return reserved.get();
  }

  long limit() {
    return limit;
  }
}
