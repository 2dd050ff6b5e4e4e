package dev.kiln.codegen.regalloc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Spill slots are shared first-fit, as by trying every slot in turn, but without comparing a
 * lifetime with the slots in use where it starts: n values all live at once (a red-team function
 * with 50,000 locals live across one call compiled in 45 s, most of it here) cost n comparisons,
 * not n^2 / 2. Counted, not timed.
 */
class SlotColouringTest {
  @Test
  void valuesLiveAtOnceCostLinearWork() {
    long small = allLiveAtOnce(2_000);
    long large = allLiveAtOnce(8_000);
    assertTrue(large <= 4.5 * small, small + " comparisons for 2,000 values, " + large + " for 8,000 ("
        + String.format("%.1f", (double) large / small) + "x)");
  }

  @Test
  void aLifetimeIsSearchedOnlyWhereTheSlotHoldsSomething() {
    // Slot 0 holds [0, 10) and [100, 110); a lifetime of 1,000 ranges from 20 on meets neither. Its
    // first range ends before the slot's next range starts, which is known without a search; its
    // second is searched for in the slot; its third starts past the slot's last end, so it and the
    // other 997 are not (1,000 searches before).
    SlotColouring colouring = new SlotColouring();
    assertEquals(0, colouring.place(new int[] {0, 10, 100, 110}));
    List<int[]> fragmented = new ArrayList<>();
    for (int k = 0; k < 1000; k++) {
      fragmented.add(k == 0 ? new int[] {20, 21} : k == 1 ? new int[] {50, 51} : new int[] {200 * k, 200 * k + 1});
    }
    assertEquals(0, colouring.place(pairs(fragmented)));
    assertEquals(1, colouring.rangeSearches());
    // A slot whose ranges all ended before a lifetime starts takes it without a search.
    assertEquals(0, colouring.place(new int[] {300_000, 300_001, 300_005, 300_006}));
    assertEquals(1, colouring.rangeSearches());
  }

  @Test
  void choosesTheSlotsFirstFitOverEverySlotChooses() {
    Random random = new Random(35);
    int maxSlots = 0;
    for (int round = 0; round < 200; round++) {
      // Every tenth round, up to 600 lifetimes starting together: hundreds of slots, several words of bits.
      boolean dense = round % 10 == 0;
      List<List<int[]>> lifetimes = randomLifetimes(random, 1 + random.nextInt(dense ? 600 : 60), dense ? 1 : 4, 3);
      maxSlots = Math.max(maxSlots, assertFirstFit(lifetimes, round));
    }
    assertTrue(maxSlots > 128, maxSlots + " slots at most");
  }

  /**
   * The same with lifetimes of up to 40 ranges, as in large functions (ruby's function 1706 has 32 a
   * lifetime on average): slots in use again from a range not queued, lifetimes placed among the
   * ranges of others.
   */
  @Test
  void choosesTheSlotsFirstFitWithLifetimesOfManyRanges() {
    Random random = new Random(36);
    for (int round = 0; round < 200; round++) {
      assertFirstFit(randomLifetimes(random, 1 + random.nextInt(100), 6, 40), round);
    }
  }

  /** Places {@code lifetimes} as {@link #naiveFirstFit} does; returns the number of slots. */
  private static int assertFirstFit(List<List<int[]>> lifetimes, int round) {
    SlotColouring colouring = new SlotColouring();
    List<List<int[]>> naiveSlots = new ArrayList<>();
    for (List<int[]> lifetime : lifetimes) {
      assertEquals(naiveFirstFit(naiveSlots, lifetime), colouring.place(pairs(lifetime)), "round " + round);
    }
    assertEquals(naiveSlots.size(), colouring.slotCount());
    return colouring.slotCount();
  }

  /**
   * Only a slot in use has an entry queued, where its range covering the position ends: a lifetime's
   * later ranges are not queued. Two thousand lifetimes of one range live at once, then two thousand
   * more: 4,000 ends queued, as many as the boundaries queued before (each range's end, and the start
   * of each range after a lifetime's first); a lifetime of three ranges, 1 where 5.
   */
  @Test
  void onlyTheEndOfARangeInUseIsQueued() {
    SlotColouring colouring = new SlotColouring();
    for (int i = 0; i < 2_000; i++) {
      colouring.place(new int[] {i, 8_000 + i});
    }
    for (int i = 0; i < 2_000; i++) {
      colouring.place(new int[] {20_000 + i, 22_000 + i});
    }
    assertEquals(4_000, colouring.endsQueued);
    SlotColouring three = new SlotColouring();
    three.place(new int[] {0, 2, 4, 6, 8, 9});
    assertEquals(1, three.endsQueued, "ends queued for a lifetime of three ranges");
  }

  /**
   * A slot's ranges after its lifetime's first are not queued: one whose bit is clear but which is in
   * use is found when it is compared. A lifetime of 1,000 ranges, then one after it ends: 2 ends
   * queued (2,000 boundaries before; ruby's function 1706 queued 253,080 for 4,048 lifetimes, now
   * 5,767 ends).
   */
  @Test
  void aLifetimesLaterRangesAreNotQueued() {
    SlotColouring colouring = new SlotColouring();
    assertEquals(0, colouring.place(pairs(striped())));
    assertEquals(0, colouring.place(new int[] {20_000, 20_001}));
    assertEquals(2, colouring.endsQueued);
  }

  /**
   * A slot's ranges are kept from the last to the first, so a lifetime placed in it moves only the
   * slot's ranges it spans, not all the later ones. Slot 0 holds a lifetime of 1,000 ranges
   * [10k, 10k + 5); 1,000 lifetimes of one range [10k + 6, 10k + 8) fit between them, one after
   * another: no range moves, where an array from the first range to the last moved 499,500.
   */
  @Test
  void aLifetimeMovesOnlyTheRangesItSpans() {
    SlotColouring colouring = new SlotColouring();
    assertEquals(0, colouring.place(pairs(striped())));
    for (int k = 0; k < 1_000; k++) {
      assertEquals(0, colouring.place(new int[] {10 * k + 6, 10 * k + 8}));
    }
    assertEquals(0, colouring.rangesMoved);
    // One lifetime spanning three of the slot's ranges moves those three.
    SlotColouring spanning = new SlotColouring();
    spanning.place(new int[] {0, 1, 10, 11, 20, 21, 30, 31, 40, 41});
    assertEquals(0, spanning.place(new int[] {2, 3, 35, 36}));
    assertEquals(3, spanning.rangesMoved);
  }

  /** {@code ranges} as from/to pairs, as {@link SlotColouring#place} takes them. */
  static int[] pairs(List<int[]> ranges) {
    int[] out = new int[2 * ranges.size()];
    for (int k = 0; k < ranges.size(); k++) {
      out[2 * k] = ranges.get(k)[0];
      out[2 * k + 1] = ranges.get(k)[1];
    }
    return out;
  }

  /** A lifetime of 1,000 ranges [10k, 10k + 5). */
  private static List<int[]> striped() {
    List<int[]> ranges = new ArrayList<>();
    for (int k = 0; k < 1_000; k++) {
      ranges.add(new int[] {10 * k, 10 * k + 5});
    }
    return ranges;
  }

  /** n lifetimes [i, 4n + i): each meets every earlier one. Returns the comparisons made. */
  private static long allLiveAtOnce(int n) {
    SlotColouring colouring = new SlotColouring();
    for (int i = 0; i < n; i++) {
      assertEquals(i, colouring.place(new int[] {i, 4 * n + i}));
    }
    // Then n more, after all of those end, again each meeting every earlier one: each takes the
    // lowest slot freed.
    for (int i = 0; i < n; i++) {
      assertEquals(i, colouring.place(new int[] {10 * n + i, 11 * n + i}));
    }
    return colouring.comparisons();
  }

  /** Lifetimes in order of start, each a few disjoint ranges with holes, some touching others. */
  private static List<List<int[]>> randomLifetimes(Random random, int count, int maxStep, int maxRanges) {
    List<List<int[]>> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < count; i++) {
      start += random.nextInt(maxStep);
      List<int[]> ranges = new ArrayList<>();
      int from = start;
      for (int r = 1 + random.nextInt(maxRanges); r > 0; r--) {
        int to = from + 1 + random.nextInt(12);
        ranges.add(new int[] {from, to});
        from = to + 1 + random.nextInt(10);
      }
      out.add(ranges);
    }
    return out;
  }

  /** The colouring as it was: every slot in turn, the first whose ranges the lifetime misses. */
  private static int naiveFirstFit(List<List<int[]>> slots, List<int[]> lifetime) {
    for (int s = 0; s < slots.size(); s++) {
      if (!meets(slots.get(s), lifetime)) {
        slots.get(s).addAll(lifetime);
        return s;
      }
    }
    slots.add(new ArrayList<>(lifetime));
    return slots.size() - 1;
  }

  private static boolean meets(List<int[]> a, List<int[]> b) {
    for (int[] x : a) {
      for (int[] y : b) {
        if (x[0] < y[1] && y[0] < x[1]) {
          return true;
        }
      }
    }
    return false;
  }
}
