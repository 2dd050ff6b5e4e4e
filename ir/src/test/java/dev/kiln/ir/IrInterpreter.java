package dev.kiln.ir;

import java.util.HashMap;
import java.util.Map;

/**
 * A test oracle: runs a function's integer subset (constants, integer arithmetic with wasm
 * semantics, comparisons, width changes, select, traps, branches, return) directly on the IR.
 * Written independently of the passes' evaluator so a test can compare a function before and after
 * a pass. I32 values are held sign-extended in a long.
 */
public final class IrInterpreter {
  /** A trap raised while interpreting. */
  public static final class Trap extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final TrapCode code;

    Trap(TrapCode code) {
      super(code.text());
      this.code = code;
    }

    public TrapCode code() {
      return code;
    }
  }

  private IrInterpreter() {}

  /** Runs {@code f} on {@code args}; returns its results; gives up after {@code fuel} steps. */
  public static long[] run(Function f, long fuel, long... args) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    Map<Integer, Long> env = new HashMap<>();
    int block = layout.entryBlock();
    long[] incoming = args;
    while (true) {
      for (int p = 0; p < dfg.blockParamCount(block); p++) {
        env.put(dfg.blockParam(block, p), incoming[p]);
      }
      int next = -1;
      for (int inst = layout.firstInst(block); inst >= 0; inst = layout.nextInst(inst)) {
        if (--fuel < 0) {
          throw new IllegalStateException("out of fuel");
        }
        Opcode op = dfg.opcode(inst);
        long[] a = new long[dfg.argCount(inst)];
        for (int i = 0; i < a.length; i++) {
          a[i] = env.get(dfg.resolveAliases(dfg.arg(inst, i)));
        }
        switch (op) {
          case RETURN -> {
            return a;
          }
          case JUMP -> next = dfg.dest(inst, 0);
          case BRIF -> next = a[0] != 0 ? dfg.dest(inst, 0) : dfg.dest(inst, 1);
          case BR_TABLE -> {
            long index = a[0] & 0xFFFF_FFFFL;
            next = index + 1 < dfg.destCount(inst) ? dfg.dest(inst, (int) index + 1)
                : dfg.dest(inst, 0);
          }
          case TRAP -> throw new Trap(dfg.trapCode(inst));
          case TRAPZ -> {
            if (a[0] == 0) {
              throw new Trap(dfg.trapCode(inst));
            }
          }
          case TRAPNZ -> {
            if (a[0] != 0) {
              throw new Trap(dfg.trapCode(inst));
            }
          }
          case BOUNDS_CHECK -> {
            long end = a[0] + dfg.imm(inst);
            if (Long.compareUnsigned(end, a[0]) < 0 || Long.compareUnsigned(end, a[1]) > 0) {
              throw new Trap(dfg.trapCode(inst));
            }
          }
          default -> {
            long r = compute(dfg, inst, op, a);
            Type t = dfg.valueType(dfg.firstResult(inst));
            env.put(dfg.firstResult(inst), t == Type.I32 ? (int) r : r);
          }
        }
        if (next >= 0) {
          break;
        }
      }
      int[] passed = dfg.blockCallArgs(next);
      incoming = new long[passed.length];
      for (int i = 0; i < passed.length; i++) {
        incoming[i] = env.get(dfg.resolveAliases(passed[i]));
      }
      block = dfg.blockCallBlock(next);
    }
  }

  private static long compute(DataFlowGraph dfg, int inst, Opcode op, long[] a) {
    Type t = a.length > 0 ? dfg.valueType(dfg.arg(inst, 0)) : dfg.ctrlType(inst);
    int bits = t == null ? 64 : t.bits();
    long mask = bits == 32 ? 0xFFFF_FFFFL : -1L;
    long x = a.length > 0 ? a[0] : 0;
    long y = a.length > 1 ? a[1] : 0;
    long ux = x & mask;
    long uy = y & mask;
    long min = bits == 32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
    int shift = (int) (y & (bits - 1));
    return switch (op) {
      case ICONST, F64CONST -> dfg.imm(inst);
      case F32CONST -> dfg.imm(inst);
      case IADD -> x + y;
      case ISUB -> x - y;
      case IMUL -> x * y;
      case SDIV -> {
        if (y == 0) {
          throw new Trap(TrapCode.INTEGER_DIVISION_BY_ZERO);
        }
        if (x == min && y == -1) {
          throw new Trap(TrapCode.INTEGER_OVERFLOW);
        }
        yield x / y;
      }
      case SREM -> {
        if (y == 0) {
          throw new Trap(TrapCode.INTEGER_DIVISION_BY_ZERO);
        }
        yield x == min && y == -1 ? 0 : x % y;
      }
      case UDIV -> {
        if (uy == 0) {
          throw new Trap(TrapCode.INTEGER_DIVISION_BY_ZERO);
        }
        yield Long.divideUnsigned(ux, uy);
      }
      case UREM -> {
        if (uy == 0) {
          throw new Trap(TrapCode.INTEGER_DIVISION_BY_ZERO);
        }
        yield Long.remainderUnsigned(ux, uy);
      }
      case BAND -> x & y;
      case BOR -> x | y;
      case BXOR -> x ^ y;
      case ISHL -> x << shift;
      case SSHR -> x >> shift; // x is sign-extended, so this is right for i32 too
      case USHR -> ux >>> shift;
      case ROTL -> shift == 0 ? x : (ux << shift | ux >>> (bits - shift));
      case ROTR -> shift == 0 ? x : (ux >>> shift | ux << (bits - shift));
      case CLZ -> {
        int n = 0;
        for (int i = bits - 1; i >= 0 && ((ux >>> i) & 1) == 0; i--) {
          n++;
        }
        yield n;
      }
      case CTZ -> {
        int n = 0;
        for (int i = 0; i < bits && ((ux >>> i) & 1) == 0; i++) {
          n++;
        }
        yield n;
      }
      case POPCNT -> {
        int n = 0;
        for (int i = 0; i < bits; i++) {
          n += (int) ((ux >>> i) & 1);
        }
        yield n;
      }
      case EQZ -> x == 0 ? 1 : 0;
      case ICMP -> switch (dfg.intCC(inst)) {
        case EQ -> x == y ? 1 : 0;
        case NE -> x != y ? 1 : 0;
        case SLT -> x < y ? 1 : 0;
        case SLE -> x <= y ? 1 : 0;
        case SGT -> x > y ? 1 : 0;
        case SGE -> x >= y ? 1 : 0;
        case ULT -> Long.compareUnsigned(ux, uy) < 0 ? 1 : 0;
        case ULE -> Long.compareUnsigned(ux, uy) <= 0 ? 1 : 0;
        case UGT -> Long.compareUnsigned(ux, uy) > 0 ? 1 : 0;
        case UGE -> Long.compareUnsigned(ux, uy) >= 0 ? 1 : 0;
      };
      case SEXTEND, IREDUCE, EXTEND32_S -> (int) x;
      case UEXTEND -> ux;
      case EXTEND8_S -> (byte) x;
      case EXTEND16_S -> (short) x;
      case SELECT -> x != 0 ? a[1] : a[2];
      default -> throw new UnsupportedOperationException("interpreter lacks " + op.text());
    };
  }
}
