package dev.kiln.ir.analysis;

import java.util.Arrays;

/**
 * The natural loops of a graph as a tree: for each back edge {@code latch -> header} (the header
 * dominates the latch), the loop of the header is the header and every node that reaches a latch
 * without passing the header (loops sharing a header are one loop), and natural loops are nested
 * or disjoint. Per node its innermost loop, per loop the loop around it.
 *
 * <p>Found in time about linear in the graph (Havlak's idea, "Nesting of Reducible and Irreducible
 * Loops", TOPLAS 19(4), 1997, on the reducible graphs wasm makes): headers are taken innermost first
 * (decreasing dominator-tree preorder: a loop's header dominates the headers inside it), and the
 * backward walk from a header's latches steps over an inner loop already found as one node (its
 * header, through a union-find), instead of walking its blocks again. Listing each loop's blocks,
 * as the IR's and the allocator's loop analyses did, costs the sum of the loops' sizes: for n
 * nested loops, n^2 / 2.
 */
public final class LoopForest {
  /** Per node: the header of the smallest loop containing it, or -1. */
  private final int[] innermost;
  /** Per node: for a header, the header of the smallest loop strictly around its loop, or -1. */
  private final int[] parent;
  /** Per node: whether it heads a loop. */
  private final boolean[] header;
  /** Per node: for a header, how many loops contain its loop's blocks (1 for an outermost loop). */
  private final int[] depth;
  /** The headers, outermost first (increasing dominator-tree preorder). */
  private final int[] headers;

  private LoopForest(int[] innermost, int[] parent, boolean[] header, int[] depth, int[] headers) {
    this.innermost = innermost;
    this.parent = parent;
    this.header = header;
    this.depth = depth;
    this.headers = headers;
  }

  /**
   * The loops of {@code g}, whose immediate dominators from {@code entry} are {@code idom} ({@link
   * ImmediateDominators#compute}); nodes {@code entry} does not reach are in no loop.
   */
  public static LoopForest compute(ImmediateDominators.Graph g, int[] idom, int entry) {
    int n = g.nodeCount();
    ImmediateDominators.TreeNumbers numbers = ImmediateDominators.numbering(idom, entry);
    int[] pre = numbers.pre();
    int[] innermost = new int[n];
    int[] parent = new int[n];
    boolean[] isHeader = new boolean[n];
    Arrays.fill(innermost, -1);
    Arrays.fill(parent, -1);
    // Headers in increasing preorder (a counting sort over the preorder numbers).
    int[] byPre = new int[n];
    Arrays.fill(byPre, -1);
    int headerCount = 0;
    for (int h = 0; h < n; h++) {
      if (pre[h] < 0) {
        continue;
      }
      for (int k = 0; k < g.predecessorCount(h); k++) {
        int p = g.predecessor(h, k);
        if (pre[p] >= 0 && numbers.dominates(h, p)) {
          isHeader[h] = true;
        }
      }
      if (isHeader[h]) {
        byPre[pre[h]] = h;
        headerCount++;
      }
    }
    int[] headers = new int[headerCount];
    for (int i = 0, k = 0; i < n; i++) {
      if (byPre[i] >= 0) {
        headers[k++] = byPre[i];
      }
    }
    // rep: the union-find over nodes; a node of a loop found so far leads to that loop's
    // outermost found header. mark[x] == h: x was met in the walk for h.
    int[] rep = new int[n];
    for (int x = 0; x < n; x++) {
      rep[x] = x;
    }
    int[] mark = new int[n];
    Arrays.fill(mark, -1);
    int[] work = new int[n];
    for (int i = headerCount - 1; i >= 0; i--) {
      int h = headers[i];
      innermost[h] = h;
      mark[h] = h;
      int top = 0;
      for (int k = 0; k < g.predecessorCount(h); k++) {
        int p = g.predecessor(h, k);
        if (pre[p] >= 0 && numbers.dominates(h, p)) {
          top = meet(find(rep, p), h, mark, work, top);
        }
      }
      while (top > 0) {
        int y = work[--top];
        if (isHeader[y] && innermost[y] == y) {
          parent[y] = h; // an inner loop, found before: it lies directly inside this one
        } else {
          innermost[y] = h;
        }
        rep[y] = h;
        // Into a loop only its header leads (the graph is reducible), so the predecessors of an
        // inner loop's header are all the walk needs of that loop; its latches now lead to h.
        for (int k = 0; k < g.predecessorCount(y); k++) {
          int q = g.predecessor(y, k);
          if (pre[q] >= 0) {
            top = meet(find(rep, q), h, mark, work, top);
          }
        }
      }
    }
    int[] depth = new int[n];
    for (int h : headers) {
      depth[h] = parent[h] < 0 ? 1 : depth[parent[h]] + 1;
    }
    return new LoopForest(innermost, parent, isHeader, depth, headers);
  }

  /** The forest of a graph of {@code nodeCount} nodes without a loop: what {@link #compute} finds for one. */
  public static LoopForest none(int nodeCount) {
    int[] noLoop = new int[nodeCount];
    Arrays.fill(noLoop, -1);
    return new LoopForest(noLoop, noLoop, new boolean[nodeCount], new int[nodeCount], new int[0]);
  }

  /** Pushes {@code y} for the walk of {@code h} unless it is {@code h} or was met already. */
  private static int meet(int y, int h, int[] mark, int[] work, int top) {
    if (y == h || mark[y] == h) {
      return top;
    }
    mark[y] = h;
    work[top] = y;
    return top + 1;
  }

  private static int find(int[] rep, int x) {
    int root = x;
    while (rep[root] != root) {
      root = rep[root];
    }
    while (rep[x] != root) {
      int next = rep[x];
      rep[x] = root;
      x = next;
    }
    return root;
  }

  /** The header of the smallest loop containing {@code node}, or -1. */
  public int innermost(int node) {
    return innermost[node];
  }

  /** For a header, the header of the smallest loop strictly around its loop, or -1. */
  public int parent(int header) {
    return parent[header];
  }

  /** Whether {@code node} heads a loop. */
  public boolean isHeader(int node) {
    return header[node];
  }

  /** How many loops contain {@code node} (0 outside every loop). */
  public int depth(int node) {
    int h = innermost[node];
    return h < 0 ? 0 : depth[h];
  }

  /** The loop headers, every one after the headers of the loops around it. */
  public int[] headers() {
    return headers.clone();
  }
}
