package dev.kiln.runtime;

import dev.kiln.artifact.info.Export;
import dev.kiln.artifact.info.ImportDesc;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.RuntimeTypes;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.wasm.types.TypeMatcher;
import dev.kiln.wasm.types.ValueType;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's types to and from the internal ones they stand for. The API keeps its own copies of
 * these small types so no internal module's class appears in its signatures, and the internals
 * can change without breaking embedders.
 */
final class Conversions {
  // No switch over an enum in this class: javac compiles one to a numbered class of switch maps
  // with an initialiser of its own, which Engine.Statics.INITIALISED_AT_START would have to name by
  // a number javac may change (if-chains and lookups instead).
  private Conversions() {}

  static dev.kiln.artifact.Target target(Target target) {
    return target == Target.X86_64 ? dev.kiln.artifact.Target.X86_64 : dev.kiln.artifact.Target.AARCH64;
  }

  static Target target(dev.kiln.artifact.Target target) {
    return target == dev.kiln.artifact.Target.X86_64 ? Target.X86_64 : Target.AARCH64;
  }

  static ValType valType(dev.kiln.artifact.info.ValType type) {
    return API_VAL_TYPES[type.ordinal()];
  }

  /** The API's value type of each of the artifact's, by ordinal: the names are the same. */
  private static final ValType[] API_VAL_TYPES = java.util.Arrays.stream(dev.kiln.artifact.info.ValType.values())
      .map(t -> ValType.valueOf(t.name())).toArray(ValType[]::new);

  static dev.kiln.artifact.info.ValType valType(ValType type) {
    return dev.kiln.artifact.info.ValType.valueOf(type.name());
  }

  /** The WebAssembly 2.0 function type with these representations (a host function's). */
  static FuncType funcType(dev.kiln.artifact.info.FuncType type) {
    // Made for every host function handle: a loop, not a stream.
    return new FuncType(valTypes(type.params()), valTypes(type.results()));
  }

  private static java.util.List<ValType> valTypes(java.util.List<dev.kiln.artifact.info.ValType> types) {
    ValType[] api = new ValType[types.size()];
    for (int i = 0; i < api.length; i++) {
      api[i] = valType(types.get(i));
    }
    return java.util.List.of(api);
  }

  /** A host function's type {@link #hostType} as the artifact's representations. */
  static dev.kiln.artifact.info.FuncType funcType(FuncType type) {
    return dev.kiln.artifact.info.PreciseTypes.representation(hostType(type));
  }

  /**
   * A host function's type, closed (abstract heap types only), as the loader makes the function
   * with it and an importer's type matches it (by canonical id). A host function takes and returns
   * numbers, vectors, {@code funcref} and {@code externref} as WebAssembly 2.0 has them, and
   * references of the exception hierarchy of any nullability ({@code exnref}, {@code (ref exn)},
   * {@code nullexnref}): Java holds an exception object only as an {@link ExnRef} of its store,
   * and the loader checks each result against its precise type ({@code
   * loader.host.HostFunction#writeResults}). GC references are refused, so an import of a function
   * of GC types is satisfied only by another instance's export, never by a host function.
   *
   * @throws IllegalArgumentException if {@code type} has another reference type
   */
  static dev.kiln.wasm.types.FuncType hostType(FuncType type) {
    return new dev.kiln.wasm.types.FuncType(hostTypes(type.preciseParams(), type), hostTypes(type.preciseResults(), type));
  }

  private static List<ValueType> hostTypes(List<PreciseType> types, FuncType in) {
    ValueType[] closed = new ValueType[types.size()];
    for (int i = 0; i < closed.length; i++) {
      PreciseType t = types.get(i) instanceof ValType v && v.isReference() ? PreciseType.of(v) : types.get(i);
      closed[i] = switch (t) {
        case ValType v -> closedType(v);
        case RefType r when r.equals(RefType.FUNCREF) || r.equals(RefType.EXTERNREF) -> closedType(r.kind());
        case RefType r when r.heap() instanceof HeapType.Abstract a && a.hierarchy() == ValType.EXNREF ->
            new dev.kiln.wasm.types.RefType(r.nullable(), dev.kiln.wasm.types.HeapType.Abstract.valueOf(a.name()));
        default -> throw new IllegalArgumentException("a host function takes and returns numbers, funcref, externref"
            + " and exception references only, not " + in);
      };
    }
    return List.of(closed);
  }

  /**
   * The artifact's representation of {@code type}: the any and exn hierarchies' references travel
   * as externref words (wasm.types.RefType#kind).
   */
  static dev.kiln.artifact.info.ValType representation(ValType type) {
    return type == ValType.ANYREF || type == ValType.EXNREF ? dev.kiln.artifact.info.ValType.EXTERNREF : valType(type);
  }

  /**
   * The function type of runtime type id {@code typeId}, precisely (a struct result is a {@code
   * (ref struct:N)}, not the funcref its artifact representation would suggest).
   */
  static FuncType funcType(int typeId, RuntimeTypes types) {
    dev.kiln.wasm.types.FuncType f = (dev.kiln.wasm.types.FuncType) types.type(typeId).subType().composite();
    PreciseType[] params = new PreciseType[f.paramTypes().size()];
    for (int i = 0; i < params.length; i++) {
      params[i] = preciseType(types.paramType(typeId, i), types);
    }
    PreciseType[] results = new PreciseType[f.resultTypes().size()];
    for (int i = 0; i < results.length; i++) {
      results[i] = preciseType(types.resultType(typeId, i), types);
    }
    return FuncType.precise(List.of(params), List.of(results));
  }

  /** The API's precise type of a closed type (heap types abstract or canonical). */
  static PreciseType preciseType(ValueType closed, RuntimeTypes types) {
    if (closed instanceof dev.kiln.wasm.types.RefType r) {
      return refType(r, types);
    }
    return valType(dev.kiln.artifact.info.ValType.ofCode(closed.kind().code()).orElseThrow());
  }

  static RefType refType(dev.kiln.wasm.types.RefType closed, RuntimeTypes types) {
    HeapType heap = switch (closed.heap()) {
      case dev.kiln.wasm.types.HeapType.Abstract a -> HeapType.Abstract.valueOf(a.name());
      case dev.kiln.wasm.types.HeapType.Canonical c -> new HeapType.Concrete(switch (c.type().subType().composite()) {
        case dev.kiln.wasm.types.FuncType _ -> HeapType.Kind.FUNC;
        case dev.kiln.wasm.types.StructType _ -> HeapType.Kind.STRUCT;
        case dev.kiln.wasm.types.ArrayType _ -> HeapType.Kind.ARRAY;
      }, types.id(c.type()));
      default -> throw new IllegalStateException("not a closed heap type: " + closed.heap());
    };
    return new RefType(closed.nullable(), heap);
  }

  /** A module's types, for describing its imports and exports with the engine's type numbers. */
  record ModuleTypes(ModuleInfo info, TypeMatcher matcher, RuntimeTypes types) {
    ModuleTypes(ModuleInfo info, RuntimeTypes types) {
      this(info, info.precise().section().matcher(), types);
    }

    FuncType function(int typeIndex) {
      return funcType(types.id(matcher.canonical(typeIndex)), types);
    }

    PreciseType global(int index) {
      return preciseType(matcher.close(info.precise().globals().get(index)), types);
    }

    RefType table(int index) {
      return refType((dev.kiln.wasm.types.RefType) matcher.close(info.precise().tables().get(index)), types);
    }
  }

  /** The types of {@code info}'s imports, in the API's terms. */
  static List<ExternType> importTypes(ModuleTypes module) {
    List<ExternType> out = new ArrayList<>();
    int tables = 0;
    int globals = 0;
    for (dev.kiln.artifact.info.Import i : module.info().imports()) {
      // imports come first in each index space (spec 3.0 2.5.x), so the n-th table import is table n
      out.add(switch (i.desc()) {
        case ImportDesc.Function f -> module.function(f.typeIndex());
        case ImportDesc.Table t -> tableType(t.type(), module.table(tables++));
        case ImportDesc.Memory m -> memoryType(m.type());
        case ImportDesc.Global g -> globalType(g.type(), module.global(globals++));
        case ImportDesc.Tag t -> tagType(module.function(t.typeIndex()));
      });
    }
    return out;
  }

  /** The type of what {@code export} names, in the API's terms. */
  static ExternType externType(ModuleTypes module, Export export) {
    ModuleInfo info = module.info();
    dev.kiln.artifact.info.ExternKind kind = export.kind();
    int index = export.index();
    if (kind == dev.kiln.artifact.info.ExternKind.FUNCTION) {
      return module.function(info.typeOfFunction(index));
    }
    if (kind == dev.kiln.artifact.info.ExternKind.TABLE) {
      return tableType(info.tableType(index), module.table(index));
    }
    if (kind == dev.kiln.artifact.info.ExternKind.MEMORY) {
      return memoryType(info.memoryType(index));
    }
    if (kind == dev.kiln.artifact.info.ExternKind.GLOBAL) {
      return globalType(info.globalType(index), module.global(index));
    }
    return tagType(module.function(info.tagType(index)));
  }

  /** The type of a live entity of a store whose types are {@code types}, in the API's terms. */
  static ExternType externType(Extern extern, RuntimeTypes types) {
    return switch (extern) {
      case Extern.Function f -> funcType(f.function().typeId(), f.function().store().types());
      case Extern.Table t -> tableType(t.table());
      case Extern.Memory m -> memoryType(m.memory().type());
      case Extern.Global g -> globalType(g.global());
      case Extern.Tag t -> tagType(t.tag().typeId(), types);
    };
  }

  /**
   * A tag's type from its function type's precise parameters (a struct reference is an anyref, as
   * a function's is), never from the artifact's representation.
   */
  static TagType tagType(FuncType type) {
    return new TagType(type.params());
  }

  /** The type of the tag whose canonical function type is {@code typeId}. */
  static TagType tagType(int typeId, RuntimeTypes types) {
    return tagType(funcType(typeId, types));
  }

  /**
   * The payload of a wasm exception that reaches Java, each value converted by its tag parameter's
   * precise type ({@link #val}): a struct or array becomes an {@link AnyRef}, an i31 an anyref word,
   * as a function's results do, never a funcref handle or an externref by the representation. The
   * store runs it where it reads the payload, under that claim ({@code NativeStore.thrownViews}).
   */
  static List<Val> payload(dev.kiln.loader.runtime.ThrownException thrown) {
    NativeStore store = thrown.store();
    int typeId = thrown.tag().typeId();
    List<Val> out = new ArrayList<>(thrown.payload().size());
    for (int i = 0; i < thrown.payload().size(); i++) {
      out.add(val(thrown.payload().get(i), store.types().paramType(typeId, i), store));
    }
    return out;
  }

  static TableType tableType(dev.kiln.loader.table.TableInstance table) {
    return tableType(table.type(), refType(table.referenceType(), table.store().types()));
  }

  static TableType tableType(dev.kiln.artifact.info.TableType type, RefType element) {
    return new TableType(element.kind(), type.limits().min(), type.limits().max(), type.is64(), element);
  }

  static MemoryType memoryType(dev.kiln.artifact.info.MemoryType type) {
    return new MemoryType(type.limits().min(), type.limits().max(), type.is64(), type.shared());
  }

  static GlobalType globalType(dev.kiln.loader.global.GlobalInstance global) {
    return globalType(global.type(), preciseType(global.preciseType(), global.store().types()));
  }

  static GlobalType globalType(dev.kiln.artifact.info.GlobalType type, PreciseType precise) {
    return new GlobalType(precise.kind(), type.mutable(), precise);
  }

  /**
   * A value of {@code store} as Java sees it, {@code precise} its closed type (a reference's
   * hierarchy decides what it becomes, {@link #reference}).
   */
  static Val val(WasmValue value, ValueType precise, NativeStore store) {
    // instanceof, not a pattern switch (here and in wasmValue): a switch spins a class at its first
    // run, which the JDK's AOT cache does not keep, and every kiln run --invoke converts its arguments
    // and results (0.35-2.5 ms each in a fresh process, docs/history/performance-journal.md, "Host
    // calls before the JIT"). WasmValue is sealed: the last kind is a cast.
    if (value instanceof WasmValue.I32(int v)) {
      return new Val.I32(v);
    }
    if (value instanceof WasmValue.I64(long v)) {
      return new Val.I64(v);
    }
    if (value instanceof WasmValue.F32(float v)) {
      return new Val.F32(v);
    }
    if (value instanceof WasmValue.F64(double v)) {
      return new Val.F64(v);
    }
    if (value instanceof WasmValue.V128(long low, long high)) {
      return new Val.V128(low, high);
    }
    WasmValue.Ref ref = (WasmValue.Ref) value;
    return reference(ref.address(), precise instanceof dev.kiln.wasm.types.RefType r ? r : plain(ref.type()), store);
  }

  /** The precise type a WebAssembly 2.0 reference representation stands for (a host function's value). */
  static dev.kiln.wasm.types.RefType plain(dev.kiln.artifact.info.ValType type) {
    return type == dev.kiln.artifact.info.ValType.FUNCREF ? dev.kiln.wasm.types.RefType.FUNCREF
        : dev.kiln.wasm.types.RefType.EXTERNREF;
  }

  /**
   * Reference {@code bits} of closed type {@code precise} in {@code store}, as Java gets it: a
   * function as the store's handle for it ({@link FunctionHandles}); a struct or array, whether
   * the type says any or (converted by {@code extern.convert_any}) extern, as an {@link AnyRef}
   * slot, never its address; anything else of those hierarchies (an i31, the embedder's own value)
   * as its word; an exception object as an {@link ExnRef}. The hierarchy comes from the precise type, never from the artifact's
   * representation, which gives a concrete struct type a funcref's (red team 8 F6).
   */
  static Val reference(long bits, dev.kiln.wasm.types.RefType precise, NativeStore store) {
    ValType hierarchy = hierarchy(precise);
    if (hierarchy == ValType.FUNCREF) {
      return new Val.Ref(hierarchy, FunctionHandles.of(store).handle(bits));
    }
    if (bits == 0) {
      return new Val.Ref(hierarchy, 0);
    }
    if (hierarchy == ValType.EXNREF) {
      return new Val.Exn(ExnRef.of(store, bits));
    }
    NativeStore.ObjectKind kind = store.objectKind(bits);
    if (kind == NativeStore.ObjectKind.NONE) {
      return new Val.Ref(hierarchy, bits);
    }
    if (kind == NativeStore.ObjectKind.STRUCT) {
      return new Val.Gc(hierarchy, AnyRef.of(store, bits, AnyRef.Kind.STRUCT));
    }
    if (kind == NativeStore.ObjectKind.ARRAY) {
      return new Val.Gc(hierarchy, AnyRef.of(store, bits, AnyRef.Kind.ARRAY));
    }
    // an exception object: validation keeps exnrefs in their own hierarchy (spec 3.0 3.3.x), so
    // only a damaged store gets here
    throw new IllegalStateException("an exception object of " + store + " in a slot of type "
        + precise + ": an exnref is no value of the " + hierarchy.name().toLowerCase(java.util.Locale.ROOT)
        + " hierarchy");
  }

  /** The API's type of the values of closed reference type {@code precise}: its hierarchy's. */
  private static ValType hierarchy(dev.kiln.wasm.types.RefType precise) {
    dev.kiln.wasm.types.HeapType.Abstract top = top(precise.heap());
    if (top == dev.kiln.wasm.types.HeapType.Abstract.FUNC) {
      return ValType.FUNCREF;
    }
    if (top == dev.kiln.wasm.types.HeapType.Abstract.EXTERN) {
      return ValType.EXTERNREF;
    }
    if (top == dev.kiln.wasm.types.HeapType.Abstract.ANY) {
      return ValType.ANYREF;
    }
    if (top == dev.kiln.wasm.types.HeapType.Abstract.EXN) {
      return ValType.EXNREF;
    }
    throw new IllegalStateException("a " + precise + " cannot reach Java");
  }

  /** The API's type ({@link Val#type()}) of the values of closed type {@code precise}. */
  static ValType apiType(ValueType precise) {
    return precise instanceof dev.kiln.wasm.types.RefType r ? hierarchy(r) : valType(representationOf(precise));
  }

  /** The artifact's representation of closed type {@code precise}: a concrete struct type's is funcref's. */
  private static dev.kiln.artifact.info.ValType representationOf(ValueType precise) {
    return dev.kiln.artifact.info.ValType.ofCode(precise.kind().code()).orElseThrow();
  }

  /** The hierarchy a closed heap type is in: a defined type's by its kind. */
  private static dev.kiln.wasm.types.HeapType.Abstract top(dev.kiln.wasm.types.HeapType heap) {
    return switch (heap) {
      case dev.kiln.wasm.types.HeapType.Abstract a -> a.top();
      case dev.kiln.wasm.types.HeapType.Canonical c -> c.type().subType().composite() instanceof dev.kiln.wasm.types.FuncType
          ? dev.kiln.wasm.types.HeapType.Abstract.FUNC : dev.kiln.wasm.types.HeapType.Abstract.ANY;
      default -> throw new IllegalStateException("not a closed heap type: " + heap);
    };
  }

  /**
   * A value Java hands to {@code store}: a funcref's handle becomes the address it stands for, an
   * {@link AnyRef} or {@link ExnRef} the object's word.
   *
   * @throws IllegalArgumentException if a funcref handle or an object is not one {@code store} gave
   *     out, or a word Java gives lies in the store's GC heap
   */
  private static WasmValue wasmValue(Val value, NativeStore store) {
    if (value instanceof Val.I32(int v)) {
      return new WasmValue.I32(v);
    }
    if (value instanceof Val.I64(long v)) {
      return new WasmValue.I64(v);
    }
    if (value instanceof Val.F32(float v)) {
      return new WasmValue.F32(v);
    }
    if (value instanceof Val.F64(double v)) {
      return new WasmValue.F64(v);
    }
    if (value instanceof Val.V128(long low, long high)) {
      return new WasmValue.V128(low, high);
    }
    if (value instanceof Val.Ref(ValType type, long handle)) {
      return new WasmValue.Ref(representation(type), address(type, handle, store));
    }
    if (value instanceof Val.Gc(ValType type, AnyRef object)) {
      return new WasmValue.Ref(representation(type), object.word(store));
    }
    return new WasmValue.Ref(representation(ValType.EXNREF), ((Val.Exn) value).exception().word(store));
  }

  /**
   * The bits of reference {@code handle} of {@code type} that Java hands to {@code store}: a
   * funcref handle's address; an externref or anyref word as it is, unless it lies in the store's GC
   * heap, where it would be taken for an object (or become one as the heap grows): objects come
   * back only as the {@link Val.Gc} Java got for them.
   */
  static long address(ValType type, long handle, NativeStore store) {
    if (type == ValType.FUNCREF) {
      return FunctionHandles.of(store).address(handle);
    }
    if (handle != 0 && store.inGcHeap(handle)) {
      // The word is not echoed: inside the heap it is a host address, and messages show none.
      throw new IllegalArgumentException("a reference word given by Java lies in the GC heap of " + store
          + ": a struct or array goes back to wasm only as the Val.Gc Java received for it");
    }
    return handle;
  }

  /**
   * A value Java hands to {@code store} for a slot of closed type {@code slotType}: an argument, a
   * host function's result, a global, a table element, a host-thrown exception's payload value.
   * Every way from Java into a store goes through here, so every one compares the value's {@link
   * Val#type()} with the slot's (an {@link ExnRef} or an anyref word is no externref, red team 14
   * F3) and gives a reference the slot's representation, not the value's (the artifact represents a
   * concrete struct or array type as a funcref, wasm.types.RefType.kind, red team 14 F2). The store
   * then checks a reference against {@code slotType} itself ({@code NativeStore.checkReference}).
   * Run it under the store's hold that hands the value in: an object's word is current only then.
   *
   * @param what the value, for the message ({@code "argument 0"})
   * @param slot the slot, for the message ({@code "the parameter"})
   * @throws IllegalArgumentException if the value is Java's null or of another type, or a funcref
   *     handle or an object is not one {@code store} gave out
   */
  static WasmValue wasmValue(Val value, ValueType slotType, NativeStore store, String what, String slot) {
    ValType expected = apiType(slotType);
    if (value == null) {
      throw new IllegalArgumentException(what + " is a Java null, not a value (a null reference is Val.nullRef)");
    }
    if (value.type() != expected) {
      // the API's types only: the artifact's representation (funcref for a struct type) is Kiln's own
      throw new IllegalArgumentException(what + " is a " + value.type() + ", " + slot + " a "
          + preciseType(slotType, store.types()));
    }
    WasmValue converted = wasmValue(value, store);
    return converted instanceof WasmValue.Ref ref ? new WasmValue.Ref(representationOf(slotType), ref.address())
        : converted;
  }

  /** {@link #wasmValue(Val, ValueType, NativeStore, String, String)} of each of {@code values}. */
  static List<WasmValue> wasmValues(List<Val> values, List<? extends ValueType> slotTypes, NativeStore store,
      String what, String slot) {
    if (values.size() != slotTypes.size()) {
      throw new IllegalArgumentException(what + "s: " + values.size() + " values, " + slotTypes.size() + " expected");
    }
    List<WasmValue> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      out.add(wasmValue(values.get(i), slotTypes.get(i), store, what + " " + i, slot + " " + i));
    }
    return out;
  }

  /** The closed type a WebAssembly 2.0 type of the API stands for (a host function's parameter or result). */
  static ValueType closedType(ValType type) {
    return ValueType.of(dev.kiln.wasm.types.ValType.valueOf(type.name()));
  }

  /** A host function's arguments, of closed types {@code types}, as Java sees them ({@link #val}). */
  static List<Val> vals(List<WasmValue> values, List<ValueType> types, NativeStore store) {
    List<Val> out = new ArrayList<>(values.size());
    for (int i = 0; i < values.size(); i++) {
      out.add(val(values.get(i), types.get(i), store));
    }
    return out;
  }
}
