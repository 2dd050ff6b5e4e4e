package dev.kiln.codegen.regalloc;

import java.util.Arrays;

/**
 * Per register, a set of ranges {@code [from, to)} with distinct starts, each owned by a piece,
 * searched by start: {@link RegisterOccupancy}'s store. Each register's set is a treap (a binary
 * search tree by start that is a heap by a pseudo-random priority, so its expected depth is
 * logarithmic whatever order the ranges come in: Seidel and Aragon, "Randomized Search Trees",
 * Algorithmica 16, 1996) whose nodes are indices into parallel arrays shared by every register.
 *
 * <p>Why not a {@code java.util.TreeSet} of range objects: its searches compare through {@code
 * Comparable.compareTo}, an interface call per tree level that the launcher's C1-only JIT does not
 * inline, and a range object and a map entry per range; here a search compares ints in one loop
 * and a range is six array slots. The priorities come from a fixed sequence, so the trees' shapes,
 * and the answers, are the same in every run (they never depend on the shapes anyway: a search
 * answers by start alone).
 */
final class RangesByStart {
  /** No node. */
  static final int NONE = -1;

  /**
   * The nodes' fields, made when the first range comes (64 nodes): a scan makes a store per register
   * class, and most of its functions' pieces never become inactive, so never come here.
   */
  private int[] from = new int[0];
  private int[] to = new int[0];
  private int[] priority = new int[0];
  private int[] left = new int[0];
  private int[] right = new int[0];
  private LiveInterval[] piece = new LiveInterval[0];
  /** Nodes ever made; freed ones are chained through {@link #left} from {@link #free}. */
  private int made;
  private int free = NONE;
  private final int[] root;
  /**
   * Per register, at least the greatest end of a range it ever held (an end only grows here): no
   * range of r reaches past it, so a question from a position at or after it needs no search.
   */
  private final int[] endBound;
  private long seed;
  /** {@link #locate}'s two results: the floor and the higher node of the position asked about. */
  private int floorFound;
  private int higherFound;
  /** {@link #split}'s two results: the trees of starts below and at or above the key. */
  private int below;
  private int atOrAbove;
  /** {@link #add}'s check: a node met on its way whose range starts where the new one does. */
  private int sameStart;

  RangesByStart(int registers) {
    root = new int[registers];
    Arrays.fill(root, NONE);
    endBound = new int[registers];
  }

  /** A position at or after every end of register {@code r}'s ranges. */
  int endBound(int r) {
    return endBound[r];
  }

  int from(int node) {
    return from[node];
  }

  int to(int node) {
    return to[node];
  }

  LiveInterval piece(int node) {
    return piece[node];
  }

  /** The node of register {@code r} whose range starts at {@code start}, or {@link #NONE}. */
  int startingAt(int r, int start) {
    int t = root[r];
    while (t != NONE && from[t] != start) {
      t = start < from[t] ? left[t] : right[t];
    }
    return t;
  }

  /** The node of register {@code r} with the greatest start at or before {@code pos}, or {@link #NONE}. */
  int floor(int r, int pos) {
    int best = NONE;
    int t = root[r];
    while (t != NONE) {
      if (from[t] <= pos) {
        best = t;
        t = right[t];
      } else {
        t = left[t];
      }
    }
    return best;
  }

  /** The node of register {@code r} with the least start after {@code pos}, or {@link #NONE}. */
  int higher(int r, int pos) {
    int best = NONE;
    int t = root[r];
    while (t != NONE) {
      if (from[t] > pos) {
        best = t;
        t = left[t];
      } else {
        t = right[t];
      }
    }
    return best;
  }

  /**
   * Finds both {@link #floor} and {@link #higher} of {@code pos} in one descent (they take the same
   * path: each step goes right exactly when the node starts at or before pos), for {@link
   * #floorFound()} and {@link #higherFound()}.
   */
  void locate(int r, int pos) {
    int atOrBefore = NONE;
    int after = NONE;
    int t = root[r];
    while (t != NONE) {
      if (from[t] <= pos) {
        atOrBefore = t;
        t = right[t];
      } else {
        after = t;
        t = left[t];
      }
    }
    floorFound = atOrBefore;
    higherFound = after;
  }

  /** The floor node of {@link #locate}'s last position, or {@link #NONE}. */
  int floorFound() {
    return floorFound;
  }

  /** The higher node of {@link #locate}'s last position, or {@link #NONE}. */
  int higherFound() {
    return higherFound;
  }

  /**
   * Adds {@code [start, end)} of {@code owner} to register {@code r} and returns {@link #NONE}, or
   * the node of r that already started at {@code start}, which the caller must treat as a fault: the
   * starts are then no longer distinct. The check comes free with the insertion: a node starting at
   * {@code start} lies on the path the insertion walks (down to the new node's place, then the
   * split below it), where a separate {@link #startingAt} walked it again.
   */
  int add(int r, int start, int end, LiveInterval owner) {
    endBound[r] = Math.max(endBound[r], end);
    int n = newNode(start, end, owner);
    sameStart = NONE;
    // Down to where the new node's priority puts it, then the subtree there splits around it.
    int parent = NONE;
    int t = root[r];
    while (t != NONE && priority[t] > priority[n]) {
      if (from[t] == start) {
        sameStart = t;
      }
      parent = t;
      t = start < from[t] ? left[t] : right[t];
    }
    split(t, start);
    left[n] = below;
    right[n] = atOrAbove;
    link(r, parent, parent != NONE && start < from[parent], n);
    return sameStart;
  }

  /** Gives {@code node}'s range, on register {@code r}, a new end and owner, its start unchanged. */
  void replace(int r, int node, int end, LiveInterval owner) {
    endBound[r] = Math.max(endBound[r], end);
    to[node] = end;
    piece[node] = owner;
  }

  /** Removes {@code node} from register {@code r}. */
  void remove(int r, int node) {
    int parent = NONE;
    int t = root[r];
    int start = from[node];
    while (t != node) {
      parent = t;
      t = start < from[t] ? left[t] : right[t];
    }
    link(r, parent, parent != NONE && left[parent] == node, merge(left[node], right[node]));
    piece[node] = null;
    left[node] = free;
    free = node;
  }

  /** The number of nodes on the longest path from register {@code r}'s root down: for tests. */
  int depth(int r) {
    int deepest = 0;
    int[] nodes = new int[16];
    int[] depths = new int[16];
    int top = 0;
    if (root[r] != NONE) {
      nodes[0] = root[r];
      depths[0] = 1;
      top = 1;
    }
    while (top > 0) {
      top--;
      int t = nodes[top];
      int d = depths[top];
      deepest = Math.max(deepest, d);
      for (int child : new int[] {left[t], right[t]}) {
        if (child != NONE) {
          if (top == nodes.length) {
            nodes = Arrays.copyOf(nodes, 2 * top);
            depths = Arrays.copyOf(depths, 2 * top);
          }
          nodes[top] = child;
          depths[top++] = d + 1;
        }
      }
    }
    return deepest;
  }

  /** Hangs {@code replacement} below {@code parent}, on its left or right (or at r's root). */
  private void link(int r, int parent, boolean onLeft, int replacement) {
    if (parent == NONE) {
      root[r] = replacement;
    } else if (onLeft) {
      left[parent] = replacement;
    } else {
      right[parent] = replacement;
    }
  }

  /** Splits tree {@code t} into {@link #below} (starts under {@code key}) and {@link #atOrAbove}. */
  private void split(int t, int key) {
    if (t == NONE) {
      below = NONE;
      atOrAbove = NONE;
    } else if (from[t] < key) {
      split(right[t], key);
      right[t] = below;
      below = t;
    } else {
      if (from[t] == key) {
        sameStart = t;
      }
      split(left[t], key);
      left[t] = atOrAbove;
      atOrAbove = t;
    }
  }

  /** Joins trees {@code a} and {@code b}, every start of a below every start of b. */
  private int merge(int a, int b) {
    if (a == NONE) {
      return b;
    }
    if (b == NONE) {
      return a;
    }
    if (priority[a] > priority[b]) {
      right[a] = merge(right[a], b);
      return a;
    }
    left[b] = merge(a, left[b]);
    return b;
  }

  private void grow(int size) {
    from = Arrays.copyOf(from, size);
    to = Arrays.copyOf(to, size);
    priority = Arrays.copyOf(priority, size);
    left = Arrays.copyOf(left, size);
    right = Arrays.copyOf(right, size);
    piece = Arrays.copyOf(piece, size);
  }

  private int newNode(int start, int end, LiveInterval owner) {
    int n;
    if (free != NONE) {
      n = free;
      free = left[n];
    } else {
      if (made == from.length) {
        grow(Math.max(64, 2 * made));
      }
      n = made++;
    }
    from[n] = start;
    to[n] = end;
    piece[n] = owner;
    left[n] = NONE;
    right[n] = NONE;
    // SplitMix64's step and finaliser (Steele, Lea and Flood, "Fast Splittable Pseudorandom Number
    // Generators", OOPSLA 2014): a fixed sequence, well mixed.
    seed += 0x9E3779B97F4A7C15L;
    long z = seed;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    priority[n] = (int) (z ^ (z >>> 31));
    return n;
  }
}
