package dev.kiln.ir;

import dev.kiln.ir.analysis.NaturalLoops;
import java.util.Objects;

/**
 * One function in SSA form: its name, its signature, the {@link DataFlowGraph} of values and
 * instructions, and the {@link Layout} placing them. The entry block's parameters are the
 * signature's parameters; {@code return} operands are its results ({@code dev.kiln.ir.verify}
 * checks both).
 */
public final class Function {
  private ExternalName name;
  private Signature signature;
  private final DataFlowGraph dfg;
  private final Layout layout;
  /** {@link #loopsFromPasses}, or null. */
  private NaturalLoops loopsFromPasses;

  public Function(ExternalName name, Signature signature) {
    this(name, signature, new DataFlowGraph(), new Layout());
  }

  /** A function on {@code emptyGraph} and {@code emptyLayout} (a compile worker's, {@link ReusedGraph}). */
  Function(ExternalName name, Signature signature, DataFlowGraph emptyGraph, Layout emptyLayout) {
    if (emptyGraph.instCount() != 0 || emptyGraph.valueCount() != 0 || emptyGraph.blockCount() != 0) {
      throw new IllegalArgumentException("the graph of a new function must be empty");
    }
    if (emptyLayout.firstBlock() >= 0) {
      throw new IllegalArgumentException("the layout of a new function must be empty");
    }
    this.name = Objects.requireNonNull(name, "name");
    this.signature = Objects.requireNonNull(signature, "signature");
    this.dfg = emptyGraph;
    this.layout = emptyLayout;
  }

  public ExternalName name() {
    return name;
  }

  public void setName(ExternalName name) {
    this.name = Objects.requireNonNull(name, "name");
  }

  public Signature signature() {
    return signature;
  }

  public void setSignature(Signature signature) {
    this.signature = Objects.requireNonNull(signature, "signature");
  }

  public DataFlowGraph dfg() {
    return dfg;
  }

  public Layout layout() {
    return layout;
  }

  /**
   * The natural loops of this function's blocks as the pass pipeline left them ({@link
   * dev.kiln.ir.pass.PassPipeline}, whose hoisting and layout passes needed them), or null where it
   * did not find them: for the backend, whose lowering hands them to the register allocator with
   * the critical edges it splits placed (the allocator found the same loops again, with a dominator
   * tree of its own). Whatever changes the blocks or their edges after the pipeline drops them
   * ({@link #keepLoopsFromPasses}(null)); the pipeline's passes are the last to change them.
   */
  public NaturalLoops loopsFromPasses() {
    return loopsFromPasses;
  }

  /** Keeps {@code loops} (null for none) as the loops of this function's blocks as they are now. */
  public void keepLoopsFromPasses(NaturalLoops loops) {
    loopsFromPasses = loops;
  }

  /**
   * The instruction that code appended to the end of the complete block {@code block} goes before:
   * its terminator, or the call an {@code unwind_edge} terminator belongs to. A call and its
   * exceptional edge are one exit of the block: an instruction between them would run only on the
   * normal path (yet count as dominating the landing pad), and would part the call from its edge,
   * so the call's handler would be lost (red team 9 F1).
   */
  public int exitInsertionPoint(int block) {
    int terminator = layout.lastInst(block);
    if (dfg.opcode(terminator) == Opcode.UNWIND_EDGE) {
      return layout.prevInst(terminator);
    }
    return terminator;
  }

  @Override
  public String toString() {
    return dev.kiln.ir.text.Printer.print(this);
  }
}
