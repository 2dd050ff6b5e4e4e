package dev.kiln.loader.host;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.PreciseTypes;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.HostContextLayout;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.runtime.ValRaw;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.loader.sys.NativeHeap;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * A function written in Java that wasm code can import (docs/ARCHITECTURE.md section 4, "Array
 * calling convention"). It owns two native blocks: a {@link HostContextLayout} block (the store
 * context, the address compiled code calls, and this function's id) that serves as the callee
 * vmctx, and a VMFuncRef naming it. Both are Kiln's alone (compiled code reads them, and Java only
 * under the store's claim: calls through {@link FunctionInstance}, import binding), so they are one
 * block of C heap ({@code loader.sys.NativeHeap}), freed under the claim without the handshake a
 * shared arena's close would cost (docs/ARCHITECTURE.md section 4, "Native memory and its frees").
 * Compiled code reaches Java through the importing module's WASM_TO_ARRAY trampoline: the
 * trampoline puts the arguments in ValRaws and calls {@code array_call}, the executor's one entry for every store ({@link HostCalls}); it finds this function by
 * the id in the block, and {@link #dispatch} reads the arguments, runs the {@link Callback} and
 * writes the results back.
 *
 * <p>A failing callback is recorded in the store by {@link HostCalls} and the upcall returns {@code
 * false}: the trampoline then traps with {@code HOST_FUNCTION_FAILED}, and the entry that unwinds
 * throws a {@link dev.kiln.loader.runtime.TrapException} whose cause is the exception (or the nested entry's
 * own trap, when the callback's call back into wasm trapped). The host never unwinds wasm frames
 * itself. Every reference result passes {@link NativeStore#checkReference} against the
 * result's precise type, since the calling code trusts it (it may call through a funcref).
 *
 * <p>The function lives in its store ({@link Lifetime}): {@link #close()} closes the handle, and the
 * blocks are freed once no instance imports the function, or when the store closes. Until then it
 * counts against the store's {@code StoreLimits.maxHostFunctions}.
 */
public final class HostFunction {
  /** All of memory, to read the ValRaws at the address the trampoline passes. */
  private static final MemorySegment ALL_MEMORY = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

  /** The Java body of a host function that needs only its arguments. */
  @FunctionalInterface
  public interface Callback {
    /**
     * Runs the function.
     *
     * @param args one value per parameter, typed as the function's type says
     * @return one value per result, of the result types
     * @throws Exception anything: it becomes a trap of the calling wasm code
     */
    List<WasmValue> call(List<WasmValue> args) throws Exception;
  }

  /** The Java body of a host function that looks at the calling instance (e.g. its memory). */
  @FunctionalInterface
  public interface CallerCallback {
    /**
     * Runs the function.
     *
     * @param caller the calling instance; {@link CallingInstance#NONE} for a call from Java
     * @param args one value per parameter, typed as the function's type says
     * @return one value per result, of the result types
     * @throws Exception anything: it becomes a trap of the calling wasm code
     */
    List<WasmValue> call(CallingInstance caller, List<WasmValue> args) throws Exception;
  }

  /**
   * The Java body of a host function of numbers only: i32, i64, f32 and f64 parameters, and no
   * result or one (the shape of every WASI preview1 function and of the public API's typed host
   * functions). It takes its arguments as the raw words of their ValRaw slots and returns its result
   * as one, not as {@link WasmValue}s: a call from wasm then allocates no value objects and checks no
   * result list, which in a JVM that still interprets the call path is most of a host call's cost,
   * and a fifth of a compiled one (docs/history/performance-journal.md, "Host calls before the
   * JIT").
   */
  @FunctionalInterface
  public interface WordCallback {
    /**
     * Runs the function.
     *
     * @param caller the calling instance; {@link CallingInstance#NONE} for a call from Java
     * @param args one word per parameter, its bits: an i64 as it is, an f64's {@link
     *     Double#doubleToRawLongBits}, an i32 or an f32's {@link Float#floatToRawIntBits} in the low
     *     32 bits
     * @return the result's bits in the same form (of a 32-bit type only the low 32 bits count);
     *     ignored when the type has no result
     * @throws Exception anything: it becomes a trap of the calling wasm code
     */
    long call(CallingInstance caller, long[] args) throws Exception;
  }

  /** What a call from wasm runs: reads the arguments from the ValRaw slots, writes the results over them. */
  @FunctionalInterface
  private interface WasmEntry {
    void call(long callerVmctx, long values) throws Exception;
  }

  /** Where the VMFuncRef starts in {@link #block}: after the context, 16-byte aligned as an arena would place it. */
  private static final long FUNC_REF_OFFSET = (HostContextLayout.ALLOCATION_SIZE + 15) & ~15L;

  private final FuncType type;
  /** {@link #referenceParams()}. */
  private final int[] referenceParams;
  /** The body as calls from Java see it. */
  private final CallerCallback callback;
  /**
   * The body as calls from wasm run it, chosen once by the kind of body: a plain {@link Callback}
   * is called without a {@link CallingInstance} or an adapting lambda, which measured 10-20 ns of a ~55 ns
   * round trip; a {@link WordCallback} without values.
   */
  private final WasmEntry fromWasm;
  private final NativeStore store;
  /** The context block, then the VMFuncRef at {@link #FUNC_REF_OFFSET}: C heap, freed by {@link #free}. */
  private final MemorySegment block;
  private final HostCalls calls;
  private final int id;
  private final MemorySegment funcRef;
  private final Lifetime lifetime;
  private final FunctionInstance function;
  /** How many steps of {@link #free} have run. */
  private int freeSteps;

  private HostFunction(NativeStore store, Signature signature, CallerCallback callback, Callback plain,
      WordCallback words, Target target) {
    this.store = store;
    this.type = signature.type;
    // first: a type naming a defined type is refused before anything is counted or allocated
    int typeId = signature.typeId(store);
    this.referenceParams = signature.referenceParams;
    this.callback = callback;
    this.calls = HostCalls.of(store);
    this.fromWasm = words != null ? wordEntry(words)
        : plain != null ? (callerVmctx, values) -> writeResults(plain.call(readValues(type.params(), values)), values)
        : (callerVmctx, values) -> writeResults(
            callback.call(calls.caller(callerVmctx), readValues(type.params(), values)), values);
    MemorySegment arrayCall = calls.entry(target);
    // Begun only with room to undo: the count, the block and the id are given back by the handler
    // below, whose calls an overflow could skip as well as it could the adoption (red team 24 F4's
    // shape: a host function made near a stack's end kept its count and its C-heap block).
    dev.kiln.loader.sys.ThreadStack.requireRoom(dev.kiln.loader.sys.ThreadStack.STEP, "making a host function");
    // Counted before anything is allocated, until freed: a store keeps a host function until its
    // handle is closed and no instance imports it, so a linker per request would grow it for ever.
    String what = signature.what;
    store.resources().add(StoreResources.Kind.HOST_FUNCTION, what);
    // The block and the id inside the handler too: an OutOfMemoryError at either (the C heap, the
    // id table's growth) gave back neither the count nor the block (issue 35).
    MemorySegment allocated = null;
    int registered = -1;
    try {
      allocated = NativeHeap.allocate(FUNC_REF_OFFSET + VmLayout.FUNC_REF_SIZE);
      registered = calls.register(this);
      this.lifetime = store.adopt(what, this::free, false);
    } catch (RuntimeException | Error e) {
      if (registered >= 0) {
        calls.unregister(registered);
      }
      if (allocated != null) {
        NativeHeap.free(allocated);
      }
      store.resources().remove(StoreResources.Kind.HOST_FUNCTION);
      throw e;
    }
    this.block = allocated;
    this.id = registered;
    MemorySegment context = block.asSlice(0, HostContextLayout.ALLOCATION_SIZE);
    context.set(JAVA_LONG, HostContextLayout.STORE_CONTEXT, store.context().address());
    context.set(JAVA_LONG, HostContextLayout.ARRAY_CALL, arrayCall.address());
    context.set(JAVA_INT, HostContextLayout.HOST_FUNCTION_ID, id);
    this.funcRef = block.asSlice(FUNC_REF_OFFSET, VmLayout.FUNC_REF_SIZE);
    funcRef.set(JAVA_LONG, VmLayout.FUNC_REF_ARRAY_CALL, arrayCall.address());
    funcRef.set(JAVA_LONG, VmLayout.FUNC_REF_WASM_CALL, 0L);
    funcRef.set(JAVA_INT, VmLayout.FUNC_REF_TYPE_ID, typeId);
    funcRef.set(JAVA_LONG, VmLayout.FUNC_REF_VMCTX, context.address());
    store.registerFunctionReferences(funcRef.address(), 1, lifetime);
    this.function = new FunctionInstance(funcRef, type, typeId, lifetime, this::callDirectly, target);
  }

  /**
   * A host function type made ready once for the host functions of many stores (issue 41: a store
   * per request makes the same WASI functions every time): its precise type and representation,
   * its reference parameters, the name its functions go by in a store, whether it takes a {@link
   * WordCallback}, and its type id in the engine that last asked (ids never change in an engine).
   */
  public static final class Signature {
    private final dev.kiln.wasm.types.FuncType precise;
    private final FuncType type;
    private final int[] referenceParams;
    private final String what;
    private final boolean numbersOnly;
    private volatile TypeIdIn last;

    private record TypeIdIn(dev.kiln.loader.runtime.RuntimeTypes types, int id) {}

    private Signature(dev.kiln.wasm.types.FuncType precise) {
      this.precise = precise;
      this.type = PreciseTypes.representation(precise);
      List<ValType> params = type.params();
      int count = 0;
      boolean numbers = type.results().size() <= 1;
      for (ValType p : params) {
        count += p == ValType.FUNCREF || p == ValType.EXTERNREF ? 1 : 0;
        numbers &= isNumber(p);
      }
      for (ValType r : type.results()) {
        numbers &= isNumber(r);
      }
      this.referenceParams = new int[count];
      for (int i = 0, n = 0; n < count; i++) {
        if (params.get(i) == ValType.FUNCREF || params.get(i) == ValType.EXTERNREF) {
          referenceParams[n++] = i;
        }
      }
      this.what = "host function " + type;
      this.numbersOnly = numbers;
    }

    /** {@code type}, with references of WebAssembly 2.0's nullable tops. */
    public static Signature of(FuncType type) {
      return new Signature(PreciseTypes.plainType(Objects.requireNonNull(type, "type")));
    }

    /** The representation the functions' calls see. */
    public FuncType type() {
      return type;
    }

    /**
     * The type's id in {@code store}'s engine.
     *
     * @throws IllegalArgumentException if a reference type names a defined type
     */
    int typeId(NativeStore store) {
      TypeIdIn known = last;
      if (known != null && known.types() == store.types()) {
        return known.id();
      }
      int id = store.typeId(precise);
      last = new TypeIdIn(store.types(), id);
      return id;
    }
  }

  /**
   * A host function of {@code type} in {@code store}, callable from code of the host's own
   * instruction set; it lives until {@link #close()} and its last importer, or the store, is gone.
   */
  public static HostFunction create(NativeStore store, FuncType type, Callback callback) {
    return create(store, type, callback, hostTarget());
  }

  /** As {@link #create(NativeStore, FuncType, Callback)}, for code of {@code target} (e.g. emulated). */
  public static HostFunction create(NativeStore store, FuncType type, Callback callback, Target target) {
    Objects.requireNonNull(callback, "callback");
    return create(store, type, (caller, args) -> callback.call(args), callback, target);
  }

  /** A host function whose body sees its {@link CallingInstance}, callable from the host's own code. */
  public static HostFunction create(NativeStore store, FuncType type, CallerCallback callback) {
    return create(store, type, callback, hostTarget());
  }

  /** As {@link #create(NativeStore, FuncType, CallerCallback)}, for code of {@code target}. */
  public static HostFunction create(NativeStore store, FuncType type, CallerCallback callback, Target target) {
    Objects.requireNonNull(callback, "callback");
    return create(store, type, callback, null, target);
  }

  /**
   * A host function of the precise type {@code type}, for code of {@code target}: its references may
   * be of any abstract heap type the API converts (e.g. {@code (ref exn)} or {@code nullexnref}, not
   * only the nullable tops WebAssembly 2.0 has), and an importer's type matches it by its canonical
   * id. Its results are checked against these types ({@link #writeResults}).
   *
   * @throws IllegalArgumentException if a reference type names a defined type
   */
  public static HostFunction create(NativeStore store, dev.kiln.wasm.types.FuncType type, CallerCallback callback,
      Target target) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(target, "target");
    return new HostFunction(store, new Signature(type), callback, null, null, target);
  }

  /**
   * A host function of numbers only ({@link WordCallback}), callable from code of {@code target}.
   *
   * @throws IllegalArgumentException if {@code type} has a parameter or result that is not a
   *     number (i32, i64, f32, f64), or more than one result
   */
  public static HostFunction createWords(NativeStore store, FuncType type, WordCallback callback, Target target) {
    Objects.requireNonNull(type, "type");
    return createWords(store, Signature.of(type), callback, target);
  }

  /**
   * As {@link #createWords(NativeStore, FuncType, WordCallback, Target)}, of a {@link Signature}
   * made once for many stores.
   *
   * @throws IllegalArgumentException if the signature's type has a parameter or result that is
   *     not a number, or more than one result
   */
  public static HostFunction createWords(NativeStore store, Signature signature, WordCallback callback, Target target) {
    Objects.requireNonNull(callback, "callback");
    Objects.requireNonNull(signature, "signature");
    FuncType type = signature.type();
    if (!signature.numbersOnly) {
      throw new IllegalArgumentException("a word callback takes numbers and returns at most one, not " + type);
    }
    CallerCallback fromJava = (caller, args) -> {
      long[] words = new long[args.size()];
      for (int i = 0; i < words.length; i++) {
        words[i] = args.get(i).bits();
      }
      long r = callback.call(caller, words);
      return type.results().isEmpty() ? List.of() : List.of(WasmValue.ofBits(type.results().getFirst(), r, 0));
    };
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(target, "target");
    return new HostFunction(store, signature, fromJava, null, callback, target);
  }

  private static boolean isNumber(ValType t) {
    return t == ValType.I32 || t == ValType.I64 || t == ValType.F32 || t == ValType.F64;
  }

  private static HostFunction create(NativeStore store, FuncType type, CallerCallback callback, Callback plain,
      Target target) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(target, "target");
    return new HostFunction(store, Signature.of(type), callback, plain, null, target);
  }

  private static Target hostTarget() {
    return HostTarget.current().orElseThrow(() -> new IllegalStateException(
        "this host (" + System.getProperty("os.arch") + ") runs no Kiln target"));
  }

  /** The function as an extern, for imports and for calls from Java. */
  public FunctionInstance function() {
    return function;
  }

  public FuncType type() {
    return type;
  }

  /** A call from Java, not through wasm: the callback's exceptions propagate as they are. */
  private List<WasmValue> callDirectly(List<WasmValue> args) {
    try {
      return checkedResults(callback.call(CallingInstance.NONE, args));
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException("host function failed", e);
    }
  }

  /**
   * Which argument slots hold references (funcref and externref words: a concrete struct or array
   * type is represented as a funcref), for the collection a debug-mode store makes before the call
   * reads them ({@link NativeStore#hostCallEntered}).
   */
  int[] referenceParams() {
    return referenceParams;
  }

  /**
   * A call from wasm, through {@link HostCalls}: reads the arguments from the {@code len} ValRaws
   * at {@code values}, runs the callback (with the instance whose vmctx is {@code callerVmctx}, if
   * it wants its caller) and writes the results over them.
   *
   * @throws Exception whatever the callback threw, or a mismatch of the results with the type
   */
  void dispatch(long callerVmctx, long values, long len) throws Exception {
    int slots = Math.max(type.params().size(), type.results().size());
    if (len < slots) {
      throw new IllegalStateException("trampoline passed " + len + " ValRaw slots for " + type);
    }
    fromWasm.call(callerVmctx, values);
  }

  /**
   * A callback's results, checked against the type, into the ValRaw slots at {@code values}. The
   * calling code trusts each reference as a value of the result's precise type (spec 3.0 3.3.x), as
   * a function trusts its parameters, so every one passes the store's one check of what Java hands
   * in ({@link NativeStore#checkReference}): a funcref must be one of the store's and of a subtype,
   * an externref or anyref word no forged i31 (one with high bits set), a struct or array of the type.
   */
  private void writeResults(List<WasmValue> results, long values) {
    List<WasmValue> out = checkedResults(results);
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i) instanceof WasmValue.Ref ref) {
        store.checkReference(ref.type(), ref.bits(), store.types().resultType(function.typeId(), i));
      }
    }
    writeValues(out, values);
  }

  /**
   * A word callback's entry: the parameters' words straight from their slots, the result's into
   * slot 0 (a 32-bit one zero-extended, as {@link WasmValue#bits} has it).
   */
  private WasmEntry wordEntry(WordCallback words) {
    int arity = type.params().size();
    boolean result = !type.results().isEmpty();
    long resultMask = result && (type.results().getFirst() == ValType.I32
        || type.results().getFirst() == ValType.F32) ? 0xFFFF_FFFFL : -1L;
    return (callerVmctx, values) -> {
      long[] args = new long[arity];
      for (int i = 0; i < arity; i++) {
        args[i] = ALL_MEMORY.get(JAVA_LONG, values + (long) i * ValRaw.SIZE);
      }
      long r = words.call(calls.caller(callerVmctx), args);
      if (result) {
        ALL_MEMORY.set(JAVA_LONG, values, r & resultMask);
        ALL_MEMORY.set(JAVA_LONG, values + 8, 0);
      }
    };
  }

  /**
   * The warm-up call of a new host-call entry ({@link HostCalls}): the one i32 ValRaw at {@code
   * values} read and written back by the same code every call runs, with no host function behind.
   */
  static void echo(long values) {
    writeValues(readValues(List.of(ValType.I32), values), values);
  }

  /** The values of types {@code types} in the ValRaw slots 0.. at {@code values}. */
  private static List<WasmValue> readValues(List<ValType> types, long values) {
    WasmValue[] read = new WasmValue[types.size()];
    for (int i = 0; i < read.length; i++) {
      ValType t = types.get(i);
      long low = ALL_MEMORY.get(JAVA_LONG, values + (long) i * ValRaw.SIZE);
      long high = t == ValType.V128 ? ALL_MEMORY.get(JAVA_LONG, values + (long) i * ValRaw.SIZE + 8) : 0;
      read[i] = WasmValue.ofBits(t, low, high);
    }
    return Arrays.asList(read);
  }

  /** Writes {@code out} into the ValRaw slots 0.. at {@code values}. */
  private static void writeValues(List<WasmValue> out, long values) {
    for (int i = 0; i < out.size(); i++) {
      WasmValue v = out.get(i);
      ALL_MEMORY.set(JAVA_LONG, values + (long) i * ValRaw.SIZE, v.bits());
      ALL_MEMORY.set(JAVA_LONG, values + (long) i * ValRaw.SIZE + 8, v instanceof WasmValue.V128 x ? x.high() : 0);
    }
  }

  private List<WasmValue> checkedResults(List<WasmValue> out) {
    List<ValType> results = type.results();
    if (out == null || out.size() != results.size()) {
      throw new IllegalStateException("host function of type " + type + " returned "
          + (out == null ? "null" : out.size() + " values"));
    }
    for (int i = 0; i < out.size(); i++) {
      if (out.get(i).type() != results.get(i)) {
        throw new IllegalStateException("host function result " + i + " is a " + out.get(i).type()
            + ", its type says " + results.get(i));
      }
    }
    return out;
  }

  /**
   * Closes the handle: Java can no longer call or link the function; it is freed once no instance
   * imports it (see {@link Lifetime#close()}).
   */
  public void close() {
    lifetime.close();
  }

  /**
   * Frees the function's blocks, each step once: counted in {@link #freeSteps} as soon as it
   * returned, so a free that threw is finished by the next ({@link Lifetime#free}) without freeing
   * a block twice (issue 35).
   */
  private void free() {
    for (; freeSteps < 4; freeSteps++) {
      switch (freeSteps) {
        case 0 -> store.unregisterFunctionReferences(funcRef.address());
        case 1 -> calls.unregister(id);
        case 2 -> NativeHeap.free(block);
        default -> store.resources().remove(StoreResources.Kind.HOST_FUNCTION);
      }
    }
  }
}
