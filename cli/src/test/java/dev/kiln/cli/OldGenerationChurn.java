package dev.kiln.cli;

import dev.kiln.runtime.tools.ProgressListener;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.util.ArrayDeque;

/**
 * The old generation's growth under the serial collector, in a JVM of its own ({@link
 * OldGenerationLimitTest}): 600 MB of arrays, each kept while the next 24 MB are made (several
 * young collections of an 8 MB young generation, so it is copied into the old generation), then
 * dropped, as a large function's graphs are, with a function finished every 4 MB; with {@code
 * limited}, told to {@link OldGenerationLimit} with a 16 MB floor, and with {@code limited at the
 * floor}, with the CLI's. Prints the old generation's peak use and the full collections made.
 */
public final class OldGenerationChurn {
  private OldGenerationChurn() {}

  public static void main(String[] args) {
    ProgressListener progress = switch (args[0]) {
      case "limited" -> OldGenerationLimit.limiting(ProgressListener.NONE, 16L << 20);
      case "limited at the floor" -> OldGenerationLimit.limiting(ProgressListener.NONE, OldGenerationLimit.FLOOR_BYTES);
      default -> ProgressListener.NONE;
    };
    ArrayDeque<byte[]> window = new ArrayDeque<>();
    long sum = 0;
    for (int i = 0; i < 2400; i++) {
      byte[] piece = new byte[256 << 10];
      piece[i % piece.length] = (byte) i;
      window.add(piece);
      if (window.size() > 96) {
        sum += window.remove()[i % 100];
      }
      if (i % 16 == 15) {
        progress.finished(i / 16 + 1, 150); // a function finished every 4 MB
      }
    }
    MemoryPoolMXBean old = OldGenerationLimit.oldGeneration(ManagementFactory.getMemoryPoolMXBeans()).orElseThrow();
    long fullCollections = 0;
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc.getMemoryPoolNames().length == 1 && gc.getMemoryPoolNames()[0].equals(old.getName())
          || gc.getName().equals("MarkSweepCompact")) {
        fullCollections += gc.getCollectionCount();
      }
    }
    System.out.println("old peak MB: " + (old.getPeakUsage().getUsed() >> 20));
    System.out.println("full collections: " + fullCollections);
    System.out.println("checksum: " + sum);
  }
}
