package dev.kiln.runtime;

import dev.kiln.artifact.info.Export;
import dev.kiln.artifact.info.ImportDesc;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.runtime.WasmValue;
import java.util.ArrayList;
import java.util.List;

/**
 * The API's types to and from the internal ones they stand for. The API keeps its own copies of
 * these small types so no internal module's class appears in its signatures, and the internals
 * can change without breaking embedders.
 */
final class Conversions {
  private Conversions() {}

  static dev.kiln.artifact.Target target(Target target) {
    return switch (target) {
      case X86_64 -> dev.kiln.artifact.Target.X86_64;
      case AARCH64 -> dev.kiln.artifact.Target.AARCH64;
    };
  }

  static Target target(dev.kiln.artifact.Target target) {
    return switch (target) {
      case X86_64 -> Target.X86_64;
      case AARCH64 -> Target.AARCH64;
    };
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

  static FuncType funcType(dev.kiln.artifact.info.FuncType type) {
    // Made for every function handle (a typed handle per request, issue 41): a loop, not a stream.
    return new FuncType(valTypes(type.params()), valTypes(type.results()));
  }

  private static java.util.List<ValType> valTypes(java.util.List<dev.kiln.artifact.info.ValType> types) {
    ValType[] api = new ValType[types.size()];
    for (int i = 0; i < api.length; i++) {
      api[i] = valType(types.get(i));
    }
    return java.util.List.of(api);
  }

  static dev.kiln.artifact.info.FuncType funcType(FuncType type) {
    return new dev.kiln.artifact.info.FuncType(type.params().stream().map(Conversions::valType).toList(),
        type.results().stream().map(Conversions::valType).toList());
  }

  /** The type an import declares, in the API's terms. */
  static ExternType externType(ModuleInfo info, ImportDesc desc) {
    return switch (desc) {
      case ImportDesc.Function f -> funcType(info.types().get(f.typeIndex()));
      case ImportDesc.Table t -> tableType(t.type());
      case ImportDesc.Memory m -> memoryType(m.type());
      case ImportDesc.Global g -> globalType(g.type());
      case ImportDesc.Tag t -> tagType(info.types().get(t.typeIndex()));
    };
  }

  /** The type of what {@code export} names, in the API's terms. */
  static ExternType externType(ModuleInfo info, Export export) {
    return switch (export.kind()) {
      case FUNCTION -> funcType(info.types().get(info.typeOfFunction(export.index())));
      case TABLE -> tableType(info.tableType(export.index()));
      case MEMORY -> memoryType(info.memoryType(export.index()));
      case GLOBAL -> globalType(info.globalType(export.index()));
      case TAG -> tagType(info.types().get(info.tagType(export.index())));
    };
  }

  /** The type of a live entity, in the API's terms. */
  static ExternType externType(Extern extern) {
    return switch (extern) {
      case Extern.Function f -> funcType(f.function().type());
      case Extern.Table t -> tableType(t.table().type());
      case Extern.Memory m -> memoryType(m.memory().type());
      case Extern.Global g -> globalType(g.global().type());
      case Extern.Tag t -> tagType(t.tag().type());
    };
  }

  static TagType tagType(dev.kiln.artifact.info.FuncType type) {
    return new TagType(type.params().stream().map(Conversions::valType).toList());
  }

  static TableType tableType(dev.kiln.artifact.info.TableType type) {
    return new TableType(valType(type.elementType()), type.limits().min(), type.limits().max(), type.is64());
  }

  static MemoryType memoryType(dev.kiln.artifact.info.MemoryType type) {
    return new MemoryType(type.limits().min(), type.limits().max(), type.is64(), type.shared());
  }

  static GlobalType globalType(dev.kiln.artifact.info.GlobalType type) {
    return new GlobalType(valType(type.type()), type.mutable());
  }

  /**
   * A value of {@code store} as Java sees it: a funcref's address becomes the store's handle for
   * it ({@link FunctionHandles}).
   */
  static Val val(WasmValue value, dev.kiln.loader.runtime.NativeStore store) {
    return switch (value) {
      case WasmValue.I32(int v) -> new Val.I32(v);
      case WasmValue.I64(long v) -> new Val.I64(v);
      case WasmValue.F32(float v) -> new Val.F32(v);
      case WasmValue.F64(double v) -> new Val.F64(v);
      case WasmValue.V128(long low, long high) -> new Val.V128(low, high);
      case WasmValue.Ref(var type, long address) -> new Val.Ref(valType(type), ref(type, address, store));
    };
  }

  /**
   * A value Java hands to {@code store}: a funcref's handle becomes the address it stands for.
   *
   * @throws IllegalArgumentException if a funcref handle is not one {@code store} gave out
   */
  static WasmValue wasmValue(Val value, dev.kiln.loader.runtime.NativeStore store) {
    return switch (value) {
      case Val.I32(int v) -> new WasmValue.I32(v);
      case Val.I64(long v) -> new WasmValue.I64(v);
      case Val.F32(float v) -> new WasmValue.F32(v);
      case Val.F64(double v) -> new WasmValue.F64(v);
      case Val.V128(long low, long high) -> new WasmValue.V128(low, high);
      case Val.Ref(ValType type, long handle) -> new WasmValue.Ref(valType(type), address(type, handle, store));
    };
  }

  /** The handle Java sees for reference {@code bits} of {@code type} in {@code store}. */
  static long ref(dev.kiln.artifact.info.ValType type, long bits, dev.kiln.loader.runtime.NativeStore store) {
    return type == dev.kiln.artifact.info.ValType.FUNCREF ? FunctionHandles.of(store).handle(bits) : bits;
  }

  /** The bits of reference {@code handle} of {@code type} that Java hands to {@code store}. */
  static long address(ValType type, long handle, dev.kiln.loader.runtime.NativeStore store) {
    return type == ValType.FUNCREF ? FunctionHandles.of(store).address(handle) : handle;
  }

  static List<Val> vals(List<WasmValue> values, dev.kiln.loader.runtime.NativeStore store) {
    List<Val> out = new ArrayList<>(values.size());
    for (WasmValue v : values) {
      out.add(val(v, store));
    }
    return out;
  }

  static List<WasmValue> wasmValues(List<Val> values, dev.kiln.loader.runtime.NativeStore store) {
    List<WasmValue> out = new ArrayList<>(values.size());
    for (Val v : values) {
      out.add(wasmValue(v, store));
    }
    return out;
  }

}
