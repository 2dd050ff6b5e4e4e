package dev.kiln.compiler.translate;

import dev.kiln.ir.Function;
import dev.kiln.ir.pass.ArithmeticSimplification;
import dev.kiln.ir.pass.DeadCodeElimination;
import dev.kiln.ir.pass.DivisionByConstant;
import dev.kiln.ir.pass.FunctionPass;
import dev.kiln.ir.pass.GlobalValueNumbering;
import dev.kiln.ir.pass.LoopLayout;
import dev.kiln.ir.pass.MultiplicationByConstant;
import dev.kiln.ir.pass.PassPipeline;
import dev.kiln.ir.pass.VmctxLoadHoisting;

/**
 * The IR passes that run on every translated function before the backend sees it ({@link
 * FuncTranslator#translate}, and {@link FuncTranslator#optimise} for the inliner): division by constants as
 * multiplications ({@link DivisionByConstant}), multiplication by constants next to a power of
 * two, theirs included, as shifts and adds ({@link MultiplicationByConstant}), VMContext loads out of loops, then value
 * numbering (which merges the hoisted copies, repeated memory-base and length loads and the
 * bounds checks they make redundant), then dead code, then each loop laid out in one piece
 * ({@link LoopLayout}). The translation emits one base load, one
 * length load and one bounds check per access; these passes are where the repetition goes
 * (docs/history/performance-journal.md, "Code quality: the three largest causes"). {@code
 * -Dkiln.irPasses=divconst,mulconst,hoist,gvn,dce,layout} (the
 * default; empty for none) chooses them for measurements, and a leading {@code simplify} adds
 * {@link ArithmeticSimplification} over every instruction: by default it runs only on the
 * instructions inlining copies ({@code CallInliner}), where constant operands appear that the
 * producer could not fold; as a pass it cost 1.4% of a yosys compile's samples for 0.02% of its
 * code. With {@code -Dkiln.verifyPasses=true} the IR verifier runs after each pass. Its own class
 * because choosing and configuring the pipeline is no part of translating a body.
 */
final class OptimisationPasses {
  private static final PassPipeline PIPELINE = new PassPipeline(
      java.util.Arrays.stream(System.getProperty("kiln.irPasses", "divconst,mulconst,hoist,gvn,dce,layout").split(","))
          .filter(name -> !name.isBlank())
          .map(OptimisationPasses::pass)
          .toList(),
      Boolean.getBoolean("kiln.verifyPasses"));

  private OptimisationPasses() {}

  /** Runs the pipeline over {@code f}. */
  static void run(Function f) {
    PIPELINE.run(f);
  }

  private static FunctionPass pass(String name) {
    return switch (name.strip()) {
      case "simplify" -> new ArithmeticSimplification();
      case "divconst" -> new DivisionByConstant();
      case "mulconst" -> new MultiplicationByConstant();
      case "hoist" -> new VmctxLoadHoisting();
      case "gvn" -> new GlobalValueNumbering();
      case "dce" -> new DeadCodeElimination();
      case "layout" -> new LoopLayout();
      default -> throw new IllegalArgumentException("kiln.irPasses: unknown pass " + name);
    };
  }
}
