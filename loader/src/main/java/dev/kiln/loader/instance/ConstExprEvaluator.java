package dev.kiln.loader.instance;

import dev.kiln.artifact.gc.ReferenceWord;
import dev.kiln.artifact.info.ConstExpr;
import dev.kiln.artifact.info.ConstInstr;
import java.util.function.IntToLongFunction;

/**
 * Evaluates constant expressions (WebAssembly 2.0 section 4.4.10 with the extended-const integer
 * operators) to the 64 bits a ValRaw slot or global slot holds: i32 and f32 zero-extended, i64 and
 * f64 as is, references as addresses (0 for null), a v128's low half; {@link #high} gives a v128's
 * high half. {@code ModuleInfo} already checked every index and that each expression leaves one
 * value, of the type of what it initialises (spec 3.3.10: so an offset allocates no object).
 */
final class ConstExprEvaluator {
  private final IntToLongFunction globalValue;
  private final IntToLongFunction globalHigh;
  private final IntToLongFunction funcRef;
  private final ObjectAllocator objects;

  /** Makes the objects of {@code struct.new} and {@code array.new} in a constant expression. */
  interface ObjectAllocator {
    /**
     * The new object's address.
     *
     * @param operands the instruction's operands in stack order (a v128's low half)
     * @param highs their high halves (0 but for a v128)
     */
    long allocate(ConstInstr.GcNew instruction, long[] operands, long[] highs);
  }

  /** An allocator for expressions that allocate nothing (offsets): ModuleInfo allows no object there. */
  static final ObjectAllocator NO_OBJECTS = (instruction, operands, highs) -> {
    throw new IllegalStateException(instruction + " outside a global's or element's initialiser");
  };

  /**
   * @param globalValue the current bits of global {@code i} (a v128's low half)
   * @param globalHigh the high half of global {@code i}, a v128
   * @param funcRef the VMFuncRef address of function {@code i}
   * @param objects where {@code struct.new} and {@code array.new} allocate
   */
  ConstExprEvaluator(IntToLongFunction globalValue, IntToLongFunction globalHigh,
      IntToLongFunction funcRef, ObjectAllocator objects) {
    this.globalValue = globalValue;
    this.globalHigh = globalHigh;
    this.funcRef = funcRef;
    this.objects = objects;
  }

  /**
   * Bits 64-127 of a v128 expression's value, 0 for any other type. No instruction computes with a
   * v128 in a constant expression (spec 3.3.10), so a v128 expression is one {@code v128.const} or
   * one {@code global.get}.
   */
  long high(ConstExpr expr) {
    // instanceof rather than a pattern switch with a default: no class spun at its first run
    // (TableInitPlan.constant says why).
    ConstInstr last = expr.instructions().getLast();
    if (last instanceof ConstInstr.V128Const c) {
      return c.high();
    }
    return last instanceof ConstInstr.GlobalGet g ? globalHigh.applyAsLong(g.globalIndex()) : 0;
  }

  long evaluate(ConstExpr expr) {
    long[] stack = new long[expr.instructions().size()];
    // high halves: only an allocation's v128 operands read them
    long[] highs = new long[stack.length];
    int depth = 0;
    for (ConstInstr instr : expr.instructions()) {
      switch (instr) {
        case ConstInstr.I32Const c -> stack[depth++] = Integer.toUnsignedLong(c.value());
        case ConstInstr.I64Const c -> stack[depth++] = c.value();
        case ConstInstr.F32Const c -> stack[depth++] = Integer.toUnsignedLong(c.bits());
        case ConstInstr.F64Const c -> stack[depth++] = c.bits();
        case ConstInstr.V128Const c -> {
          highs[depth] = c.high();
          stack[depth++] = c.low();
        }
        case ConstInstr.GlobalGet g -> {
          highs[depth] = globalHigh.applyAsLong(g.globalIndex());
          stack[depth++] = globalValue.applyAsLong(g.globalIndex());
        }
        case ConstInstr.GcNew g -> {
          depth -= g.operands();
          long object = objects.allocate(g, java.util.Arrays.copyOfRange(stack, depth, depth + g.operands()),
              java.util.Arrays.copyOfRange(highs, depth, depth + g.operands()));
          highs[depth] = 0;
          stack[depth++] = object;
        }
        case ConstInstr.RefNull r -> stack[depth++] = 0;
        case ConstInstr.RefFunc r -> stack[depth++] = funcRef.applyAsLong(r.functionIndex());
        case ConstInstr.RefI31 r -> stack[depth - 1] = ReferenceWord.i31((int) stack[depth - 1]);
        case ConstInstr.Binary b -> {
          long rhs = stack[--depth];
          long lhs = stack[--depth];
          highs[depth] = 0;
          stack[depth++] = apply(b.op(), lhs, rhs);
        }
      }
    }
    return stack[0];
  }

  /** i32 operators wrap modulo 2^32 and i64 modulo 2^64 (spec 4.3.2 iadd, isub, imul). */
  private static long apply(ConstInstr.Op op, long lhs, long rhs) {
    return switch (op) {
      case I32_ADD -> Integer.toUnsignedLong((int) lhs + (int) rhs);
      case I32_SUB -> Integer.toUnsignedLong((int) lhs - (int) rhs);
      case I32_MUL -> Integer.toUnsignedLong((int) lhs * (int) rhs);
      case I64_ADD -> lhs + rhs;
      case I64_SUB -> lhs - rhs;
      case I64_MUL -> lhs * rhs;
    };
  }
}
