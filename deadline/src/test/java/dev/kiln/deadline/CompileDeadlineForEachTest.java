package dev.kiln.deadline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link CompileDeadline#forEach} is a plain loop to its caller: every item once, in order, for
 * counts around its chunk and poll sizes; and it polls before its first item.
 */
class CompileDeadlineForEachTest {
  @Test
  void visitsEveryItemOnceInOrder() {
    int chunk = CompileDeadline.CHUNK;
    int interval = CompileDeadline.POLL_INTERVAL;
    for (int count : new int[] {0, 1, chunk - 1, chunk, chunk + 1, interval - 1, interval, interval + 1, 5 * interval + 7}) {
      List<Integer> seen = new ArrayList<>();
      CompileDeadline.forEach(Phase.ASSEMBLY, count, seen::add);
      assertEquals(IntStream.range(0, count).boxed().toList(), seen, "count " + count);
    }
  }

  @Test
  void theLastChunkBeforeTheLargestIntEndsAtTheCount() {
    // A chunk end computed as from + CHUNK would wrap below zero there, and the loop never end.
    int count = Integer.MAX_VALUE;
    int last = count - 5;
    assertEquals(count, CompileDeadline.chunkEnd(last, count));
    assertEquals(last, CompileDeadline.chunkEnd(last - CompileDeadline.CHUNK, count));
    assertEquals(count, CompileDeadline.chunkEnd(count - CompileDeadline.CHUNK, count));
  }

  @Test
  void aSpentDeadlineStopsTheLoopBeforeItsFirstItem() {
    List<Integer> seen = new ArrayList<>();
    CompileTimeoutException e = assertThrows(CompileTimeoutException.class,
        () -> CompileDeadline.after(Duration.ZERO).call(() -> {
          CompileDeadline.forEach(Phase.ASSEMBLY, 10, seen::add);
          return null;
        }));
    assertEquals(List.of(), seen);
    assertTrue(e.getMessage().contains(Phase.ASSEMBLY.description()), e.getMessage());
  }

  @Test
  void aDeadlineSpentMidLoopStopsItAtTheNextPoll() {
    // The deadline is spent while item 0 runs (a second, so a slow machine still reaches the first
    // poll in time): the loop goes on to the next poll, at item POLL_INTERVAL.
    List<Integer> seen = new ArrayList<>();
    assertThrows(CompileTimeoutException.class, () -> CompileDeadline.after(Duration.ofSeconds(1)).call(() -> {
      CompileDeadline.forEach(Phase.ASSEMBLY, 3 * CompileDeadline.POLL_INTERVAL, i -> {
        if (i == 0) {
          sleep(1_200);
        }
        seen.add(i);
      });
      return null;
    }));
    assertEquals(CompileDeadline.POLL_INTERVAL, seen.size());
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
