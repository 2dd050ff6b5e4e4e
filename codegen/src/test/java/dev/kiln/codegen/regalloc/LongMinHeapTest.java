package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.PriorityQueue;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link LongMinHeap} takes entries out in the order a {@code PriorityQueue<Long>} does. */
class LongMinHeapTest {
  @Test
  void takesTheSmallestFirstLikeAPriorityQueue() {
    Random random = new Random(40);
    LongMinHeap heap = new LongMinHeap();
    PriorityQueue<Long> expected = new PriorityQueue<>();
    for (int step = 0; step < 20_000; step++) {
      // Adds and polls mixed, with repeats and negative entries, growing past the first capacity.
      if (expected.isEmpty() || random.nextInt(3) > 0) {
        long x = random.nextInt(200) - 50L << 33 | random.nextInt(4);
        heap.add(x);
        expected.add(x);
      } else {
        assertEquals(expected.peek(), heap.peek());
        assertEquals(expected.poll(), heap.poll());
      }
      assertEquals(expected.isEmpty(), heap.isEmpty());
    }
    while (!expected.isEmpty()) {
      assertEquals(expected.poll(), heap.poll());
    }
    assertTrue(heap.isEmpty());
  }
}
