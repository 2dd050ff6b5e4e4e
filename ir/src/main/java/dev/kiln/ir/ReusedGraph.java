package dev.kiln.ir;

/**
 * One compile worker's {@link DataFlowGraph} and {@link Layout}, emptied and handed to each function
 * the worker translates once the function before it is compiled, so the worker's functions share
 * one set of arrays instead of each allocating (and the JVM zeroing) its own: graphs sized up front
 * for the function about to be translated were 1.65 GB of the 21.7 GB a yosys compile allocated
 * (JFR's allocation samples, x86-64), and their layouts, made anew once the graph was kept, 2.9%
 * of the bytes it allocated then.
 *
 * <p>A function whose arrays take more than {@link #MAX_KEPT_BYTES} is not kept, so one huge function
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

  private Function kept;

  /** A worker's, keeping nothing yet. */
  public ReusedGraph() {}

  /**
   * An empty function named {@code name} of {@code signature} for the next function to translate:
   * on the graph and layout of the one given back last, emptied, or on new ones. The caller owns
   * it until it gives it back.
   */
  public Function take(ExternalName name, Signature signature) {
    Function last = kept;
    kept = null;
    if (last == null) {
      return new Function(name, signature);
    }
    // the layout first: which of its slots the last function used, the graph's counts say
    last.layout().clear(last.dfg().blockCount(), last.dfg().instCount());
    last.dfg().clear();
    return new Function(name, signature, last.dfg(), last.layout());
  }

  /**
   * Keeps {@code function}'s graph and layout for the next {@link #take} if their arrays are within
   * {@link #MAX_KEPT_BYTES}. The caller must not use the function, or anything made from it that
   * reads it later, after this.
   */
  public void giveBack(Function function) {
    long bytes = function.dfg().arrayBytes() + function.layout().arrayBytes();
    kept = bytes <= MAX_KEPT_BYTES ? function : null;
  }
}
