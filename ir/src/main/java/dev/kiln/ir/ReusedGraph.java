package dev.kiln.ir;

/**
 * One compile worker's {@link DataFlowGraph}, emptied and handed to each function the worker
 * translates once the function before it is compiled, so the worker's functions share one set of
 * arrays instead of each allocating (and the JVM zeroing) its own: graphs sized up front for the
 * function about to be translated were 1.65 GB of the 21.7 GB a yosys compile allocated (JFR's
 * allocation samples, x86-64).
 *
 * <p>A graph whose arrays take more than {@link #MAX_KEPT_BYTES} is not kept, so one huge function
 * does not pin its arrays for the rest of the compile: what a worker holds between functions is
 * bounded, whatever the module's size. Not thread-safe: one per worker.
 */
public final class ReusedGraph {
  /**
   * The largest graph kept for the next function: about what a 70 KB function body's graph
   * reserves (FuncTranslator's per-byte estimates), so all but the largest functions of a large
   * module (yosys's largest body is 228 KB) reuse it.
   */
  public static final long MAX_KEPT_BYTES = 4L << 20;

  private DataFlowGraph kept;

  /** A worker's, keeping nothing yet. */
  public ReusedGraph() {}

  /**
   * An empty graph for the next function: the one given back last, emptied, or a new one. The
   * caller owns it until it gives it back.
   */
  public DataFlowGraph take() {
    DataFlowGraph graph = kept;
    kept = null;
    if (graph == null) {
      return new DataFlowGraph();
    }
    graph.clear();
    return graph;
  }

  /**
   * Keeps {@code graph} for the next {@link #take} if its arrays are within {@link #MAX_KEPT_BYTES}.
   * The caller must not use it, or anything made from it that reads it later, after this.
   */
  public void giveBack(DataFlowGraph graph) {
    kept = graph.arrayBytes() <= MAX_KEPT_BYTES ? graph : null;
  }
}
