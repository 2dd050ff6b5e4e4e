package dev.kiln.artifact.info;

import java.util.List;

/**
 * A constant expression (global initialiser, segment offset, element item) as its instruction
 * sequence without the final {@code end}. The loader evaluates it with a small stack machine;
 * {@link ModuleInfo} types it against what it initialises ({@link ConstExprChecker}).
 */
public record ConstExpr(List<ConstInstr> instructions) {
  public ConstExpr {
    instructions = List.copyOf(instructions);
    if (instructions.isEmpty()) {
      throw new IllegalArgumentException("a constant expression needs at least one instruction");
    }
  }

  public static ConstExpr of(ConstInstr... instructions) {
    return new ConstExpr(List.of(instructions));
  }

  public static ConstExpr i32(int value) {
    return of(new ConstInstr.I32Const(value));
  }

  public static ConstExpr i64(long value) {
    return of(new ConstInstr.I64Const(value));
  }
}
