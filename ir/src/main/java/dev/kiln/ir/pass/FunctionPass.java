package dev.kiln.ir.pass;

import dev.kiln.ir.Function;
import dev.kiln.ir.analysis.FlowAnalyses;

/** One transformation of a function in place. */
public interface FunctionPass {
  /** A short name for logs and error messages, e.g. {@code "fold"}. */
  String name();

  /** Transforms {@code f}; must leave it verifiable if it was. */
  default void run(Function f) {
    run(f, new FlowAnalyses(f));
  }

  /**
   * Transforms {@code f}, reading its control-flow graph and dominator tree from {@code analyses},
   * which describe {@code f} as it is on entry (a {@link PassPipeline} hands the same one to every
   * pass); a pass that changes the blocks, their edges or their layout order calls {@link
   * FlowAnalyses#invalidate} before it returns.
   */
  void run(Function f, FlowAnalyses analyses);
}
