package dev.kiln.emulator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An executor's close that a {@code StackOverflowError} interrupted is finished by the next close:
 * every step is marked done only after it ran (issue 35; it marked the executor closed first, so
 * the second close did nothing and what the first had not reached, the stack at least, stayed
 * mapped for good). Each close is attempted at every depth of a window at the end of a thread's
 * stack, then again at the top; the emulator's stack must then be gone from {@code
 * /proc/self/maps}.
 */
class UnicornExecutorCloseTest {
  private static final int BATCH = 32;

  @Test
  void aCloseInterruptedAnywhereIsFinishedByTheNext() throws Exception {
    assumeTrue(UnicornExecutor.available(), "libunicorn.so.2 is installed");
    List<String> failures = new ArrayList<>();
    int[] interrupted = {0};
    Throwable[] failed = {null};
    Thread sweeper = new Thread(null, () -> {
      try {
        for (int first = 0; first < 8_000; first += BATCH) {
          UnicornExecutor[] batch = new UnicornExecutor[BATCH];
          Throwable[] thrown = new Throwable[BATCH];
          for (int i = 0; i < BATCH; i++) {
            batch[i] = new UnicornExecutor();
          }
          try {
            closeOnTheWayBack(batch, thrown, first, new int[1]);
          } catch (StackOverflowError expected) {
            // every level has had its turn
          }
          int here = 0;
          for (int i = 0; i < BATCH; i++) {
            if (thrown[i] instanceof StackOverflowError) {
              here++;
            } else if (thrown[i] != null) {
              failures.add("level " + (first + i) + ": " + thrown[i]);
            }
            long stack = batch[i].stackLow();
            batch[i].close();
            // Only where the first close was interrupted: the second one unmaps right before the
            // look, where the range of one unmapped earlier may hold another mapping by now
            if (thrown[i] != null && mapped(stack)) {
              failures.add("level " + (first + i) + " (" + thrown[i] + "): the stack is still mapped after a second close");
            }
          }
          interrupted[0] += here;
          if (here == 0 && first >= BATCH) {
            return;
          }
        }
        failures.add("still overflowing after 8,000 levels");
      } catch (Throwable t) {
        failed[0] = t;
      }
    }, "sweeper", 1 << 20);
    sweeper.start();
    sweeper.join();
    assertEquals(null, failed[0]);
    assertTrue(interrupted[0] > 0, "no close was interrupted");
    assertEquals(List.of(), failures.size() > 8 ? failures.subList(0, 8) : failures);
  }

  /** Recurses to the overflow; on the way back the level {@code k} above the deepest closes {@code batch[k - first]}. */
  private static void closeOnTheWayBack(UnicornExecutor[] batch, Throwable[] thrown, int first, int[] fromBottom) {
    try {
      closeOnTheWayBack(batch, thrown, first, fromBottom);
    } catch (StackOverflowError overflow) {
      int i = fromBottom[0]++ - first;
      if (i >= 0 && i < batch.length) {
        try {
          batch[i].close();
        } catch (Throwable t) {
          thrown[i] = t;
        }
      }
      throw overflow;
    }
  }

  /** Whether {@code address} lies in a mapping of this process. */
  private static boolean mapped(long address) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/maps"))) {
      String[] range = line.substring(0, line.indexOf(' ')).split("-");
      long start = HexFormat.fromHexDigitsToLong(range[0]);
      long end = HexFormat.fromHexDigitsToLong(range[1]);
      if (Long.compareUnsigned(address, start) >= 0 && Long.compareUnsigned(address, end) < 0) {
        return true;
      }
    }
    return false;
  }
}
