package dev.kiln.tests.fuzz;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.gc.ReferenceWord;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.GlobalType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.codegen.Backend;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.loader.global.GlobalInstance;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.HostObjects;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.tests.support.Artifacts;
import dev.kiln.wasm.module.Export;
import dev.kiln.wasm.module.ExternKind;
import dev.kiln.wasm.module.Import;
import dev.kiln.wasm.module.ImportDesc;
import dev.kiln.wasm.module.Module;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.ValueType;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The normalised trace of a WebAssembly 3.0 module (from {@link Wasm3Modules}) on Kiln, in the form
 * {@link BinaryenTrace} makes of binaryen's interpreter: for each export in order "export NAME", then
 * for a function its "log ..." calls and "result ...", "trap" or "exception" (an uncaught wasm
 * exception), for a global "log VALUE". Values are printed the way binaryen prints them, reduced to
 * what both sides can tell exactly: a number as the double it equals ({@link #number}: binaryen logs
 * without types, and splits a logged i64 into two i32), every NaN as "nan", a v128 as binaryen's four
 * i32 lanes, a reference as "null", "function", "i31ref(V)", "externref(P)" (a host extern, P its
 * payload), "externalized" (a wasm value made external) or "object" (a struct or array).
 *
 * <p>The host side is binaryen's fuzzing environment ("fuzzing-support", execution-results.h) where
 * Kiln's host interface can express it: the log functions, "sleep", "call-export" and
 * "call-export-catch" (the export of that index called again with zero arguments). What it cannot
 * (a JS error thrown into wasm by a host function, an exception passing through one, "call-ref")
 * ends the trace with "unmodelled ...": such a module is counted, not compared.
 */
final class Wasm3Trace {
  /** A host function met a case Kiln's host interface cannot reproduce. */
  static final class Unmodelled extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Unmodelled(String what) {
      super(what, null, false, false);
    }
  }

  private static final String SUPPORT = "fuzzing-support";

  private final Module module;
  private final List<String> trace = new ArrayList<>();
  private final Map<Long, Integer> hostExterns = new HashMap<>();
  /** The store of the run: the start function's host calls come before {@link #instance} is set. */
  private NativeStore store;
  /** Null while the start function runs. */
  private LoadedInstance instance;

  private Wasm3Trace(Module module) {
    this.module = module;
  }

  /** {@code module} compiled by {@code backend} and run for {@code target}. */
  static List<String> kiln(Module module, Backend backend, Target target, PhaseTimes times) {
    String name = target.name().toLowerCase(Locale.ROOT);
    byte[] artifact = times.time("compile " + name,
        () -> Artifacts.compile(module, backend, new CompileOptions(1)));
    return times.time("run " + name, () -> new Wasm3Trace(module).run(artifact, target));
  }

  private List<String> run(byte[] artifact, Target target) {
    try (NativeStore store = new NativeStore(); LoadedModule loaded = LoadedModule.fromBytes(artifact, null)) {
      this.store = store;
      ImportNamespace linker = new ImportNamespace(store, target);
      for (Import i : module.imports()) {
        link(linker, store, i);
      }
      LoadedInstance running;
      try {
        running = linker.instantiate(loaded);
      } catch (TrapException t) {
        // the start function's host call, as an export's (callExport)
        Unmodelled unmodelled = unmodelledCause(t);
        trace.add(unmodelled != null ? "unmodelled " + unmodelled.getMessage() : outcome(t));
        return trace;
      } catch (ModuleInstantiationException segmentOutOfBounds) {
        // An active segment out of bounds traps instantiation (spec 4.5.4), as binaryen's "[trap ...]".
        trace.add("trap");
        return trace;
      }
      // Host functions ("call-export") call back into it.
      instance = running;
      try (running) {
        for (Export e : module.exports()) {
          if (e.kind() == ExternKind.FUNC) {
            trace.add("export " + e.name());
            if (!callExport(e)) {
              break;
            }
          } else if (e.kind() == ExternKind.GLOBAL) {
            trace.add("export " + e.name());
            GlobalInstance g = ((Extern.Global) instance.export(e.name()).orElseThrow()).global();
            trace.add("log " + show(g.get(), g.preciseType()));
          }
        }
      }
    }
    return trace;
  }

  /** Calls export {@code e} as binaryen's fuzz-exec does; false if the trace ends here. */
  private boolean callExport(Export e) {
    var type = module.types().get(module.functionTypeIndex(e.index()));
    List<WasmValue> zeros = new ArrayList<>();
    for (ValueType p : type.paramTypes()) {
      if (p instanceof RefType r && !r.nullable()) {
        trace.add("trap");
        return true;
      }
      zeros.add(zero(p));
    }
    try {
      StringBuilder line = new StringBuilder("result");
      List<WasmValue> results = instance.invoke(e.name(), zeros);
      for (int i = 0; i < results.size(); i++) {
        line.append(' ').append(show(results.get(i), type.resultTypes().get(i)));
      }
      if (!results.isEmpty()) {
        trace.add(line.toString());
      }
      return true;
    } catch (RuntimeException failure) {
      Unmodelled unmodelled = unmodelledCause(failure);
      if (unmodelled != null) {
        trace.add("unmodelled " + unmodelled.getMessage());
        return false;
      }
      for (Throwable t = failure; t != null; t = t.getCause()) {
        if (t instanceof TrapException trap) {
          trace.add(outcome(trap));
          return true;
        }
      }
      throw failure;
    }
  }

  /**
   * The {@link Unmodelled} behind {@code failure}, or null. A host function's exception reaches the
   * caller of the export as the cause of a {@code HOST_FUNCTION_FAILED} {@link TrapException}, so
   * the whole chain is searched before any trap in it counts: that trap is the harness's own "cannot
   * model this", not the module's (seed 1058: a {@code call-ref-catch} traced as "trap" where binaryen
   * went on to run the function it was given).
   */
  static Unmodelled unmodelledCause(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof Unmodelled u) {
        return u;
      }
    }
    return null;
  }

  private static String outcome(TrapException t) {
    if (t.code() == TrapCode.HOST_FUNCTION_FAILED && t.getCause() instanceof RuntimeException own
        && !(own instanceof TrapException)) {
      // A host function of this harness failed (seed 18791: a NullPointerException traced as
      // "trap"): a defect of the harness, not the module's trap. It fails the run ("kiln failed").
      throw new IllegalStateException("a fuzzing-support host function failed", own);
    }
    return t.getMessage() != null && t.getMessage().contains("uncaught exception") ? "exception" : "trap";
  }

  private static WasmValue zero(ValueType t) {
    ValType kind = ValType.ofCode(t.kind().code()).orElseThrow();
    return switch (kind) {
      case I32 -> new WasmValue.I32(0);
      case I64 -> new WasmValue.I64(0);
      case F32 -> new WasmValue.F32(0);
      case F64 -> new WasmValue.F64(0);
      case V128 -> new WasmValue.V128(0, 0);
      case FUNCREF, EXTERNREF -> new WasmValue.Ref(kind, 0);
    };
  }

  private void link(ImportNamespace linker, NativeStore store, Import i) {
    switch (i.desc()) {
      case ImportDesc.Func f -> {
        var wasmType = module.types().get(f.typeIndex());
        FuncType type = new FuncType(kinds(wasmType.paramTypes()), kinds(wasmType.resultTypes()));
        linker.defineFunction(i.module(), i.name(), type, args -> host(i.name(), wasmType.paramTypes(), args));
      }
      case ImportDesc.Global g -> {
        // binaryen's resolver gives an immutable externref global import an extern of a payload.
        int payload = FuzzImportRewriter.externPayload(i.module(), i.name());
        long word = externWord(payload);
        hostExterns.put(word, payload);
        GlobalType type = new GlobalType(ValType.EXTERNREF, false);
        // A host global's precise type is its representation's (externref); binaryen's fuzzer also
        // imports (ref extern), which only a global of that precise type matches (spec 3.0 4.5.2.x).
        GlobalInstance global = HostObjects.create(store, "fuzzing extern " + payload, (arena, lifetime) -> {
          MemorySegment slot = arena.allocate(VmLayout.GLOBAL_SIZE, VmLayout.GLOBAL_SIZE);
          // The slot's first word is the value (VmLayout's global slot); an immutable global is set here.
          slot.set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN), 0, word);
          return GlobalInstance.over(slot, type, g.type().type(), lifetime);
        });
        linker.define(i.module(), i.name(), new Extern.Global(global));
      }
      default -> throw new IllegalStateException("binaryen's fuzzer imports no " + i.desc().kind() + ": " + i);
    }
  }

  /** A host extern's word: even (bit 0 marks an i31, ReferenceWord) and far below any heap. */
  private static long externWord(int payload) {
    return 0x1000L + 16L * payload;
  }

  private static List<ValType> kinds(List<ValueType> types) {
    return types.stream().map(t -> ValType.ofCode(t.kind().code()).orElseThrow()).toList();
  }

  private List<WasmValue> host(String name, List<ValueType> params, List<WasmValue> args) {
    if (name.startsWith("log")) {
      StringBuilder line = new StringBuilder("log");
      for (int i = 0; i < args.size(); i++) {
        if (args.get(i) instanceof WasmValue.I64 l) {
          // binaryen logs an i64 as its two i32 halves, low first.
          line.append(' ').append(number((int) l.value())).append(' ').append(number((int) (l.value() >> 32)));
        } else {
          line.append(' ').append(show(args.get(i), params.get(i)));
        }
      }
      trace.add(line.toString());
      return List.of();
    }
    return switch (name) {
      case "sleep" -> List.of(args.get(1));
      case "call-export" -> {
        callFromHost(((WasmValue.I32) args.get(0)).value(), false);
        yield List.of();
      }
      case "call-export-catch" -> List.of(new WasmValue.I32(callFromHost(((WasmValue.I32) args.get(0)).value(), true)));
      default -> throw new Unmodelled(name);
    };
  }

  /**
   * binaryen's callExportAsJS: export {@code index} (of all exports) called with zeros; 1 if {@code
   * catching} and it threw a wasm exception or could not be called from JS (no such function, a
   * type JS cannot pass: binaryen 132 throws a JS exception then, which the catching call catches
   * as well), else 0. A JS error or an exception escaping a non-catching call would be thrown into
   * wasm: unmodelled.
   */
  private int callFromHost(int index, boolean catching) {
    // From the start function: binaryen's exports do not exist yet, a JS error (callExportAsJS).
    if (instance == null || index < 0 || index >= module.exports().size()
        || module.exports().get(index).kind() != ExternKind.FUNC) {
      return jsError(catching);
    }
    Export e = module.exports().get(index);
    var type = module.types().get(module.functionTypeIndex(e.index()));
    List<WasmValue> zeros = new ArrayList<>();
    for (ValueType p : type.paramTypes()) {
      if (p == dev.kiln.wasm.types.ValType.I64 || !jsCanPass(p) || p instanceof RefType r && !r.nullable()) {
        return jsError(catching);
      }
      zeros.add(zero(p));
    }
    for (ValueType r : type.resultTypes()) {
      if (!jsCanPass(r)) {
        return jsError(catching);
      }
    }
    try {
      instance.invoke(e.name(), zeros);
      return 0;
    } catch (TrapException t) {
      if (outcome(t).equals("exception")) {
        if (catching) {
          return 1;
        }
        throw new Unmodelled("exception through call-export");
      }
      throw t;
    }
  }

  /** A JS error of callExportAsJS: caught by call-export-catch (1), thrown into wasm by call-export. */
  private static int jsError(boolean catching) {
    if (catching) {
      return 1;
    }
    throw new Unmodelled("call-export JS error");
  }

  /** binaryen's trapsOnJSBoundary, negated: v128 and exception references do not cross to JS. */
  private static boolean jsCanPass(ValueType t) {
    if (t == dev.kiln.wasm.types.ValType.V128) {
      return false;
    }
    return !(t instanceof RefType r && r.heap() instanceof HeapType.Abstract a
        && (a.top() == HeapType.Abstract.EXN));
  }

  private String show(WasmValue v, ValueType type) {
    return switch (v) {
      case WasmValue.I32 i -> number(i.value());
      case WasmValue.I64 l -> number(l.value());
      case WasmValue.F32 f -> Float.isNaN(f.value()) ? "nan" : number(f.value());
      case WasmValue.F64 d -> Double.isNaN(d.value()) ? "nan" : number(d.value());
      case WasmValue.V128 x -> String.format("i32x4 0x%08x 0x%08x 0x%08x 0x%08x", (int) x.low(),
          (int) (x.low() >>> 32), (int) x.high(), (int) (x.high() >>> 32));
      case WasmValue.Ref r -> reference(r.address(), (RefType) type);
      default -> throw new IllegalStateException("unexpected value " + v);
    };
  }

  /**
   * A reference word (ReferenceWord's encoding) of {@code type}, as binaryen's printValue shows it: an
   * extern-typed value that is no host extern was made by {@code extern.convert_any}; otherwise the
   * word itself tells an i31, a heap object, a host extern (internalised) and a function apart.
   */
  private String reference(long word, RefType type) {
    if (word == ReferenceWord.NULL) {
      return "null";
    }
    if (hostExterns.containsKey(word)) {
      return "externref(" + hostExterns.get(word) + ")";
    }
    HeapType.Abstract top = type.heap() instanceof HeapType.Abstract a ? a.top() : null;
    if (top == HeapType.Abstract.EXTERN) {
      return "externalized";
    }
    if (top == HeapType.Abstract.EXN) {
      // binaryen 132 prints a non-null exnref result as it prints a heap object ("object(null)").
      return "object";
    }
    if (type.kind() == dev.kiln.wasm.types.ValType.EXTERNREF && ReferenceWord.isI31(word)) {
      return "i31ref(" + ReferenceWord.i31Signed(word) + ")";
    }
    return store.inGcHeap(word) ? "object" : "function";
  }

  /** A number as binaryen's print of it reads back: the double it equals. */
  static String number(double value) {
    return Double.toString(value);
  }
}
