package dev.kiln.compiler.translate;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.Type;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.module.ConstExpr;
import dev.kiln.wasm.module.DataSegment;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.SegmentMode;
import java.util.Arrays;

/**
 * A test oracle that runs a module's translated IR as one instance: a simulated address space
 * holds the VMContext (laid out by {@link VmLayout}, as the loader will) and linear memory, so the
 * translator's vmctx loads, bounds checks, heap accesses, direct calls and the memory.grow builtin
 * are all exercised. Integer values only; I32 values are held sign-extended in a long. Modules
 * with imports are not instantiated (the tests skip them).
 */
final class ModuleInterpreter {
  /** A wasm trap raised while interpreting. */
  static final class Trap extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final TrapCode code;

    Trap(TrapCode code) {
      super(code.text());
      this.code = code;
    }
  }

  /** The callee was not translated (it uses an unsupported operator). */
  static final class Untranslated extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Untranslated(String message) {
      super(message);
    }
  }

  static final long VMCTX_ADDRESS = 0x10_0000_0000L;
  static final long HEAP_ADDRESS = 0x100_0000_0000L;
  /** Grow requests beyond this many pages fail (spec 4.4.7.9 lets memory.grow fail). */
  static final long MAX_PAGES = 1024;
  static final int MAX_DEPTH = 2000;
  private static final long PAGE = 65536;

  private final ModuleEnvironment env;
  private final Function[] functions;
  private final String[] failures;
  private final byte[] vmctx;
  private byte[] heap;
  private final long maxPages;
  private long fuel;
  private int depth;

  ModuleInterpreter(ModuleEnvironment env, Function[] functions, String[] failures) {
    this.env = env;
    this.functions = functions;
    this.failures = failures;
    Module m = env.module();
    if (!m.imports().isEmpty()) {
      throw new IllegalArgumentException("modules with imports are not instantiated");
    }
    VmLayout layout = env.layout();
    vmctx = new byte[layout.size()];
    if (!m.memories().isEmpty()) {
      long min = m.memories().getFirst().limits().min();
      maxPages = Math.min(MAX_PAGES, m.memories().getFirst().limits().max().orElse(MAX_PAGES));
      heap = new byte[Math.toIntExact(min * PAGE)];
      put(vmctx, layout.memoryBase(0), 8, HEAP_ADDRESS);
      put(vmctx, layout.memoryLength(0), 8, heap.length);
    } else {
      maxPages = 0;
    }
    for (int d = 0; d < m.globals().size(); d++) {
      put(vmctx, layout.definedGlobal(d), 8, constant(m.globals().get(d).init()));
    }
    for (DataSegment data : m.data()) {
      if (data.mode() instanceof SegmentMode.Active(int memory, ConstExpr offset)) {
        long at = constant(offset);
        if (memory != 0 || at < 0 || at + data.length() > heap.length) {
          throw new Trap(TrapCode.HEAP_OUT_OF_BOUNDS);
        }
        System.arraycopy(data.source(), data.start(), heap, (int) at, data.length());
      }
    }
    if (m.start().isPresent()) {
      invoke(m.start().getAsInt(), new long[0], 10_000_000);
    }
  }

  /** Value of a constant expression of the MVP/extended-const integer forms (global.get aside). */
  private long constant(ConstExpr expr) {
    InstructionReader r = new InstructionReader(expr.source(), expr.start(), expr.end());
    long value = 0;
    while (r.hasNext()) {
      switch (r.next()) {
        case I32_CONST -> value = r.i32();
        case I64_CONST -> value = r.i64();
        case F32_CONST -> value = r.f32Bits() & 0xFFFF_FFFFL;
        case F64_CONST -> value = r.f64Bits();
        case GLOBAL_GET -> value = get(vmctx, env.layout().definedGlobal(r.index()), 8);
        case END -> {}
        default -> value = 0; // references: not used by integer code
      }
    }
    return value;
  }

  /** Calls function {@code funcIndex} with wasm arguments; returns its results. */
  long[] invoke(int funcIndex, long[] args, long fuelLimit) {
    fuel = fuelLimit;
    depth = 0;
    long[] all = new long[args.length + 2];
    all[0] = VMCTX_ADDRESS;
    all[1] = VMCTX_ADDRESS;
    System.arraycopy(args, 0, all, 2, args.length);
    return call(funcIndex - env.importedFunctionCount(), all);
  }

  private long[] call(int definedIndex, long[] args) {
    Function f = functions[definedIndex];
    if (f == null) {
      throw new Untranslated(failures[definedIndex]);
    }
    if (++depth > MAX_DEPTH) {
      throw new Trap(TrapCode.STACK_OVERFLOW);
    }
    try {
      return run(f, args);
    } finally {
      depth--;
    }
  }

  private long[] run(Function f, long[] args) {
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
      for (int inst = layout.firstInst(block); inst >= 0 && next < 0;
          inst = layout.nextInst(inst)) {
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
          case CALL -> {
            long[] results = callExternal(dfg.extFunc(dfg.aux(inst)).name(), a);
            int[] values = dfg.results(inst);
            for (int i = 0; i < values.length; i++) {
              regs[values[i]] = results[i];
            }
          }
          case STORE, ISTORE8, ISTORE16, ISTORE32 -> {
            int width = op.memWidthBytes() != 0 ? op.memWidthBytes()
                : dfg.valueType(dfg.arg(inst, 0)).bytes();
            store(a[1] + dfg.imm(inst), width, a[0]);
          }
          case LOAD, ULOAD8, SLOAD8, ULOAD16, SLOAD16, ULOAD32, SLOAD32 -> {
            Type t = dfg.ctrlType(inst);
            int width = op.memWidthBytes() != 0 ? op.memWidthBytes() : t.bytes();
            long raw = load(a[0] + dfg.imm(inst), width);
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

  private long[] callExternal(ExternalName name, long[] args) {
    ExternalName.User user = (ExternalName.User) name;
    FuncKey key = new FuncKey(user.namespace(), user.index());
    switch (key.kind()) {
      case DEFINED_WASM_FUNCTION -> {
        return call(key.index(), args);
      }
      case WASM_TO_BUILTIN_TRAMPOLINE -> {
        if (Builtin.ofIndex(key.index()) != Builtin.MEMORY_GROW || args[2] != 0) {
          throw new IllegalStateException("unexpected builtin call " + key);
        }
        return new long[] {grow(args[3])};
      }
      default -> throw new IllegalStateException("unexpected callee " + key);
    }
  }

  private long grow(long deltaPages) {
    long old = heap.length / PAGE;
    if (Long.compareUnsigned(deltaPages, maxPages - old) > 0) {
      return -1;
    }
    heap = Arrays.copyOf(heap, Math.toIntExact((old + deltaPages) * PAGE));
    put(vmctx, env.layout().memoryLength(0), 8, heap.length);
    return old;
  }

  private long load(long address, int width) {
    if (inRange(address, width, VMCTX_ADDRESS, vmctx.length)) {
      return get(vmctx, (int) (address - VMCTX_ADDRESS), width);
    }
    if (heap != null && inRange(address, width, HEAP_ADDRESS, heap.length)) {
      return get(heap, (int) (address - HEAP_ADDRESS), width);
    }
    throw new IllegalStateException("wild load at 0x" + Long.toHexString(address));
  }

  private void store(long address, int width, long value) {
    if (inRange(address, width, VMCTX_ADDRESS, vmctx.length)) {
      put(vmctx, (int) (address - VMCTX_ADDRESS), width, value);
    } else if (heap != null && inRange(address, width, HEAP_ADDRESS, heap.length)) {
      put(heap, (int) (address - HEAP_ADDRESS), width, value);
    } else {
      throw new IllegalStateException("wild store at 0x" + Long.toHexString(address));
    }
  }

  private static boolean inRange(long address, int width, long start, long length) {
    return address >= start && address + width <= start + length;
  }

  private static long get(byte[] bytes, int at, int width) {
    long v = 0;
    for (int i = width - 1; i >= 0; i--) {
      v = v << 8 | (bytes[at + i] & 0xFF);
    }
    return v;
  }

  private static void put(byte[] bytes, int at, int width, long value) {
    for (int i = 0; i < width; i++) {
      bytes[at + i] = (byte) (value >>> (8 * i));
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
      case ICONST -> dfg.imm(inst);
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
        yield y == -1 ? 0 : x % y;
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
      case SSHR -> x >> shift;
      case USHR -> ux >>> shift;
      case ROTL -> shift == 0 ? x : (ux << shift | ux >>> (bits - shift));
      case ROTR -> shift == 0 ? x : (ux >>> shift | ux << (bits - shift));
      case CLZ -> bits == 32 ? Integer.numberOfLeadingZeros((int) x) : Long.numberOfLeadingZeros(x);
      case CTZ -> bits == 32 ? Integer.numberOfTrailingZeros((int) x)
          : Long.numberOfTrailingZeros(x);
      case POPCNT -> Long.bitCount(ux);
      case EQZ -> x == 0 ? 1 : 0;
      case ICMP -> dfg.intCC(inst).evaluate(t, x, y) ? 1 : 0;
      case SEXTEND, IREDUCE, EXTEND32_S -> (int) x;
      case UEXTEND -> ux;
      case EXTEND8_S -> (byte) x;
      case EXTEND16_S -> (short) x;
      case SELECT -> x != 0 ? a[1] : a[2];
      default -> throw new UnsupportedOperationException("interpreter lacks " + op.text());
    };
  }

  /** Translates every defined function; a slot stays null (with its reason) if unsupported. */
  static Function[] translateAll(ModuleEnvironment env, String[] failures) {
    Function[] out = new Function[env.definedFunctionCount()];
    for (int d = 0; d < out.length; d++) {
      try {
        out[d] = FuncTranslator.translate(env, d);
      } catch (UnsupportedFeatureException e) {
        failures[d] = e.getMessage();
      }
    }
    return out;
  }
}
