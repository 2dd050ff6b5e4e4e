package dev.kiln.ir.builder;

import dev.kiln.ir.Function;
import java.util.List;

/** The builder's sample functions, for tests in other packages. */
public final class FunctionBuilderTestAccess {
  private FunctionBuilderTestAccess() {}

  public static List<Function> samples() {
    return List.of(FunctionBuilderGoldenTest.whileLoop(), FunctionBuilderGoldenTest.diamond(),
        FunctionBuilderGoldenTest.nestedLoopsSealedLate(),
        FunctionBuilderGoldenTest.switchWithBlockResult());
  }
}
