package dev.kiln.ir.interp;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;

/**
 * Runs a function (constants, integer arithmetic with wasm semantics, comparisons, width changes,
 * float operators and conversions ({@link FloatEval}), select, traps, bounds checks, loads, stores,
 * direct calls, branches, return) directly on the IR. I32 values are held sign-extended in a long,
 * f32 values as their bits zero-extended, f64 values as their bits. Written independently of the
 * constant folder's evaluator (counts bit by bit, compares case by case) so that a test can compare
 * a function before and after a pass.
 *
 * <p>One instance runs one thread of calls: {@link #execute} may re-enter through {@link
 * Environment#call}, and every step of every nested call draws on the same fuel.
 */
public final class Interpreter {
  /** Memory and calls, as the code being interpreted sees them. */
  public interface Environment {
    /** The {@code width} bytes at {@code address}, little-endian, zero-extended. */
    long load(long address, int width);

    /** Stores the low {@code width} bytes of {@code value} at {@code address}, little-endian. */
    void store(long address, int width, long value);

    /** Calls {@code callee} with {@code args}; returns its results. */
    long[] call(ExternalName callee, long[] args);

    /**
     * Calls the code at {@code address} ({@code call_indirect}) with {@code args}; returns its
     * results. An environment without code addresses refuses.
     */
    default long[] callIndirect(long address, long[] args) {
      throw new IllegalStateException("indirect call of 0x" + Long.toHexString(address) + " in an environment without code");
    }
  }

  /** An environment for pure functions: any load, store or call is a test error. */
  public static final Environment NO_MEMORY = new Environment() {
    @Override
    public long load(long address, int width) {
      throw new IllegalStateException("load at 0x" + Long.toHexString(address) + " in a pure function");
    }

    @Override
    public void store(long address, int width, long value) {
      throw new IllegalStateException("store at 0x" + Long.toHexString(address) + " in a pure function");
    }

    @Override
    public long[] call(ExternalName callee, long[] args) {
      throw new IllegalStateException("call to " + callee + " in a pure function");
    }
  };

  /** A trap raised by the interpreted code. */
  public static final class Trap extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final TrapCode code;

    public Trap(TrapCode code) {
      super(code.text(), null, false, false);
      this.code = code;
    }

    public TrapCode code() {
      return code;
    }
  }

  private final Environment environment;
  private long fuel;

  public Interpreter(Environment environment) {
    this.environment = environment;
  }

  /** Runs the pure function {@code f} on {@code args}, giving up after {@code fuel} steps. */
  public static long[] run(Function f, long fuel, long... args) {
    Interpreter interpreter = new Interpreter(NO_MEMORY);
    interpreter.refuel(fuel);
    return interpreter.execute(f, args);
  }

  /** Sets the number of steps left for this and all nested runs. */
  public void refuel(long steps) {
    fuel = steps;
  }

  /**
   * Runs {@code f} on {@code args} (its block-0 parameters, vmctx ones included); returns its results.
   *
   * @throws Trap if the code traps
   * @throws IllegalStateException when the fuel runs out
   */
  public long[] execute(Function f, long[] args) {
    DataFlowGraph dfg = f.dfg();
    Layout layout = f.layout();
    long[] regs = new long[dfg.valueCount()];
    int block = layout.entryBlock();
    long[] incoming = args;
    while (true) {
      for (int p = 0; p < dfg.blockParamCount(block); p++) {
        regs[dfg.blockParam(block, p)] = incoming[p];
      }
      int next = -1;
      for (int inst = layout.firstInst(block); inst >= 0 && next < 0; inst = layout.nextInst(inst)) {
        if (--fuel < 0) {
          throw new IllegalStateException("out of fuel");
        }
        Opcode op = dfg.opcode(inst);
        long[] a = new long[dfg.argCount(inst)];
        for (int i = 0; i < a.length; i++) {
          a[i] = regs[dfg.resolveAliases(dfg.arg(inst, i))];
        }
        switch (op) {
          case RETURN -> {
            return a;
          }
          // the interpreter runs no code that throws: a call returns, so its edge is the normal one
          case JUMP, UNWIND_EDGE -> next = dfg.dest(inst, 0);
          case BRIF -> next = a[0] != 0 ? dfg.dest(inst, 0) : dfg.dest(inst, 1);
          case BR_TABLE -> {
            long index = a[0] & 0xFFFF_FFFFL;
            next = index + 1 < dfg.destCount(inst) ? dfg.dest(inst, (int) index + 1) : dfg.dest(inst, 0);
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
          case RETURN_CALL -> {
            // The Java stack grows with each tail call here; the fuel bounds the depth.
            return environment.call(dfg.extFunc(dfg.aux(inst)).name(), a);
          }
          case CALL, CALL_INDIRECT -> {
            long[] results = op == Opcode.CALL ? environment.call(dfg.extFunc(dfg.aux(inst)).name(), a)
                : environment.callIndirect(a[0], java.util.Arrays.copyOfRange(a, 1, a.length));
            int[] values = dfg.results(inst);
            for (int i = 0; i < values.length; i++) {
              regs[values[i]] = dfg.valueType(values[i]) == Type.I32 ? (int) results[i] : results[i];
            }
          }
          case STORE, ISTORE8, ISTORE16, ISTORE32 -> {
            requireScalar(dfg.valueType(dfg.arg(inst, 0)), op);
            int width = op.memWidthBytes() != 0 ? op.memWidthBytes() : dfg.valueType(dfg.arg(inst, 0)).bytes();
            environment.store(a[1] + dfg.imm(inst), width, a[0]);
          }
          case LOAD, ULOAD8, SLOAD8, ULOAD16, SLOAD16, ULOAD32, SLOAD32 -> {
            Type t = dfg.ctrlType(inst);
            requireScalar(t, op);
            int width = op.memWidthBytes() != 0 ? op.memWidthBytes() : t.bytes();
            long raw = environment.load(a[0] + dfg.imm(inst), width);
            if (op.signExtends()) {
              raw = raw << (64 - 8 * width) >> (64 - 8 * width);
            }
            regs[dfg.firstResult(inst)] = t == Type.I32 ? (int) raw : raw;
          }
          default -> {
            long r = compute(dfg, inst, op, a);
            int result = dfg.firstResult(inst);
            regs[result] = dfg.valueType(result) == Type.I32 ? (int) r : r;
          }
        }
      }
      if (next < 0) {
        throw new IllegalStateException("block" + block + " fell off its end");
      }
      int[] passed = dfg.blockCallArgs(next);
      incoming = new long[passed.length];
      for (int i = 0; i < passed.length; i++) {
        incoming[i] = regs[dfg.resolveAliases(passed[i])];
      }
      block = dfg.blockCallBlock(next);
    }
  }

  private static long compute(DataFlowGraph dfg, int inst, Opcode op, long[] a) {
    Type t = a.length > 0 ? dfg.valueType(dfg.arg(inst, 0)) : dfg.ctrlType(inst);
    int bits = t == Type.I32 ? 32 : 64;
    long mask = bits == 32 ? 0xFFFF_FFFFL : -1L;
    long x = a.length > 0 ? a[0] : 0;
    long y = a.length > 1 ? a[1] : 0;
    long ux = x & mask;
    long uy = y & mask;
    long min = bits == 32 ? Integer.MIN_VALUE : Long.MIN_VALUE;
    int shift = (int) (y & (bits - 1));
    return switch (op) {
      case ICONST, F32CONST, F64CONST -> dfg.imm(inst);
      case IADD -> x + y;
      case ISUB -> x - y;
      case IMUL -> x * y;
      case UMULHI -> Math.unsignedMultiplyHigh(x, y);
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
      default -> {
        if (!FloatEval.handles(op)) {
          throw new UnsupportedOperationException("interpreter lacks " + op.text());
        }
        yield FloatEval.compute(op, t, dfg.valueType(dfg.firstResult(inst)),
            op == Opcode.FCMP ? dfg.floatCC(inst) : null, x, y);
      }
    };
  }

  /** The interpreter computes with 64-bit registers: a v128 is out of its reach. */
  private static void requireScalar(Type t, Opcode op) {
    if (t == Type.V128) {
      throw new UnsupportedOperationException("interpreter lacks v128 " + op.text());
    }
  }

}
