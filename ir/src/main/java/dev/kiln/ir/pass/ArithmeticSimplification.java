package dev.kiln.ir.pass;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import java.util.EnumSet;
import java.util.Set;

/**
 * Scalar integer instructions whose result the constants among their operands already decide:
 * all operands constant ({@code 6 * 7} is {@code 42}), or one operand the operation's identity
 * ({@code x + 0}, {@code x * 1}, {@code x & -1}, a shift or rotation by a multiple of the width
 * is {@code x}) or its absorbing element ({@code x * 0}, {@code x & 0} is {@code 0}, {@code x | -1}
 * is {@code -1}), or both operands the same value ({@code x - x}, {@code x ^ x} is {@code 0},
 * {@code x & x}, {@code x | x} is {@code x}, {@code x < x} is {@code 0}). Each holds for every
 * operand under wasm's wrapping integer semantics (WebAssembly spec 4.3.2: {@code iadd}, {@code
 * imul}, {@code iand}, ...; shift and rotation counts taken modulo the width).
 *
 * <p>Wasm producers fold these themselves. They appear once Kiln's inliner gives a callee its
 * caller's constant arguments: compiler-rt's {@code __multi3}, called with zero high halves for a
 * 64x64-bit multiply, multiplies by 0 twice and adds the products (ed25519 lost 120 of its 807
 * multiplies). So the compile simplifies the instructions inlining copies ({@link #simplify}, from
 * {@code CallInliner}); as a pass over every instruction ({@code -Dkiln.irPasses=simplify,...}) it
 * cost 1.4% of a yosys compile for 0.02% of its code.
 *
 * <p>A constant result rewrites the instruction in place into an {@code iconst} (its result keeps
 * its number, so the uses that follow see a constant and fold in turn); a result that is one of the
 * operands becomes an alias of it. A division or remainder is folded only when it cannot trap:
 * the trap is the program's behaviour. Branches and traps on constants are {@link
 * ConstantFolding}'s, which changes the block graph; this pass leaves the blocks as they are, so it
 * costs no flow analysis.
 */
public final class ArithmeticSimplification extends InstructionRewrite {
  private static final Set<Opcode> OPCODES = EnumSet.of(Opcode.IADD, Opcode.ISUB, Opcode.IMUL,
      Opcode.SDIV, Opcode.UDIV, Opcode.SREM, Opcode.UREM, Opcode.BAND, Opcode.BOR, Opcode.BXOR,
      Opcode.ISHL, Opcode.SSHR, Opcode.USHR, Opcode.ROTL, Opcode.ROTR, Opcode.CLZ, Opcode.CTZ,
      Opcode.POPCNT, Opcode.EQZ, Opcode.ICMP, Opcode.SEXTEND, Opcode.UEXTEND, Opcode.IREDUCE,
      Opcode.EXTEND8_S, Opcode.EXTEND16_S, Opcode.EXTEND32_S);
  /** {@link #OPCODES} by ordinal. */
  private static final boolean[] SIMPLIFIED = new boolean[Opcode.values().length];

  static {
    for (Opcode op : OPCODES) {
      SIMPLIFIED[op.ordinal()] = true;
    }
  }

  /** The pass has no configuration. */
  public ArithmeticSimplification() {
    super(OPCODES);
  }

  @Override
  public String name() {
    return "simplify";
  }

  /**
   * The pass's rewrite of {@code inst}, whatever its opcode, without the pass's walk: for an
   * inliner, whose copies of a callee's instructions meet the caller's arguments (the only
   * instructions of a caller that inlining gives new constant operands).
   */
  public static void simplify(DataFlowGraph dfg, Layout layout, int inst) {
    if (SIMPLIFIED[dfg.opcode(inst).ordinal()]) {
      simplifyInstruction(dfg, layout, inst);
    }
  }

  @Override
  void rewrite(DataFlowGraph dfg, Layout layout, int inst) {
    simplifyInstruction(dfg, layout, inst);
  }

  private static void simplifyInstruction(DataFlowGraph dfg, Layout layout, int inst) {
    // Most instructions offered have no constant operand and two different ones: they are left
    // after reading each operand's definition once.
    int a = dfg.resolveAliases(dfg.arg(inst, 0));
    int aDef = ConstantFolding.constDef(dfg, a);
    if (dfg.argCount(inst) == 1) {
      if (aDef >= 0) {
        IntegerEval.foldInPlace(dfg, inst);
      }
      return;
    }
    int b = dfg.resolveAliases(dfg.arg(inst, 1));
    int bDef = ConstantFolding.constDef(dfg, b);
    if (aDef >= 0 && bDef >= 0) {
      IntegerEval.foldInPlace(dfg, inst);
      return;
    }
    Opcode op = dfg.opcode(inst);
    Type type = dfg.valueType(dfg.firstResult(inst));
    if (bDef >= 0) {
      simplifyWithConstant(dfg, layout, inst, op, type, a, widthValue(type, dfg.imm(bDef)), false);
    } else if (aDef >= 0) {
      simplifyWithConstant(dfg, layout, inst, op, type, b, widthValue(type, dfg.imm(aDef)), true);
    } else if (a == b) {
      switch (op) {
        // A value compared with itself compares as any value does with itself: as 0 with 0.
        case ICMP -> toConstant(dfg, inst, type, dfg.intCC(inst).evaluate(dfg.valueType(a), 0, 0) ? 1 : 0);
        case ISUB, BXOR -> toConstant(dfg, inst, type, 0);
        case BAND, BOR -> replace(dfg, layout, inst, a);
        default -> {}
      }
    }
  }

  /**
   * {@code inst}, {@code op} of {@code other} and constant {@code c} (the first operand when
   * {@code constantFirst}), rewritten if {@code c} decides its result.
   */
  private static void simplifyWithConstant(DataFlowGraph dfg, Layout layout, int inst, Opcode op,
      Type type, int other, long c, boolean constantFirst) {
    int bits = type == Type.I32 ? 32 : 64;
    switch (op) {
      case IADD, BOR, BXOR -> {
        if (c == 0) {
          replace(dfg, layout, inst, other);
        } else if (op == Opcode.BOR && c == -1) {
          toConstant(dfg, inst, type, -1);
        }
      }
      case ISUB -> {
        if (c == 0 && !constantFirst) {
          replace(dfg, layout, inst, other); // 0 - x is a negation, not x
        }
      }
      case IMUL, BAND -> {
        if (c == 0) {
          toConstant(dfg, inst, type, 0);
        } else if (c == (op == Opcode.IMUL ? 1 : -1)) {
          replace(dfg, layout, inst, other);
        }
      }
      case ISHL, SSHR, USHR, ROTL, ROTR -> {
        if (!constantFirst && (c & (bits - 1)) == 0) {
          replace(dfg, layout, inst, other); // shifted or rotated by k mod N = 0
        } else if (constantFirst && c == 0) {
          toConstant(dfg, inst, type, 0); // every bit of 0 shifted or rotated is 0
        }
      }
      default -> {}
    }
  }

  /** {@code bits} as {@code type}'s constants hold it: an i32 sign-extended. */
  private static long widthValue(Type type, long bits) {
    return type == Type.I32 ? (int) bits : bits;
  }

  private static void toConstant(DataFlowGraph dfg, int inst, Type type, long value) {
    dfg.replaceInst(inst, Opcode.ICONST, type, value, 0, new int[0], null);
  }
}
