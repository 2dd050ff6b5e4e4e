package dev.kiln.ir.pass;

import dev.kiln.deadline.CompileDeadline;
import dev.kiln.ir.Function;
import dev.kiln.ir.verify.Verifier;
import dev.kiln.ir.verify.VerifierException;
import java.util.List;

/**
 * Runs passes in order. With {@code verify} set, checks the function before the first pass and
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
    for (FunctionPass pass : passes) {
      CompileDeadline.poll();
      pass.run(f);
      if (verify) {
        try {
          Verifier.check(f);
        } catch (VerifierException e) {
          throw new IllegalStateException("pass '" + pass.name() + "' broke the IR: "
              + e.getMessage(), e);
        }
      }
    }
  }
}
