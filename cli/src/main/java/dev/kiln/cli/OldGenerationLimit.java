package dev.kiln.cli;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Optional;
import javax.management.NotificationEmitter;

/**
 * Keeps a large {@code kiln compile}'s heap near what the compile holds, in the CLI's own process.
 *
 * <p>The compile holds the module and a little per function (its finished functions wait in a file,
 * {@code FunctionSpill}), but a large function's graphs live for the many young collections of its
 * compile, so they are copied into the old generation, and die there. The serial collector
 * (the launcher's choice for {@code kiln compile}) then grows the old generation rather than
 * collect it, as long as the maximum heap allows: the heap grew with the module although what the
 * compile held did not (three copies of yosys: 766 MB of heap for some 200 MB held). So once the
 * old generation holds twice what its last collection left, and at least {@link #FLOOR_BYTES}, it
 * is collected (the JDK's usage threshold on the pool, {@link MemoryPoolMXBean#setUsageThreshold},
 * whose notification asks for a full collection): the heap stays near twice what the compile holds,
 * at the cost of a collection each time the dead copies have doubled it.
 *
 * <p>Only in the CLI: a library does not ask an application's collector for anything.
 */
final class OldGenerationLimit {
  /** Below this the old generation is left to the collector: a small compile never pays a collection. */
  static final long FLOOR_BYTES = 256L << 20;

  private OldGenerationLimit() {}

  /**
   * Starts keeping the old generation down, with {@code floorBytes} ({@link #FLOOR_BYTES} but in
   * tests) as its least threshold; nothing where the collector has no pool with a usage threshold.
   */
  static void install(long floorBytes) {
    Optional<MemoryPoolMXBean> old = oldGeneration(ManagementFactory.getMemoryPoolMXBeans());
    if (old.isEmpty() || !(ManagementFactory.getMemoryMXBean() instanceof NotificationEmitter emitter)) {
      return;
    }
    MemoryPoolMXBean pool = old.get();
    setThreshold(pool, floorBytes, 0);
    emitter.addNotificationListener((notification, handback) -> {
      if (MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(notification.getType())) {
        System.gc();
        MemoryUsage left = pool.getCollectionUsage();
        setThreshold(pool, floorBytes, left == null ? 0 : left.getUsed());
      }
    }, null, null);
  }

  /**
   * Sets {@code pool}'s threshold to twice {@code leftBytes}, at least {@code floorBytes}, and at
   * most the pool's maximum, which the JDK refuses to pass ({@link
   * MemoryPoolMXBean#setUsageThreshold} throws): a small heap's old generation is below the floor
   * ({@code kiln compile}'s is its heap less the launcher's 128 MB young generation, and the heap's
   * default is a quarter of the machine's memory: under 256 MB with {@code -Xmx} under 384 MB or on
   * a machine of under 1.5 GB), and a large compile's may hold more than half its maximum (red team 12: every module of 8 MB or more was an
   * internal error there).
   */
  private static void setThreshold(MemoryPoolMXBean pool, long floorBytes, long leftBytes) {
    long wanted = Math.max(floorBytes, 2 * leftBytes);
    long max = pool.getUsage().getMax();
    pool.setUsageThreshold(max < 0 ? wanted : Math.min(wanted, max));
  }

  /**
   * The heap pool that takes a usage threshold: the old generation's (the serial collector's
   * "Tenured Gen"; young pools take none).
   */
  static Optional<MemoryPoolMXBean> oldGeneration(List<MemoryPoolMXBean> pools) {
    return pools.stream().filter(p -> p.getType() == MemoryType.HEAP && p.isUsageThresholdSupported()).findFirst();
  }
}
