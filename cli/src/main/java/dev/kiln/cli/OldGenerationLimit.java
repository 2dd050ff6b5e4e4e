package dev.kiln.cli;

import dev.kiln.runtime.tools.ProgressListener;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.Optional;

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
 * is collected: the heap stays near twice what the compile holds, at the cost of a collection each
 * time the dead copies have doubled it.
 *
 * <p><b>Asked as each function finishes.</b> The compile's progress ({@link #limiting}) is where the
 * old generation's use is read, so a collection comes at the first function boundary past the limit.
 * The JDK's usage threshold on the pool ({@code MemoryPoolMXBean.setUsageThreshold}) did this before,
 * but its notification comes on a thread of its own, late or not at all while two workers keep the
 * cores busy: esbuild's compile (14 MB of Go) went past a 64 MB threshold to 200 MB of old
 * generation without one collection, 0.46 GB resident; asked at each function, 0.39 GB.
 *
 * <p>Only in the CLI: a library does not ask an application's collector for anything.
 */
final class OldGenerationLimit implements ProgressListener {
  /**
   * Below this the old generation is left to the collector, so a compile of a few megabytes pays no
   * collection. At 256 MB esbuild's and ruby's (36 MB of C) compiles never reached it and peaked at
   * 0.46 and 0.49 GB resident; at 128 MB, 0.39 and 0.39 for one or two collections of about 60 ms.
   */
  static final long FLOOR_BYTES = 128L << 20;

  private final ProgressListener next;
  private final MemoryPoolMXBean oldGeneration;
  private final long floorBytes;
  private volatile long limitBytes;

  private OldGenerationLimit(ProgressListener next, MemoryPoolMXBean oldGeneration, long floorBytes) {
    this.next = next;
    this.oldGeneration = oldGeneration;
    this.floorBytes = floorBytes;
    this.limitBytes = floorBytes;
  }

  /**
   * {@code next}, which also collects the old generation once it passes the limit, with {@code
   * floorBytes} ({@link #FLOOR_BYTES} but in tests) as the least limit; {@code next} itself where the
   * collector has no separate old generation to read.
   */
  static ProgressListener limiting(ProgressListener next, long floorBytes) {
    return oldGeneration(ManagementFactory.getMemoryPoolMXBeans())
        .<ProgressListener>map(pool -> new OldGenerationLimit(next, pool, floorBytes))
        .orElse(next);
  }

  @Override
  public void finished(int done, int total) {
    next.finished(done, total);
    if (oldGeneration.getUsage().getUsed() > limitBytes) {
      collect();
    }
  }

  /** One worker collects; the other, arriving meanwhile, finds the new limit and goes on. */
  private synchronized void collect() {
    if (oldGeneration.getUsage().getUsed() <= limitBytes) {
      return;
    }
    System.gc();
    MemoryUsage left = oldGeneration.getCollectionUsage();
    limitBytes = Math.max(floorBytes, 2 * (left == null ? 0 : left.getUsed()));
  }

  /**
   * The heap pool of the old generation: the one that takes a usage threshold (the serial
   * collector's "Tenured Gen"; young pools take none).
   */
  static Optional<MemoryPoolMXBean> oldGeneration(List<MemoryPoolMXBean> pools) {
    return pools.stream().filter(p -> p.getType() == MemoryType.HEAP && p.isUsageThresholdSupported()).findFirst();
  }
}
