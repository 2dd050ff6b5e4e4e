package dev.kiln.compiler.translate;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.artifact.vm.VmShape;
import dev.kiln.ir.AbiParam;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.ParamPurpose;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.GlobalType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.MemoryType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.TableType;
import dev.kiln.wasm.types.ValType;
import dev.kiln.wasm.types.ValueType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Objects;

/**
 * Everything about one validated module that the translation of each of its functions needs and
 * that does not change while they are translated: the module, its {@link VmLayout}, its escaping
 * functions, and the naming and calling conventions shared with the backend. Immutable, so the
 * functions of one module can be translated in parallel against one instance.
 *
 * <p>Wasm calling convention (agreed with the x86-64 ABI): a function's IR signature is {@code (i64
 * vmctx, i64 caller_vmctx, wasm params...) -> wasm results}; see {@link #wasmSignature}.
 */
public final class ModuleEnvironment {
  private final Module module;
  private final int moduleIndex;
  private final EscapingFunctions escaping;
  private final FixedTables fixedTables;
  private final VmLayout layout;
  private final List<GlobalType> globals;
  private final List<MemoryType> memories;
  private final List<TableType> tables;
  private final boolean tableLazyInit;
  private final ExecutionLimits limits;
  private final MemoryGuard memoryGuard;
  /** The instruction bytes of all the module's function bodies, which its compile budgets grow with. */
  private final long bodyBytes;
  /** The IR the module's functions may translate into together ({@link IrSizeLimit#moduleBudget}). */
  private final ModuleBudget irBudget;
  /** With epoch interruption, the defined functions that check the epoch at their entry. */
  private final BitSet checksEpochAtEntry;
  /**
   * The type index of every function (imports first), and the {@link #wasmSignature(FuncType)} of
   * every function type by type index (null for a type that has none or is not a function type):
   * made once here, as every call a function makes asks for its callee's type and signature, and
   * {@link Module#functionTypeIndex} walks the imports and a signature is three lists to build.
   */
  private final int[] functionTypeIndices;
  private final Signature[] typeSignatures;

  /**
   * @param module a validated module
   * @param moduleIndex the module field of its FuncKeys (0 for a single-module artifact)
   * @param tableLazyInit whether funcref tables are lazily initialised (tagged slots, first read
   *     fills the slot; artifact.vm.TableStorage) rather than filled at instantiation
   * @param limits which checks that let the embedder stop the code (epoch deadline, fuel) every
   *     function gets ({@link InterruptChecks})
   * @param memoryGuard which 32-bit memory accesses the loader's guard region checks instead of the
   *     code
   */
  public ModuleEnvironment(Module module, int moduleIndex, boolean tableLazyInit, ExecutionLimits limits,
      MemoryGuard memoryGuard) {
    this.module = Objects.requireNonNull(module, "module");
    this.moduleIndex = moduleIndex;
    this.tableLazyInit = tableLazyInit;
    this.limits = Objects.requireNonNull(limits, "limits");
    this.memoryGuard = Objects.requireNonNull(memoryGuard, "memoryGuard");
    this.tables = List.copyOf(module.allTables());
    this.escaping = EscapingFunctions.of(module);
    this.fixedTables = FixedTables.of(module);
    this.layout = new VmLayout(shapeOf(module, escaping));
    this.globals = List.copyOf(module.allGlobals());
    this.memories = List.copyOf(module.allMemories());
    this.functionTypeIndices = module.allFunctionTypeIndices().stream().mapToInt(Integer::intValue).toArray();
    this.typeSignatures = new Signature[module.types().size()];
    for (int t = 0; t < typeSignatures.length; t++) {
      FuncType type = module.types().get(t);
      typeSignatures[t] = type == null ? null : wasmSignature(type);
    }
    long bodyBytes = 0;
    for (FunctionBody body : module.code()) {
      bodyBytes += body.codeEnd() - body.codeStart();
    }
    this.bodyBytes = bodyBytes;
    // a share for each defined function and each escaping function's entry trampoline
    this.irBudget = IrSizeLimit.moduleBudget(bodyBytes, module.code().size() + escaping.count());
    this.checksEpochAtEntry = new BitSet();
    if (limits.epochInterruption()) {
      for (int d = 0; d < module.code().size(); d++) {
        checksEpochAtEntry.set(d, InterruptChecks.checksEpochAtEntry(module.code().get(d)));
      }
    }
  }

  /**
   * The IR budget of the module's functions together, which each translation, what the inliner
   * adds and each entry trampoline are charged.
   */
  public ModuleBudget irBudget() {
    return irBudget;
  }

  /** The instruction bytes of all the module's function bodies (each up to its final {@code end}). */
  public long bodyBytes() {
    return bodyBytes;
  }

  /**
   * Whether function {@code functionIndex} (imports first) checks the epoch deadline at its entry:
   * a defined function that calls, compiled with epoch interruption ({@link InterruptChecks}).
   */
  public boolean checksEpochAtEntry(int functionIndex) {
    int defined = functionIndex - module.importedFunctionCount();
    return defined >= 0 && checksEpochAtEntry.get(defined);
  }

  /**
   * Module {@code moduleIndex} with lazily initialised tables (Kiln's default, as Wasmtime's), no
   * epoch or fuel checks and every memory access checked in the code.
   */
  public ModuleEnvironment(Module module, int moduleIndex) {
    this(module, moduleIndex, true, ExecutionLimits.NONE, MemoryGuard.NONE);
  }

  public ModuleEnvironment(Module module) {
    this(module, 0);
  }

  /** The VMContext counts of {@code module}: what the artifact's layout is computed from. */
  public static VmShape shapeOf(Module module, EscapingFunctions escaping) {
    return new VmShape(
        module.importedFunctionCount(),
        module.importedMemoryCount(),
        module.memories().size(),
        module.importedTableCount(),
        module.tables().size(),
        module.importedGlobalCount(),
        module.globals().size(),
        escaping.count(),
        module.types().size(),
        Builtin.SLOTTED,
        module.elements().size(),
        module.data().size(),
        module.allTagTypeIndices().size());
  }

  public Module module() {
    return module;
  }

  public int moduleIndex() {
    return moduleIndex;
  }

  public VmLayout layout() {
    return layout;
  }

  public EscapingFunctions escaping() {
    return escaping;
  }

  /** The funcref tables whose slots never change after instantiation. */
  public FixedTables fixedTables() {
    return fixedTables;
  }

  public int importedFunctionCount() {
    return layout.shape().importedFunctions();
  }

  public int definedFunctionCount() {
    return module.functions().size();
  }

  /** The type of global {@code globalIndex} (imports first). */
  public GlobalType globalType(int globalIndex) {
    return globals.get(globalIndex);
  }

  /**
   * Whether a value of wasm type {@code type} may be the address of an object in the store's GC
   * heap, which a collection moves: a word of the any hierarchy (any, eq, i31, struct, array, none and
   * the concrete struct and array types) or of the extern hierarchy ({@code extern.convert_any} makes
   * an object an externref without changing its word; artifact.gc.ReferenceWord), or an exnref (an
   * exception object lives in the heap, {@code artifact.vm.ExceptionLayout}). Function references
   * are not heap objects and never move. Decided once for the safepoints'
   * spills ({@link GcSafepoints}) and for the loads of globals the collector rewrites ({@link
   * FuncEnvironment#globalGet}).
   */
  public boolean holdsGcObject(ValueType type) {
    if (type == ValType.EXTERNREF) {
      return true;
    }
    if (!(type instanceof RefType ref)) {
      return false;
    }
    return switch (ref.heap()) {
      // an exnref is the address of an exception object, which lives in the heap too (ExceptionLayout)
      case HeapType.Abstract a -> a.top() == HeapType.Abstract.ANY || a.top() == HeapType.Abstract.EXTERN
          || a.top() == HeapType.Abstract.EXN;
      case HeapType.Concrete c -> !(module.typeSection().subTypes().get(c.typeIndex()).composite()
          instanceof FuncType);
      // not left in a validated module's code; counted a reference, which costs a spill at most
      case HeapType.RecIndex r -> true;
      case HeapType.Canonical c -> true;
    };
  }

  /** The type of memory {@code memoryIndex} (imports first). */
  public MemoryType memoryType(int memoryIndex) {
    return memories.get(memoryIndex);
  }

  /** The type of table {@code tableIndex} (imports first). */
  public TableType tableType(int tableIndex) {
    return tables.get(tableIndex);
  }

  /**
   * Whether code of this module can call builtin {@code b}: the table builtins only when the module
   * has a table (so a module without tables carries none of their trampolines, nor the compiled
   * lazy-init builtin), memory.grow and its mprotect only when it has a memory, the GC heap's slow
   * path only when it has struct or array types; every other
   * builtin always (the linker drops what no live code calls).
   */
  public boolean mayCallBuiltin(Builtin b) {
    return switch (b) {
      case TABLE_GROW, TABLE_FILL, TABLE_COPY, TABLE_INIT -> !tables.isEmpty();
      case MEMORY_GROW, MEMORY_PROTECT -> !memories.isEmpty();
      case THROW -> module.firstExceptionInstruction() >= 0;
      // only code of a module with struct or array types, or one that throws, allocates objects
      case GC_ALLOCATE -> module.firstExceptionInstruction() >= 0 || module.typeSection().subTypes().stream()
          .anyMatch(t -> !(t.composite() instanceof dev.kiln.wasm.types.FuncType));
      case TABLE_LAZY_INIT -> tableLazyInit && tables.stream().anyMatch(t -> t.elementType() == ValType.FUNCREF);
      default -> true;
    };
  }

  /** Whether funcref tables are compiled for lazy initialisation (compile setting table-lazy-init). */
  public boolean tableLazyInit() {
    return tableLazyInit;
  }

  /** The epoch and fuel checks compiled into every function (compile settings, in the compat header). */
  public ExecutionLimits limits() {
    return limits;
  }

  /** Which 32-bit memory accesses are left to the guard region (a compile setting, in the compat header). */
  public MemoryGuard memoryGuard() {
    return memoryGuard;
  }

  /** The wasm type of function {@code funcIndex} (imports first). */
  public FuncType functionType(int funcIndex) {
    return module.types().get(functionTypeIndices[funcIndex]);
  }

  /** The type index of function {@code funcIndex} (imports first). */
  public int functionTypeIndex(int funcIndex) {
    return functionTypeIndices[funcIndex];
  }

  /**
   * {@link #wasmSignature(FuncType)} of function type {@code typeIndex}, made once per module; null
   * when the type uses a type Kiln lacks.
   */
  public Signature typeSignature(int typeIndex) {
    return typeSignatures[typeIndex];
  }

  /** {@link #typeSignature} of function {@code funcIndex}'s type (imports first). */
  public Signature functionSignature(int funcIndex) {
    return typeSignatures[functionTypeIndices[funcIndex]];
  }

  /** The FuncKey of defined function {@code definedIndex}, as an IR external name. */
  public ExternalName definedFunctionName(int definedIndex) {
    return name(FuncKey.definedWasmFunction(moduleIndex, definedIndex));
  }

  /**
   * The name compiled code calls to reach builtin {@code b}: its WASM_TO_BUILTIN trampoline, which
   * takes the wasm calling convention and calls the pointer at {@link VmLayout#builtin(Builtin)}.
   */
  public ExternalName builtinTrampolineName(Builtin b) {
    return name(FuncKey.wasmToBuiltinTrampoline(b.index()));
  }

  private static ExternalName name(FuncKey key) {
    return new ExternalName.User(key.namespace(), key.index());
  }

  /** {@code (i64 vmctx, i64 caller_vmctx, params...) -> results}. */
  public static Signature wasmSignature(List<Type> params, List<Type> results) {
    List<AbiParam> p = new ArrayList<>(params.size() + 2);
    p.add(new AbiParam(Type.I64, ParamPurpose.VMCTX));
    p.add(new AbiParam(Type.I64, ParamPurpose.CALLER_VMCTX));
    for (Type t : params) {
      p.add(AbiParam.of(t));
    }
    return new Signature(p, results.stream().map(AbiParam::of).toList());
  }

  /** The IR signature of wasm function type {@code type}, or null if it uses a type Kiln lacks. */
  public static Signature wasmSignature(FuncType type) {
    List<Type> params = irTypes(type.params());
    List<Type> results = irTypes(type.results());
    return params == null || results == null ? null : wasmSignature(params, results);
  }

  /** The IR signature a builtin's trampoline has under the wasm calling convention. */
  public static Signature builtinSignature(Builtin b) {
    return wasmSignature(b.params().stream().map(ModuleEnvironment::irType).toList(),
        b.results().stream().map(ModuleEnvironment::irType).toList());
  }

  static Type irType(Builtin.ValueKind kind) {
    return switch (kind) {
      case I32 -> Type.I32;
      case I64 -> Type.I64;
    };
  }

  /**
   * The IR type of a wasm value type. References are i64: a funcref is a VMFuncRef address, an
   * externref the host's 64-bit handle, 0 being null for both.
   */
  public static Type irType(ValType t) {
    return switch (t) {
      case I32 -> Type.I32;
      case I64 -> Type.I64;
      case F32 -> Type.F32;
      case F64 -> Type.F64;
      case V128 -> Type.V128;
      case FUNCREF, EXTERNREF -> Type.I64;
    };
  }

  private static List<Type> irTypes(List<ValType> types) {
    List<Type> out = new ArrayList<>(types.size());
    for (ValType t : types) {
      Type ir = irType(t);
      if (ir == null) {
        return null;
      }
      out.add(ir);
    }
    return out;
  }
}
