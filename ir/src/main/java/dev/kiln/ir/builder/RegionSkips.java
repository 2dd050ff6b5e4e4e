package dev.kiln.ir.builder;

import java.util.Arrays;

/**
 * Where the builder's search for a variable's definition may jump over a whole structured region
 * (a wasm {@code block}, {@code if} or {@code loop}) instead of walking it block by block.
 *
 * <p>Why: the paper's search reads a variable at a merge by reading it in every predecessor, and
 * caches the answer per block. A function with {@code L} locals read after {@code M} sequential
 * constructs that assign none of them therefore visits, and adds a parameter that turns out
 * trivial to, all {@code M} merges for each of the {@code L} locals: {@code L x M} steps and map
 * entries (a red-team module of 80 KB, 3,000 locals across 3,000 {@code if}s, took 3 GB). A front
 * end with structured control flow knows more than the builder: a region's merge block is reached
 * from the function's entry only through the block that was current when the region began (its
 * entry), and every block on the way from there was built while the region was open. So if a
 * variable was not assigned while the region was open, its value at the merge is its value at the
 * end of the entry, which is what the paper's trivial parameters would all have resolved to.
 *
 * <p>How: a logical clock ticks at every assignment and at every region's beginning and sealing;
 * each variable keeps the (increasing) times of its assignments. A region's merge, once sealed,
 * records its entry and the time the region opened. A variable may skip the merge when its last
 * assignment before the merge was sealed is older than the region. Sequential regions form a chain
 * (a merge whose entry is an earlier region's merge), along which the opening times decrease, so
 * the search climbs the chain as far as the variable allows with jump pointers (each node points
 * to its parent or to an ancestor further up, in the skew-binary pattern of Myers, "An applicative
 * random-access stack", 1983): logarithmic in the chain's length per read, constant space per
 * merge.
 *
 * <p>A block entered from one block only, sealed before it holds any code (a {@code br_if}'s
 * fall-through, an {@code if}'s arms), is an empty region of its own: nothing is assigned between
 * its source's branch and its start, so every variable skips it, and it links the regions before
 * and after it into one chain. Without it, a read after many {@code br_if}s walked back through
 * each of them.
 *
 * <p>A region whose entry is not yet a merge when it is sealed (one begun in a loop's header block,
 * such as the fall-through of a {@code br_if} back to the loop) waits for it, and is linked under it
 * once the loop's end seals it: without that, a read after n loops in a row climbed one loop at a
 * time, n steps for each of the locals read (3.1 s of CPU for 16,000 of each). Such a parent is sealed
 * after its child, so its region may hold assignments made after the child was sealed (a loop's
 * latch after the fall-through): a climb passes only regions sealed by the time the region it
 * started from was sealed, the time before which it looked for the variable's last assignment
 * ({@link #latestSealed} over each jump).
 */
final class RegionSkips {
  private static final int NONE = -1;

  private int clock;
  /** Per variable: the clock times of its assignments, in increasing order; null when none. */
  private IntList[] assignedAt = new IntList[16];

  // Per block, for the merges of sealed regions (NONE elsewhere):
  /** The block that was current when the region began. */
  private int[] entry = filled(16);
  /** When the region began. */
  private int[] openedAt = new int[16];
  /** When the merge was sealed. */
  private int[] sealedAt = new int[16];
  /** The entry, when it is itself the merge of a region sealed before this one began; else NONE. */
  private int[] parent = filled(16);
  /** An ancestor in the chain of parents (the parent itself or one further up); self at a root. */
  private int[] jump = filled(16);
  /**
   * The number of parents above, less that of {@link #anchor} (a root: 0). A root linked under a
   * loop's header at the loop's end moves its whole tree down, so depths are kept relative, as in a
   * union-find with weights: {@link #depthOf} adds them up and points each merge it passes at the
   * root.
   */
  private int[] depth = new int[16];
  /** The merge {@link #depth} counts from: a parent or an ancestor further up; NONE at a root. */
  private int[] anchor = filled(16);
  /** The latest time a region between a merge (not included) and its {@link #jump} was sealed. */
  private int[] latestSealed = new int[16];
  /**
   * Per block not a merge yet: the first merge whose entry it is and which waits to be linked to it
   * once it is one; then per waiting merge, the next (NONE ends the list).
   */
  private int[] firstWaiting = filled(16);
  private int[] nextWaiting = filled(16);

  /** Steps taken up the chains (for tests that count the builder's work). */
  private long climbSteps;

  /** Ticks the clock: the time a region begins. */
  int begin() {
    return ++clock;
  }

  /** {@code var} is assigned now. */
  void assigned(int var) {
    if (var >= assignedAt.length) {
      assignedAt = Arrays.copyOf(assignedAt, Math.max(var + 1, assignedAt.length * 2));
    }
    if (assignedAt[var] == null) {
      assignedAt[var] = new IntList();
    }
    assignedAt[var].add(++clock);
  }

  /**
   * {@code merge} is sealed now; it closes the region that began at {@code openedAt} in
   * {@code entryBlock}.
   */
  void sealed(int merge, int entryBlock, int opened) {
    grow(Math.max(merge, entryBlock));
    boolean entryIsMerge = isMerge(entryBlock);
    entry[merge] = entryBlock;
    openedAt[merge] = opened;
    sealedAt[merge] = ++clock;
    link(merge, entryIsMerge && sealedAt[entryBlock] < opened ? entryBlock : NONE);
    if (!entryIsMerge) {
      nextWaiting[merge] = firstWaiting[entryBlock];
      firstWaiting[entryBlock] = merge;
    }
    for (int w = firstWaiting[merge]; w != NONE; w = nextWaiting[w]) {
      if (openedAt[w] > opened) { // opening times must decrease up a chain (true of a loop's body)
        link(w, merge);
      }
    }
    firstWaiting[merge] = NONE;
  }

  /**
   * Makes {@code p} (or NONE, a root) the parent of {@code merge}, and its jump pointer the next
   * ancestor of the skew-binary pattern, which the depths decide. A root linked again once its entry
   * became a merge takes its tree with it ({@link #depth}). Its merges' jumps were made while it was
   * a root; they still lead to ancestors, which is all a climb needs to be right.
   */
  private void link(int merge, int p) {
    parent[merge] = p;
    anchor[merge] = p;
    if (p == NONE) {
      jump[merge] = merge;
      depth[merge] = 0;
      latestSealed[merge] = 0;
      return;
    }
    depth[merge] = 1;
    int j = jump[p];
    int dp = depthOf(p);
    int dj = depthOf(j);
    if (dp - dj == dj - depthOf(jump[j])) {
      jump[merge] = jump[j];
      latestSealed[merge] = Math.max(sealedAt[p], Math.max(latestSealed[p], latestSealed[j]));
    } else {
      jump[merge] = p;
      latestSealed[merge] = sealedAt[p];
    }
  }

  /**
   * {@code block}, sealed now before it holds any code, is entered from {@code source} only: a region
   * in which nothing is assigned (the source's branch is its last instruction), which every
   * variable skips.
   */
  void sealedEmpty(int block, int source) {
    sealed(block, source, begin());
  }

  /**
   * The block whose end value {@code var} holds at the start of {@code block}, reached by skipping
   * the regions {@code var} was not assigned in; NONE when {@code block} closes no region or
   * {@code var} was assigned in its region.
   */
  int skipTarget(int var, int block) {
    if (!isMerge(block)) {
      return NONE;
    }
    int asOf = sealedAt[block];
    int last = lastAssignmentBefore(var, asOf);
    if (openedAt[block] <= last) {
      return NONE;
    }
    // Opening times decrease up the chain: climb while the region began after the assignment, and
    // was sealed by the time the assignments were looked at.
    int top = block;
    while (parent[top] != NONE) {
      climbSteps++;
      if (openedAt[jump[top]] > last && latestSealed[top] <= asOf) {
        top = jump[top];
      } else if (openedAt[parent[top]] > last && sealedAt[parent[top]] <= asOf) {
        top = parent[top];
      } else {
        break;
      }
    }
    return entry[top];
  }

  long climbSteps() {
    return climbSteps;
  }

  /** The number of parents above {@code merge}; on the way, points each merge passed at the root. */
  private int depthOf(int merge) {
    int total = 0;
    int root = merge;
    while (anchor[root] != NONE) {
      total += depth[root];
      root = anchor[root];
    }
    for (int m = merge, rest = total; anchor[m] != NONE; ) {
      int next = anchor[m];
      int step = depth[m];
      anchor[m] = root;
      depth[m] = rest;
      rest -= step;
      m = next;
    }
    return total;
  }

  private boolean isMerge(int block) {
    return block < entry.length && entry[block] != NONE;
  }

  /** The time of {@code var}'s last assignment before {@code time}, or 0 when none. */
  private int lastAssignmentBefore(int var, int time) {
    IntList times = var < assignedAt.length ? assignedAt[var] : null;
    if (times == null) {
      return 0;
    }
    int lo = 0;
    int hi = times.size(); // the first index whose time is >= time lies in [lo, hi]
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (times.get(mid) < time) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo == 0 ? 0 : times.get(lo - 1);
  }

  private void grow(int block) {
    if (block < entry.length) {
      return;
    }
    int n = Math.max(block + 1, entry.length * 2);
    int old = entry.length;
    entry = Arrays.copyOf(entry, n);
    parent = Arrays.copyOf(parent, n);
    jump = Arrays.copyOf(jump, n);
    firstWaiting = Arrays.copyOf(firstWaiting, n);
    nextWaiting = Arrays.copyOf(nextWaiting, n);
    anchor = Arrays.copyOf(anchor, n);
    Arrays.fill(entry, old, n, NONE);
    Arrays.fill(parent, old, n, NONE);
    Arrays.fill(jump, old, n, NONE);
    Arrays.fill(firstWaiting, old, n, NONE);
    Arrays.fill(nextWaiting, old, n, NONE);
    Arrays.fill(anchor, old, n, NONE);
    openedAt = Arrays.copyOf(openedAt, n);
    sealedAt = Arrays.copyOf(sealedAt, n);
    depth = Arrays.copyOf(depth, n);
    latestSealed = Arrays.copyOf(latestSealed, n);
  }

  private static int[] filled(int n) {
    int[] a = new int[n];
    Arrays.fill(a, NONE);
    return a;
  }
}
