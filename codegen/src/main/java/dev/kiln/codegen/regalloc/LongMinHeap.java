package dev.kiln.codegen.regalloc;

import java.util.Arrays;

/**
 * A binary min-heap of longs (signed order), the smallest taken first: a {@code PriorityQueue<Long>}
 * without a boxed {@code Long} per entry and a {@code compareTo} call per comparison. {@link
 * SlotColouring} queued two range boundaries per lifetime range of every spilled vreg then, and the
 * boxed queue's adds and polls were half of its samples in a profile of yosys's compile.
 */
final class LongMinHeap {
  private long[] heap = new long[16];
  private int size;

  boolean isEmpty() {
    return size == 0;
  }

  void add(long x) {
    if (size == heap.length) {
      heap = Arrays.copyOf(heap, 2 * size);
    }
    int k = size++;
    while (k > 0) {
      int parent = (k - 1) >>> 1;
      if (heap[parent] <= x) {
        break;
      }
      heap[k] = heap[parent];
      k = parent;
    }
    heap[k] = x;
  }

  /** The smallest entry; the heap must not be empty. */
  long peek() {
    return heap[0];
  }

  /** Takes out the smallest entry and returns it; the heap must not be empty. */
  long poll() {
    long top = heap[0];
    long x = heap[--size];
    int k = 0;
    int half = size >>> 1;
    while (k < half) {
      int child = 2 * k + 1;
      if (child + 1 < size && heap[child + 1] < heap[child]) {
        child++;
      }
      if (x <= heap[child]) {
        break;
      }
      heap[k] = heap[child];
      k = child;
    }
    heap[k] = x;
    return top;
  }
}
