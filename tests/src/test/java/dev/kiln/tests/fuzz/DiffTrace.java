package dev.kiln.tests.fuzz;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.codegen.Backend;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.ExternKind;
import dev.kiln.wasm.module.Module;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The normalised trace of one generated module on one engine, the unit differential fuzzing
 * compares: for each exported function in export order, "call NAME", the fuzzing-support log calls
 * it made ("log i32 5"), then "result ..." with its typed results or "trap". Floats are compared by
 * their bits as f64 (an f32 widens exactly), every NaN as "nan": binaryen's --denan keeps NaNs out of
 * the arithmetic whose results the spec leaves nondeterministic, and a NaN reaching a log or a
 * result is only compared as a NaN. A v128 (a result, or a "log-v128" call) is its two 64-bit
 * halves in hex, low first, bit for bit: "v128 3ff0000000000000 0". Exports take zero arguments of
 * every type. The same format is printed by the Node reference
 * (src/test/resources/difffuzz/reference.mjs).
 */
final class DiffTrace {
  /** Binaryen -ttf's hang-limit reset, called before each export as its --fuzz-exec does. */
  static final String HANG_LIMIT_RESET = "hangLimitInitializer";

  /** One export to call: its name and its signature as type letters. */
  record Call(String name, String params, String results) {
    String protocol() {
      return name + "=" + params + ">" + results;
    }
  }

  private DiffTrace() {}

  /** The exported functions of {@code module} whose types the protocol carries, in export order. */
  static List<Call> calls(Module module) {
    List<Call> calls = new ArrayList<>();
    for (Export e : module.exports()) {
      if (e.kind() != ExternKind.FUNC || e.name().equals(HANG_LIMIT_RESET)) {
        continue;
      }
      var type = module.types().get(module.functionTypeIndex(e.index()));
      String params = letters(type.params());
      String results = letters(type.results());
      if (params != null && results != null) {
        calls.add(new Call(e.name(), params, results));
      }
    }
    return calls;
  }

  private static String letters(List<dev.kiln.wasm.types.ValType> types) {
    StringBuilder s = new StringBuilder();
    for (var t : types) {
      switch (t) {
        case I32 -> s.append('i');
        case I64 -> s.append('I');
        case F32 -> s.append('f');
        case F64 -> s.append('F');
        case V128 -> s.append('v');
        default -> {
          return null;
        }
      }
    }
    return s.toString();
  }

  /**
   * Runs {@code calls} on Kiln: {@code module} compiled by {@code backend} on this thread alone (the
   * fuzzer runs both targets at once, so a compile pool per module would only add threads), run for
   * {@code target}; the compile and the run are timed in {@code times}.
   */
  static List<String> kiln(Module module, Backend backend, Target target, List<Call> calls,
      PhaseTimes times) {
    String name = target.name().toLowerCase(Locale.ROOT);
    byte[] artifact = times.time("compile " + name,
        () -> Artifacts.compile(module, backend, new CompileOptions(1)));
    return times.time("run " + name, () -> run(artifact, target, calls));
  }

  private static List<String> run(byte[] artifact, Target target, List<Call> calls) {
    List<String> trace = new ArrayList<>();
    try (NativeStore store = new NativeStore(); LoadedModule loaded = LoadedModule.fromBytes(artifact, null)) {
      ImportNamespace linker = new ImportNamespace(store, target);
      log(linker, trace, "log-i32", ValType.I32);
      log(linker, trace, "log-i64", ValType.I64);
      log(linker, trace, "log-f32", ValType.F32);
      log(linker, trace, "log-f64", ValType.F64);
      log(linker, trace, "log-v128", ValType.V128);
      LoadedInstance instance;
      try {
        instance = linker.instantiate(loaded);
      } catch (TrapException t) {
        return List.of("instantiate trap");
      }
      try (instance) {
        boolean reset = instance.export(HANG_LIMIT_RESET).isPresent();
        for (Call call : calls) {
          trace.add("call " + call.name());
          try {
            if (reset) {
              instance.invoke(HANG_LIMIT_RESET);
            }
            StringBuilder line = new StringBuilder("result");
            for (WasmValue v : instance.invoke(call.name(), zeros(call.params()))) {
              line.append(' ').append(show(v));
            }
            trace.add(line.toString());
          } catch (TrapException t) {
            trace.add("trap");
          }
        }
      }
    }
    return trace;
  }

  /** One zero argument per type letter of {@code params}. */
  private static List<WasmValue> zeros(String params) {
    List<WasmValue> zeros = new ArrayList<>();
    for (char letter : params.toCharArray()) {
      ValType type = switch (letter) {
        case 'i' -> ValType.I32;
        case 'I' -> ValType.I64;
        case 'f' -> ValType.F32;
        case 'F' -> ValType.F64;
        default -> ValType.V128;
      };
      zeros.add(WasmValue.ofBits(type, 0, 0));
    }
    return zeros;
  }

  private static void log(ImportNamespace linker, List<String> trace, String name, ValType type) {
    linker.defineFunction("fuzzing-support", name, new FuncType(List.of(type), List.of()), args -> {
      trace.add("log " + show(args.get(0)));
      return List.of();
    });
  }

  private static String show(WasmValue v) {
    return switch (v) {
      case WasmValue.I32 i -> "i32 " + i.value();
      case WasmValue.I64 l -> "i64 " + l.value();
      case WasmValue.F32 f -> "f32 " + bits(f.value());
      case WasmValue.F64 d -> "f64 " + bits(d.value());
      case WasmValue.V128 x -> "v128 " + Long.toHexString(x.low()) + " " + Long.toHexString(x.high());
      default -> throw new IllegalStateException("unexpected result " + v);
    };
  }

  private static String bits(double value) {
    return Double.isNaN(value) ? "nan" : Long.toHexString(Double.doubleToRawLongBits(value));
  }
}
