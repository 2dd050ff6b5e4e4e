package dev.kiln.bench;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.FuncKeyKind;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.index.FunctionIndex;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.wasm.Wasm;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * FuncKey -> code offset through the mapped function index ({@link FunctionIndex#startOf}), per key
 * kind, on a module of thousands of functions ({@link SyntheticModule}: every function defined,
 * every hundredth exported, so ARRAY_TO_WASM keys are sparse). Each operation looks up the next key
 * of the kind in a shuffled cycle, so the branch predictor cannot learn one path. The reverse lookup
 * (text offset -> key, for backtraces) is measured alongside. Issue 5 item 6; Wasmtime's equivalent
 * is O(1) for dense kinds and a binary search for ARRAY_TO_WASM ({@code
 * CompiledFunctionsTable} in Wasmtime's {@code crates/environ/src/module_artifacts.rs}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class FuncKeyLookupBenchmark {
  @Param({"5000", "50000"})
  public int functions;

  private FunctionIndex index;
  private FuncKey[] defined;
  private FuncKey[] arrayToWasm;
  private FuncKey[] builtinTrampolines;
  private int[] textOffsets;
  private int next;

  @Setup(Level.Trial)
  public void compile() {
    CompiledModule compiled = Compiler.compile(Wasm.load(SyntheticModule.build(functions, 4)), X64Backend.forHost(),
        CompileOptions.defaults());
    byte[] bytes = ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), "bench");
    // Off-heap, as the loader's mapped file is.
    MemorySegment file = java.lang.foreign.Arena.ofAuto().allocate(bytes.length, 4096);
    MemorySegment.copy(MemorySegment.ofArray(bytes), 0, file, 0, bytes.length);
    index = CwasmFile.open(file).functions();
    List<FuncKey> d = new ArrayList<>();
    List<FuncKey> a = new ArrayList<>();
    List<FuncKey> b = new ArrayList<>();
    List<Integer> offsets = new ArrayList<>();
    for (FunctionIndex.Entry e : index) {
      switch (e.key().kind()) {
        case DEFINED_WASM_FUNCTION -> d.add(e.key());
        case ARRAY_TO_WASM_TRAMPOLINE -> a.add(e.key());
        case WASM_TO_BUILTIN_TRAMPOLINE, BUILTIN -> b.add(e.key());
        default -> {}
      }
      offsets.add(e.range().start() + e.range().length() / 2);
    }
    defined = shuffled(d);
    arrayToWasm = shuffled(a);
    builtinTrampolines = shuffled(b);
    java.util.Collections.shuffle(offsets, new java.util.Random(7));
    textOffsets = offsets.stream().mapToInt(Integer::intValue).toArray();
  }

  private static FuncKey[] shuffled(List<FuncKey> keys) {
    List<FuncKey> copy = new ArrayList<>(keys);
    java.util.Collections.shuffle(copy, new java.util.Random(42));
    return copy.toArray(FuncKey[]::new);
  }

  private int lookup(FuncKey[] keys) {
    int i = next++;
    return index.startOf(keys[Math.floorMod(i, keys.length)]);
  }

  @Benchmark
  public int definedWasmFunction() {
    return lookup(defined);
  }

  @Benchmark
  public int arrayToWasmTrampoline() {
    return lookup(arrayToWasm);
  }

  @Benchmark
  public int builtinTrampoline() {
    return lookup(builtinTrampolines);
  }

  /** pc -> key (backtraces, profilers): binary search over slot starts, then runs and namespaces. */
  @Benchmark
  public Object reverse() {
    int i = next++;
    return index.keyAt(textOffsets[Math.floorMod(i, textOffsets.length)]);
  }

  /** For the report: how many keys of each kind the module has. */
  public static String describe(FunctionIndex index) {
    java.util.EnumMap<FuncKeyKind, Integer> counts = new java.util.EnumMap<>(FuncKeyKind.class);
    for (FunctionIndex.Entry e : index) {
      counts.merge(e.key().kind(), 1, Integer::sum);
    }
    return counts.toString();
  }
}
