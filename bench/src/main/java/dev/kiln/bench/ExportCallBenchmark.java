package dev.kiln.bench;

import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.wasm.Parser;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.ValRaw;
import dev.kiln.runtime.DirectCall;
import dev.kiln.runtime.Engine;
import dev.kiln.runtime.Func;
import dev.kiln.runtime.Instance;
import dev.kiln.runtime.Linker;
import dev.kiln.runtime.Store;
import dev.kiln.runtime.Val;
import dev.kiln.runtime.WasmModule;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.IntBinaryOperator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One call of {@code add: (i32 i32) -> (i32)} ({@code examples/hello.wasm}) from Java, each way:
 * <ul>
 *   <li>{@code directCall}: {@link DirectCall}, what the classes {@code kiln-maven-plugin} generates
 *       call ({@code (int) add.call(a, b)});
 *   <li>{@code typedHandle}: {@code instance.func("add", IntBinaryOperator.class)}, which is a
 *       {@link DirectCall} inside;
 *   <li>{@code confinedDirectCall}, {@code confinedTypedHandle}: the same two in a store {@linkplain
 *       Store.Builder#confined() confined} to the benchmark's thread, whose claim needs no fence;
 *   <li>{@code funcCall}: {@link Func#call} with {@link Val}s;
 *   <li>{@code downcall}: the floor, an FFM downcall {@link MethodHandle} bound to the export's
 *       entry (its array-to-wasm trampoline: Kiln's code is entered only that way,
 *       docs/ARCHITECTURE.md section 4) with its value slots prepared, and none of the store's
 *       bookkeeping (claim, stack floor, closed checks) around it;
 *   <li>{@code cAbs}: an FFM downcall {@link MethodHandle} of the C library's {@code abs}, the
 *       JVM's own cost of a (non-critical) downcall on this machine with no Kiln code in it: the
 *       thread-state transitions to native and back, which {@code downcall} pays too (issue 42:
 *       the floor is mostly this);
 *   <li>{@code chicory}: Chicory 1.7.5's export of the same module compiled to JVM bytecode
 *       ({@code MachineFactoryCompiler}), {@code apply(long...)}.
 * </ul>
 * Run with {@code bench/run export-call}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class ExportCallBenchmark {
  /** The first argument; {@link ExportCallCpuTime} changes it between calls. */
  int a = 2;
  private int b = 40;

  private Store store;
  private DirectCall direct;
  private IntBinaryOperator typed;
  private Func func;
  private Store confinedStore;
  private DirectCall confinedDirect;
  private IntBinaryOperator confinedTyped;

  private LoadedModule loaded;
  private dev.kiln.loader.runtime.NativeStore loaderStore;
  private dev.kiln.loader.instance.LoadedInstance loaderInstance;
  private MethodHandle entry;
  private long vmctx;
  private MemorySegment values;
  private MethodHandle abs;

  private com.dylibso.chicory.runtime.ExportFunction chicoryAdd;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    byte[] wasm = Files.readAllBytes(Path.of(System.getProperty("kiln.root", ".")).resolve("examples/hello.wasm"));
    Engine engine = Engine.create();
    store = new Store(engine);
    Instance instance = new Linker(store).instantiate(WasmModule.compile(engine, wasm));
    direct = instance.func("add").direct();
    typed = instance.func("add", IntBinaryOperator.class);
    func = instance.func("add");
    // JMH runs a thread-scoped state's setup, benchmark and tear-down on the benchmark's thread.
    confinedStore = Store.builder(engine).confined().build();
    Instance confinedInstance = new Linker(confinedStore).instantiate(WasmModule.compile(engine, wasm));
    confinedDirect = confinedInstance.func("add").direct();
    confinedTyped = confinedInstance.func("add", IntBinaryOperator.class);

    loaded = LoadedModule.fromBytes(engine.precompile(wasm), null);
    loaderStore = new dev.kiln.loader.runtime.NativeStore();
    loaderInstance = dev.kiln.loader.instance.LoadedInstance.instantiate(loaded, loaderStore);
    Extern.Function add = (Extern.Function) loaderInstance.export("add").orElseThrow();
    // One call the usual way first: the store context then holds this thread's stack floor.
    add.function().call(new dev.kiln.loader.runtime.WasmValue.I32(1), new dev.kiln.loader.runtime.WasmValue.I32(2));
    MemorySegment funcRef = MemorySegment.ofAddress(add.function().funcRefAddress()).reinterpret(VmLayout.FUNC_REF_SIZE);
    vmctx = funcRef.get(JAVA_LONG, VmLayout.FUNC_REF_VMCTX);
    entry = java.lang.foreign.Linker.nativeLinker().downcallHandle(
        MemorySegment.ofAddress(funcRef.get(JAVA_LONG, VmLayout.FUNC_REF_ARRAY_CALL)),
        FunctionDescriptor.of(JAVA_BOOLEAN, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG));
    values = ValRaw.allocate(Arena.ofAuto(), 2);
    var nativeLinker = java.lang.foreign.Linker.nativeLinker();
    abs = nativeLinker.downcallHandle(nativeLinker.defaultLookup().find("abs").orElseThrow(),
        FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    var chicoryModule = Parser.parse(wasm);
    chicoryAdd = com.dylibso.chicory.runtime.Instance.builder(chicoryModule)
        .withMachineFactory(MachineFactoryCompiler.compile(chicoryModule)).build().export("add");
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    store.close();
    confinedStore.close();
    loaderInstance.close();
    loaderStore.close();
    loaded.close();
  }

  @Benchmark
  public int directCall() {
    return (int) direct.call(a, b);
  }

  @Benchmark
  public int typedHandle() {
    return typed.applyAsInt(a, b);
  }

  @Benchmark
  public int confinedDirectCall() {
    return (int) confinedDirect.call(a, b);
  }

  @Benchmark
  public int confinedTypedHandle() {
    return confinedTyped.applyAsInt(a, b);
  }

  @Benchmark
  public int funcCall() {
    return func.call(Val.i32(a), Val.i32(b)).getFirst().asInt();
  }

  @Benchmark
  public int downcall() throws Throwable {
    ValRaw.setI32(values, 0, a);
    ValRaw.setI32(values, 1, b);
    if (!(boolean) entry.invokeExact(vmctx, vmctx, values.address(), 2L)) {
      throw new IllegalStateException("add trapped");
    }
    return ValRaw.getI32(values, 0);
  }

  @Benchmark
  public int cAbs() throws Throwable {
    return (int) abs.invokeExact(a - b);
  }

  @Benchmark
  public long chicory() {
    return chicoryAdd.apply(a, b)[0];
  }
}
