package dev.kiln.loader.func;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.runtime.DirectEntry;
import dev.kiln.loader.runtime.EntryInvoker;
import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.ValRaw;
import dev.kiln.loader.runtime.WasmValue;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One function (WebAssembly 2.0 section 4.2.6) as the runtime passes it around: its VMFuncRef
 * {@code {array_call, wasm_call, type_id, vmctx}} (docs/ARCHITECTURE.md section 4) and its type. A
 * wasm function's VMFuncRef lives in its instance's VMContext; a host function's in the host
 * function's own memory ({@code dev.kiln.loader.host}), with {@code wasm_call} 0 until a module
 * imports it (the importer's WASM_TO_ARRAY trampoline of the type then stands in). Importing copies
 * the record into the importer's import record, so calls go straight to the callee.
 *
 * <p>The record lives in its owner (the instance or the host function, {@link #owner()}); a call
 * from Java after the owner's handle was closed throws {@link IllegalStateException}, while
 * instances that imported the function keep calling it until they are gone.
 */
public final class FunctionInstance {
  /**
   * The Java body of a host function, for a call from Java: run directly, not through an upcall.
   * An interface rather than the host function itself, so that functions depend on nothing of the
   * host-call machinery above them.
   */
  @FunctionalInterface
  public interface HostBody {
    /** Runs the function on {@code args}; its exceptions propagate as they are. */
    List<WasmValue> call(List<WasmValue> args);
  }

  private final MemorySegment funcRef;
  private final FuncType type;
  /**
   * The runtime id of the function's own type, fixed when the function was linked: kept here, not
   * read from the VMFuncRef, since what a call returns is converted after the call's exit, where an
   * instance closed during the call (by a host function it called) has already been freed.
   */
  private final int typeId;
  private final Lifetime owner;
  private final NativeStore store;
  private final HostBody host;
  private final Target target;

  /**
   * @param typeId the runtime id of the function's own type, the one its VMFuncRef holds
   * @param host the Java body of a host function, null for a wasm function
   * @param target the instruction set of the code behind {@code funcRef} (the defining module's;
   *     for a host function, the code that may call it): it picks the store's executor for calls
   */
  public FunctionInstance(MemorySegment funcRef, FuncType type, int typeId, Lifetime owner, HostBody host,
      Target target) {
    this.funcRef = funcRef.reinterpret(VmLayout.FUNC_REF_SIZE);
    this.type = Objects.requireNonNull(type, "type");
    this.typeId = typeId;
    this.owner = Objects.requireNonNull(owner, "owner");
    this.store = owner.store();
    this.host = host;
    this.target = Objects.requireNonNull(target, "target");
  }

  public FuncType type() {
    return type;
  }

  /** The store the function belongs to; only instances of this store may import it. */
  public NativeStore store() {
    return store;
  }

  /** The instance or host function the VMFuncRef lives in. */
  public Lifetime owner() {
    return owner;
  }

  /** The VMFuncRef's address: what a funcref value or table slot holds for this function. */
  public long funcRefAddress() {
    return funcRef.address();
  }

  /** Whether this is a host function (written in Java) rather than a wasm one. */
  public boolean isHost() {
    return host != null;
  }

  long arrayCall() {
    return funcRef.get(JAVA_LONG, VmLayout.FUNC_REF_ARRAY_CALL);
  }

  /**
   * The runtime id of the function's own type ({@link dev.kiln.loader.runtime.RuntimeTypes}): what
   * its VMFuncRef holds, answered without reading it, so it stays right after the owner is freed.
   */
  public int typeId() {
    return typeId;
  }

  /** The wasm-convention entry, 0 for a host function no module has imported. */
  public long wasmCall() {
    return funcRef.get(JAVA_LONG, VmLayout.FUNC_REF_WASM_CALL);
  }

  long vmctx() {
    return funcRef.get(JAVA_LONG, VmLayout.FUNC_REF_VMCTX);
  }

  /**
   * Calls the function with {@code args} (one per parameter, of the parameter's type) and returns
   * its results. A wasm function runs through its ARRAY_TO_WASM trampoline; a host function is
   * called directly.
   *
   * @throws dev.kiln.loader.runtime.TrapException if the wasm code traps
   * @throws IllegalArgumentException if the arguments do not fit the type, or a funcref argument is
   *     not one of the store's
   * @throws IllegalStateException if the function's instance (or the host function) is closed, or
   *     another thread is using the store
   */
  public List<WasmValue> call(WasmValue... args) {
    return store.exclusive("call a function in it", () -> {
      owner.checkOpen();
      return callOpen(args);
    });
  }

  /**
   * {@link #call} for a caller that keeps the owner alive itself and holds the store: an instance
   * calling what it imported (a re-exported import, an imported start function), whose exporter may
   * already be closed but is still in use by it.
   */
  public List<WasmValue> callOpen(WasmValue... args) {
    owner.checkAlive();
    List<ValType> params = type.params();
    if (args.length != params.size()) {
      throw new IllegalArgumentException("function takes " + params.size() + " arguments, got " + args.length);
    }
    for (int i = 0; i < args.length; i++) {
      if (args[i].type() != params.get(i)) {
        throw new IllegalArgumentException("argument " + i + " is a " + args[i].type() + ", the parameter a "
            + params.get(i));
      }
      if (params.get(i).isReference()) {
        store.checkReference(params.get(i), args[i].bits(), store.types().paramType(typeId(), i));
      }
    }
    if (host != null) {
      return host.call(List.of(args));
    }
    int slots = Math.max(params.size(), type.results().size());
    try (Arena call = Arena.ofConfined()) {
      MemorySegment values = ValRaw.allocate(call, slots);
      for (int i = 0; i < args.length; i++) {
        values.set(JAVA_LONG, (long) i * ValRaw.SIZE, args[i].bits());
        values.set(JAVA_LONG, (long) i * ValRaw.SIZE + 8, args[i] instanceof WasmValue.V128 v ? v.high() : 0);
      }
      MemorySegment vmctx = MemorySegment.ofAddress(vmctx());
      new EntryInvoker(store, store.executorFor(target))
          .invoke(MemorySegment.ofAddress(arrayCall()), vmctx, vmctx, values, slots);
      return readResults(values, type.results());
    }
  }

  /**
   * A {@link DirectEntry} for calling this function many times with its arguments' bits, or empty
   * when it cannot have one: a host function (called in Java, not through a trampoline), or a type
   * with a reference or v128 value ({@link DirectEntry#supports}).
   *
   * @throws IllegalStateException if the function's instance is closed
   */
  public Optional<DirectEntry> directEntry() {
    if (host != null || !DirectEntry.supports(type)) {
      return Optional.empty();
    }
    return store.exclusive("prepare a call into it", () -> {
      owner.checkOpen();
      return Optional.of(new DirectEntry(owner, type, store.executorFor(target), arrayCall(), vmctx()));
    });
  }

  /**
   * {@link #call} with plain Java values: {@code Integer} for i32, {@code Long} for i64, {@code
   * Float} for f32, {@code Double} for f64 (a {@link WasmValue} is passed as it is). Returns null for
   * no result, the Java value of a single result, or an {@code Object[]} of several.
   */
  public Object callJava(Object... args) {
    List<ValType> params = type.params();
    if (args.length != params.size()) {
      throw new IllegalArgumentException("function takes " + params.size() + " arguments, got " + args.length);
    }
    WasmValue[] typed = new WasmValue[args.length];
    for (int i = 0; i < args.length; i++) {
      ValType param = params.get(i);
      typed[i] = switch (args[i]) {
        case WasmValue v -> v;
        case Integer v when param == ValType.I32 -> new WasmValue.I32(v);
        case Long v when param == ValType.I64 -> new WasmValue.I64(v);
        case Float v when param == ValType.F32 -> new WasmValue.F32(v);
        case Double v when param == ValType.F64 -> new WasmValue.F64(v);
        case null, default -> throw new IllegalArgumentException("argument (" + args[i]
            + ") cannot be passed as a " + param);
      };
    }
    List<WasmValue> results = call(typed);
    return switch (results.size()) {
      case 0 -> null;
      case 1 -> javaValue(results.getFirst());
      default -> results.stream().map(FunctionInstance::javaValue).toArray();
    };
  }

  private static Object javaValue(WasmValue v) {
    return switch (v) {
      case WasmValue.I32 x -> x.value();
      case WasmValue.I64 x -> x.value();
      case WasmValue.F32 x -> x.value();
      case WasmValue.F64 x -> x.value();
      default -> v;
    };
  }

  /** The results in ValRaw slots 0.. of {@code values}, typed. */
  static List<WasmValue> readResults(MemorySegment values, List<ValType> results) {
    List<WasmValue> out = new ArrayList<>(results.size());
    for (int i = 0; i < results.size(); i++) {
      ValType t = results.get(i);
      long low = values.get(JAVA_LONG, (long) i * ValRaw.SIZE);
      long high = values.get(JAVA_LONG, (long) i * ValRaw.SIZE + 8);
      out.add(WasmValue.ofBits(t, low, high));
    }
    return out;
  }

  /** Writes the import record {@code {wasm_call, array_call, vmctx}} at {@code record}. */
  public void writeImportRecord(MemorySegment record, long wasmCallFallback) {
    long wasmCall = wasmCall() != 0 ? wasmCall() : wasmCallFallback;
    record.set(JAVA_LONG, VmLayout.IMPORT_WASM_CALL, wasmCall);
    record.set(JAVA_LONG, VmLayout.IMPORT_ARRAY_CALL, arrayCall());
    record.set(JAVA_LONG, VmLayout.IMPORT_VMCTX, vmctx());
  }

  /**
   * Writes a VMFuncRef at {@code target} that calls this function, for an importer's own func_ref.
   * The type id is the importer's id of the import's type: the one its {@code call_indirect} and
   * those of instances sharing its tables compare against (the types are equal, checked at link).
   */
  public void writeFuncRef(MemorySegment target, long wasmCallFallback, int typeId) {
    long wasmCall = wasmCall() != 0 ? wasmCall() : wasmCallFallback;
    target.set(JAVA_LONG, VmLayout.FUNC_REF_ARRAY_CALL, arrayCall());
    target.set(JAVA_LONG, VmLayout.FUNC_REF_WASM_CALL, wasmCall);
    target.set(JAVA_INT, VmLayout.FUNC_REF_TYPE_ID, typeId);
    target.set(JAVA_LONG, VmLayout.FUNC_REF_VMCTX, vmctx());
  }

  @Override
  public String toString() {
    return (host != null ? "host function " : "function ") + type;
  }
}
