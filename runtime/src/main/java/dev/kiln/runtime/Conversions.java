package dev.kiln.runtime;

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
    return ValType.valueOf(type.name());
  }

  static dev.kiln.artifact.info.ValType valType(ValType type) {
    return dev.kiln.artifact.info.ValType.valueOf(type.name());
  }

  static FuncType funcType(dev.kiln.artifact.info.FuncType type) {
    return new FuncType(type.params().stream().map(Conversions::valType).toList(),
        type.results().stream().map(Conversions::valType).toList());
  }

  static dev.kiln.artifact.info.FuncType funcType(FuncType type) {
    return new dev.kiln.artifact.info.FuncType(type.params().stream().map(Conversions::valType).toList(),
        type.results().stream().map(Conversions::valType).toList());
  }

  static ExternKind kind(dev.kiln.artifact.info.ExternKind kind) {
    return ExternKind.valueOf(kind.name());
  }

  static Val val(WasmValue value) {
    return switch (value) {
      case WasmValue.I32(int v) -> new Val.I32(v);
      case WasmValue.I64(long v) -> new Val.I64(v);
      case WasmValue.F32(float v) -> new Val.F32(v);
      case WasmValue.F64(double v) -> new Val.F64(v);
      case WasmValue.V128(long low, long high) -> new Val.V128(low, high);
      case WasmValue.Ref(var type, long address) -> new Val.Ref(valType(type), address);
    };
  }

  static WasmValue wasmValue(Val value) {
    return switch (value) {
      case Val.I32(int v) -> new WasmValue.I32(v);
      case Val.I64(long v) -> new WasmValue.I64(v);
      case Val.F32(float v) -> new WasmValue.F32(v);
      case Val.F64(double v) -> new WasmValue.F64(v);
      case Val.V128(long low, long high) -> new WasmValue.V128(low, high);
      case Val.Ref(ValType type, long handle) -> new WasmValue.Ref(valType(type), handle);
    };
  }

  static List<Val> vals(List<WasmValue> values) {
    List<Val> out = new ArrayList<>(values.size());
    for (WasmValue v : values) {
      out.add(val(v));
    }
    return out;
  }

  static List<WasmValue> wasmValues(List<Val> values) {
    List<WasmValue> out = new ArrayList<>(values.size());
    for (Val v : values) {
      out.add(wasmValue(v));
    }
    return out;
  }
}
