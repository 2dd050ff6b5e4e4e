package dev.kiln.ir.pass;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.ir.Function;
import dev.kiln.ir.analysis.FlowAnalyses;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.ir.verify.VerifierException;
import java.util.List;

/**
 * Runs passes in order, handing each the {@link FlowAnalyses} its predecessors kept, and leaves no
 * operand naming an alias and the function's loops, where the passes found them, with the function
 * ({@link Function#loopsFromPasses}). With {@code verify} set, checks the function before the first pass and
 * after each pass, and names the pass that broke it.
 */
public record PassPipeline(List<FunctionPass> passes, boolean verify) {
  public PassPipeline {
    passes = List.copyOf(passes);
  }

  public void run(Function f) {
    if (verify) {
      Verifier.check(f);
    }
    // One set of analyses for the whole run: each pass says when it changed the block graph.
    FlowAnalyses analyses = new FlowAnalyses(f);
    for (FunctionPass pass : passes) {
      CompileDeadline.poll();
      pass.run(f, analyses);
      analyses.passEnded();
      if (verify) {
        try {
          Verifier.check(f);
        } catch (VerifierException e) {
          throw new IllegalStateException("pass '" + pass.name() + "' broke the IR: "
              + e.getMessage(), e);
        }
      }
    }
    // The backend reads operands as they are. Translation, inlining and the rewriting passes leave
    // the aliases they make for value numbering, which resolves them as it walks; without it in the
    // pipeline (or with a later pass making aliases), this walks the instructions once.
    f.dfg().resolveAllAliases();
    // The loops the loop passes found describe the blocks the backend lowers: its register allocator
    // takes them instead of finding them again (Function#loopsFromPasses).
    f.keepLoopsFromPasses(analyses.keptLoops());
  }
}
