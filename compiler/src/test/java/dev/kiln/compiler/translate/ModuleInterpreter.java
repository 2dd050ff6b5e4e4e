package dev.kiln.compiler.translate;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.TrapCode;
import dev.kiln.ir.interp.Interpreter;
import dev.kiln.wasm.code.InstructionReader;
import dev.kiln.wasm.module.ConstExpr;
import dev.kiln.wasm.module.DataSegment;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.module.SegmentMode;
import java.util.Arrays;

/**
 * A test oracle that runs a module's translated IR as one instance on the IR's reference
 * {@link Interpreter}: this class is the instance around it, a simulated address space holding the
 * VMContext (laid out by {@link VmLayout}, as the loader will), the store context's memory account
 * and linear memory, so the translator's vmctx loads, bounds checks, heap accesses, direct calls
 * and the compiled memory.grow builtin ({@link MemoryGrowBuiltin}, interpreted too, its mprotect
 * simulated) are all exercised. Integer values only. Modules with imports are not instantiated (the tests skip
 * them). Traps surface as {@link Interpreter.Trap}.
 */
final class ModuleInterpreter implements Interpreter.Environment {
  /** The callee was not translated (it uses an unsupported operator). */
  static final class Untranslated extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Untranslated(String message) {
      super(message);
    }
  }

  static final long VMCTX_ADDRESS = 0x10_0000_0000L;
  static final long HEAP_ADDRESS = 0x100_0000_0000L;
  static final long STORE_CONTEXT_ADDRESS = 0x20_0000_0000L;
  /** Where the MEMORY_PROTECT slot points: the simulated mprotect. */
  static final long PROTECT_ADDRESS = 0x30_0000_0000L;
  /** Grow requests beyond this many pages fail (spec 4.4.7.9 lets memory.grow fail). */
  static final long MAX_PAGES = 1024;
  static final int MAX_DEPTH = 2000;
  private static final long PAGE = 65536;

  private final ModuleEnvironment env;
  private final Function[] functions;
  private final String[] failures;
  private final byte[] vmctx;
  private final byte[] storeContext = new byte[StoreLayout.SIZE];
  private final Function memoryGrow;
  private byte[] heap;
  private final long maxPages;
  private final Interpreter interpreter = new Interpreter(this);
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
    put(vmctx, VmLayout.STORE_CONTEXT, 8, STORE_CONTEXT_ADDRESS);
    put(storeContext, StoreLayout.MEMORY_BYTES_LIMIT, 8, -1L);
    if (!m.memories().isEmpty()) {
      long min = m.memories().getFirst().limits().min();
      maxPages = Math.min(MAX_PAGES, m.memories().getFirst().limits().max().orElse(MAX_PAGES));
      heap = new byte[Math.toIntExact(min * PAGE)];
      put(vmctx, layout.memoryBase(0), 8, HEAP_ADDRESS);
      put(vmctx, layout.memoryLength(0), 8, heap.length);
      put(vmctx, layout.memoryMaxLength(0), 8, maxPages * PAGE);
      put(vmctx, layout.builtin(Builtin.MEMORY_PROTECT), 8, PROTECT_ADDRESS);
      put(storeContext, StoreLayout.MEMORY_BYTES_USED, 8, heap.length);
      memoryGrow = MemoryGrowBuiltin.build(layout);
    } else {
      maxPages = 0;
      memoryGrow = null;
    }
    for (int d = 0; d < m.globals().size(); d++) {
      put(vmctx, layout.definedGlobal(d), 8, constant(m.globals().get(d).init()));
    }
    for (DataSegment data : m.data()) {
      if (data.mode() instanceof SegmentMode.Active(int memory, ConstExpr offset)) {
        long at = constant(offset);
        if (memory != 0 || at < 0 || at + data.length() > heap.length) {
          throw new Interpreter.Trap(TrapCode.HEAP_OUT_OF_BOUNDS);
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
    interpreter.refuel(fuelLimit);
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
      throw new Interpreter.Trap(TrapCode.STACK_OVERFLOW);
    }
    try {
      return interpreter.execute(f, args);
    } finally {
      depth--;
    }
  }

  @Override
  public long[] call(ExternalName name, long[] args) {
    ExternalName.User user = (ExternalName.User) name;
    FuncKey key = new FuncKey(user.namespace(), user.index());
    switch (key.kind()) {
      case DEFINED_WASM_FUNCTION -> {
        return call(key.index(), args);
      }
      case BUILTIN -> {
        if (Builtin.ofIndex(key.index()) != Builtin.MEMORY_GROW || memoryGrow == null
            || args[2] != VMCTX_ADDRESS + env.layout().memoryBase(0)) {
          throw new IllegalStateException("unexpected builtin call " + key);
        }
        return interpreter.execute(memoryGrow, args);
      }
      default -> throw new IllegalStateException("unexpected callee " + key);
    }
  }

  /** The MEMORY_PROTECT slot's target, as the builtin calls it: commits pages at the heap's end. */
  @Override
  public long[] callIndirect(long address, long[] args) {
    if (address != PROTECT_ADDRESS || args[0] != HEAP_ADDRESS + heap.length || args[1] % PAGE != 0
        || args[2] != Builtin.PROTECT_READ_WRITE) {
      throw new IllegalStateException("unexpected indirect call of 0x" + Long.toHexString(address)
          + " " + Arrays.toString(args));
    }
    heap = Arrays.copyOf(heap, Math.toIntExact(heap.length + args[1]));
    return new long[] {0};
  }

  @Override
  public long load(long address, int width) {
    if (inRange(address, width, VMCTX_ADDRESS, vmctx.length)) {
      return get(vmctx, (int) (address - VMCTX_ADDRESS), width);
    }
    if (heap != null && inRange(address, width, HEAP_ADDRESS, heap.length)) {
      return get(heap, (int) (address - HEAP_ADDRESS), width);
    }
    if (inRange(address, width, STORE_CONTEXT_ADDRESS, storeContext.length)) {
      return get(storeContext, (int) (address - STORE_CONTEXT_ADDRESS), width);
    }
    throw new IllegalStateException("wild load at 0x" + Long.toHexString(address));
  }

  @Override
  public void store(long address, int width, long value) {
    if (inRange(address, width, VMCTX_ADDRESS, vmctx.length)) {
      put(vmctx, (int) (address - VMCTX_ADDRESS), width, value);
    } else if (heap != null && inRange(address, width, HEAP_ADDRESS, heap.length)) {
      put(heap, (int) (address - HEAP_ADDRESS), width, value);
    } else if (inRange(address, width, STORE_CONTEXT_ADDRESS, storeContext.length)) {
      put(storeContext, (int) (address - STORE_CONTEXT_ADDRESS), width, value);
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

  /** Translates every defined function; a slot stays null (with its reason) if unsupported. */
  static Function[] translateAll(ModuleEnvironment env, String[] failures) {
    Function[] out = new Function[env.definedFunctionCount()];
    for (int d = 0; d < out.length; d++) {
      dev.kiln.wasm.module.FunctionBody body = env.module().code().get(d);
      String tables = tableOperator(body);
      if (tables != null) {
        // This interpreter models memory 0 and globals only; table code runs end to end instead.
        failures[d] = tables + " (tables are not modelled by this interpreter) at 0x"
            + Integer.toHexString(body.bodyStart());
        continue;
      }
      try {
        out[d] = FuncTranslator.translate(env, d);
      } catch (UnsupportedFeatureException e) {
        failures[d] = e.getMessage();
      }
    }
    return out;
  }

  /** The first table operator in {@code body} (call_indirect, table.*, elem.drop), or null. */
  private static String tableOperator(dev.kiln.wasm.module.FunctionBody body) {
    InstructionReader r = new InstructionReader(body.source(), body.codeStart(), body.codeEnd());
    while (r.hasNext()) {
      switch (r.next()) {
        case CALL_INDIRECT, RETURN_CALL_INDIRECT, TABLE_GET, TABLE_SET, TABLE_SIZE, TABLE_GROW, TABLE_FILL,
            TABLE_COPY, TABLE_INIT, ELEM_DROP -> {
          return r.opcode().mnemonic();
        }
        default -> {}
      }
    }
    return null;
  }
}
