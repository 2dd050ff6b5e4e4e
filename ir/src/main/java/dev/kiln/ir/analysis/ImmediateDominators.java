package dev.kiln.ir.analysis;

import java.util.Arrays;

/**
 * Immediate dominators of a graph's nodes by the algorithm of Lengauer and Tarjan ("A Fast Algorithm
 * for Finding Dominators in a Flowgraph", TOPLAS 1(1), 1979), in its simple form: semidominators over
 * a depth-first spanning tree, with path compression in the forest it links (O(m log n)).
 *
 * <p>Why not the iteration of Cooper, Harvey and Kennedy, which Kiln used before: its "intersect"
 * walks up the dominator tree, and a block with many predecessors deep in a long chain (a run of
 * {@code br_if}s to one label, the exit of many nested blocks) costs the chain's length per
 * predecessor, so a function of n such branches took n^2 / 2 steps. The dominator tree is unique,
 * so both algorithms give the same result; this one's cost does not depend on the graph's shape.
 *
 * <p>Everything is iterative (no recursion): a wasm function's graph can be as deep as it is large.
 */
public final class ImmediateDominators {
  /** The graph, as int-indexed nodes with their successors and predecessors. */
  public interface Graph {
    int nodeCount();

    int successorCount(int node);

    int successor(int node, int index);

    int predecessorCount(int node);

    int predecessor(int node, int index);
  }

  private ImmediateDominators() {}

  /**
   * Per node, its immediate dominator; {@code entry}'s is itself, and a node that {@code entry} does
   * not reach has -1.
   */
  public static int[] compute(Graph g, int entry) {
    int n = g.nodeCount();
    int[] idom = new int[n];
    Arrays.fill(idom, -1);
    if (entry < 0) {
      return idom;
    }
    // Depth-first preorder numbers (dfnum: 1-based, 0 = unreached) and the spanning tree's parents.
    int[] dfnum = new int[n];
    int[] vertex = new int[n + 1];
    int[] parent = new int[n + 1];
    int count = 0;
    int[] stackNode = new int[n];
    int[] stackNext = new int[n];
    int sp = 0;
    dfnum[entry] = ++count;
    vertex[count] = entry;
    stackNode[sp] = entry;
    stackNext[sp++] = 0;
    while (sp > 0) {
      int v = stackNode[sp - 1];
      int k = stackNext[sp - 1];
      if (k < g.successorCount(v)) {
        stackNext[sp - 1]++;
        int w = g.successor(v, k);
        if (dfnum[w] == 0) {
          dfnum[w] = ++count;
          vertex[count] = w;
          parent[count] = dfnum[v];
          stackNode[sp] = w;
          stackNext[sp++] = 0;
        }
      } else {
        sp--;
      }
    }
    // From here on nodes are named by their dfnum (1..count).
    int[] semi = new int[count + 1];
    int[] ancestor = new int[count + 1];
    int[] label = new int[count + 1];
    int[] dom = new int[count + 1];
    // bucket[s]: the nodes whose semidominator is s, as singly linked lists through bucketNext.
    int[] bucket = new int[count + 1];
    int[] bucketNext = new int[count + 1];
    for (int v = 1; v <= count; v++) {
      semi[v] = v;
      label[v] = v;
    }
    int[] path = new int[count + 1];
    for (int w = count; w >= 2; w--) {
      int node = vertex[w];
      for (int k = 0, preds = g.predecessorCount(node); k < preds; k++) {
        int v = dfnum[g.predecessor(node, k)];
        if (v == 0) {
          continue; // an unreachable predecessor
        }
        int u = eval(v, ancestor, label, semi, path);
        if (semi[u] < semi[w]) {
          semi[w] = semi[u];
        }
      }
      bucketNext[w] = bucket[semi[w]];
      bucket[semi[w]] = w;
      int p = parent[w];
      ancestor[w] = p;
      for (int v = bucket[p]; v != 0; v = bucketNext[v]) {
        int u = eval(v, ancestor, label, semi, path);
        dom[v] = semi[u] < semi[v] ? u : p;
      }
      bucket[p] = 0;
    }
    for (int w = 2; w <= count; w++) {
      if (dom[w] != semi[w]) {
        dom[w] = dom[dom[w]];
      }
    }
    idom[entry] = entry;
    for (int w = 2; w <= count; w++) {
      idom[vertex[w]] = vertex[dom[w]];
    }
    return idom;
  }

  /**
   * Pre- and post-order numbers of a depth-first walk of the dominator tree {@code idom} (as {@link
   * #compute} returns it) from {@code entry}: {@code a} dominates {@code b} exactly when {@code
   * pre[a] <= pre[b] && post[b] <= post[a]}, two comparisons instead of a climb as deep as the tree.
   * Unreached nodes get -1.
   */
  public static TreeNumbers numbering(int[] idom, int entry) {
    int n = idom.length;
    int[] pre = new int[n];
    int[] post = new int[n];
    Arrays.fill(pre, -1);
    Arrays.fill(post, -1);
    if (entry < 0) {
      return new TreeNumbers(pre, post);
    }
    // Children as one array, grouped by parent (a counting sort of the nodes by idom).
    int[] first = new int[n + 1];
    for (int b = 0; b < n; b++) {
      if (idom[b] >= 0 && b != entry) {
        first[idom[b] + 1]++;
      }
    }
    for (int b = 0; b < n; b++) {
      first[b + 1] += first[b];
    }
    int[] children = new int[Math.max(first[n], 1)];
    int[] fill = Arrays.copyOf(first, n);
    for (int b = 0; b < n; b++) {
      if (idom[b] >= 0 && b != entry) {
        children[fill[idom[b]]++] = b;
      }
    }
    int[] stackNode = new int[n];
    int[] stackNext = new int[n];
    int sp = 0;
    int preCount = 0;
    int postCount = 0;
    pre[entry] = preCount++;
    stackNode[sp] = entry;
    stackNext[sp++] = first[entry];
    while (sp > 0) {
      int node = stackNode[sp - 1];
      if (stackNext[sp - 1] < first[node + 1]) {
        int child = children[stackNext[sp - 1]++];
        pre[child] = preCount++;
        stackNode[sp] = child;
        stackNext[sp++] = first[child];
      } else {
        post[node] = postCount++;
        sp--;
      }
    }
    return new TreeNumbers(pre, post);
  }

  /**
   * Walk numbers of a dominator tree ({@link #numbering}).
   *
   * @param pre preorder number per node, -1 if unreached
   * @param post postorder number per node, -1 if unreached
   */
  public record TreeNumbers(int[] pre, int[] post) {
    /** Whether {@code a} dominates {@code b} (every reached node dominates itself). */
    public boolean dominates(int a, int b) {
      return pre[a] >= 0 && pre[b] >= 0 && pre[a] <= pre[b] && post[b] <= post[a];
    }
  }

  /**
   * The node of least semidominator on the forest path from {@code v} up to (not including) its
   * root, compressing the path on the way (iteratively, with {@code path} as the stack).
   */
  private static int eval(int v, int[] ancestor, int[] label, int[] semi, int[] path) {
    if (ancestor[v] == 0) {
      return v;
    }
    int top = 0;
    for (int x = v; ancestor[ancestor[x]] != 0; x = ancestor[x]) {
      path[top++] = x;
    }
    // Compress from the top of the path down, so each node sees its ancestor's final label.
    while (top > 0) {
      int x = path[--top];
      int a = ancestor[x];
      if (semi[label[a]] < semi[label[x]]) {
        label[x] = label[a];
      }
      ancestor[x] = ancestor[a];
    }
    return label[v];
  }
}
