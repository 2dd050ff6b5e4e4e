package dev.kiln.compiler.driver;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.vm.Builtin;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.CompiledFunction;
import dev.kiln.codegen.LoweredFunction;
import dev.kiln.codegen.UnsupportedLoweringException;
import dev.kiln.codegen.abi.HostCallFailure;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.compiler.inline.Inliner;
import dev.kiln.compiler.link.CompiledFunctions;
import dev.kiln.compiler.link.CompiledFunctions.Held;
import dev.kiln.compiler.link.CompiledFunctions.Resident;
import dev.kiln.compiler.link.FunctionSpill;
import dev.kiln.compiler.translate.EscapingFunctions;
import dev.kiln.compiler.translate.FuncTranslator;
import dev.kiln.compiler.translate.IrSizeLimit;
import dev.kiln.compiler.translate.LazyTableInitBuiltin;
import dev.kiln.compiler.translate.MemoryGrowBuiltin;
import dev.kiln.compiler.translate.ModuleEnvironment;
import dev.kiln.ir.Function;
import dev.kiln.ir.ReusedGraph;
import dev.kiln.ir.Signature;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.CompileTimeoutException;
import dev.kiln.deadline.Phase;
import dev.kiln.wasm.ImplementationLimitException;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.FunctionBody;
import dev.kiln.wasm.module.ImportDesc;
import dev.kiln.wasm.module.Module;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Compiles a validated module with a backend: every defined function (translated to IR, then
 * compiled), an ARRAY_TO_WASM trampoline for every escaping defined function and for a defined
 * start function, the trap handler under {@code wasmToBuiltinTrampoline(Builtin.TRAP)}, the
 * WASM_TO_BUILTIN trampoline of every other builtin, and a WASM_TO_ARRAY trampoline for the type of
 * every imported function (how the loader links a host function into an import).
 *
 * <p><b>Parallelism.</b> Functions are independent (docs/ARCHITECTURE.md section 2), so they are
 * compiled by {@link CompileOptions#jobs()} threads taking them from a shared list (small ones
 * first while the JVM warms up, then the large ones largest first: {@link #schedule}). Each
 * result lands in the slot of its own index and the slots become a sorted map afterwards, so the
 * output does not depend on scheduling. Every function is attempted (but those inlined away); when
 * several fail, the one with the lowest function index is reported, so the error is deterministic
 * too.
 *
 * <p><b>Inlining.</b> With {@link CompileOptions#inlining()}, each translated function gets its
 * small direct callees inlined ({@link Inliner}, one per compile, which all threads share) before
 * the backend compiles it; a callee every call of which was inlined is not compiled at all, the
 * host being unable to enter it ({@link #runUntilCalledCompiled}), as the linker's gc-sections
 * would drop it.
 *
 * <p><b>Memory.</b> A module of {@link #SPILL_FROM_BODY_BYTES} bytes of function bodies or more keeps
 * each finished function in a {@link FunctionSpill} (an unnamed file in {@code java.io.tmpdir}),
 * not in the heap: the worker writes it there as soon as it is compiled, and the linker reads it
 * back, one function at a time. So the compile holds the functions in flight, not every finished
 * one (yosys's were some 85 MB at the link, and grew with the module): of each finished one, only
 * its size, its allocator's move counts and its callees, packed a byte or two each, stay in the heap
 * for the link ({@link FunctionSpill.Spilled}). Where no such file can be made, or the disk fills,
 * the functions stay in memory: the spill spares memory, it changes nothing the compile makes. The
 * functions in flight are bounded by their bodies' bytes ({@link InFlightBudget}: the heap at 1 KB
 * a byte), so huge functions are compiled one at a time rather than side by side.
 *
 * <p><b>Deadline.</b> The {@link CompileDeadline} bound by the caller (which then covers decoding
 * and writing the artifact too), else one made from {@link CompileOptions#timeout()}, is polled by
 * the module-level work on the calling thread, checked before each job and polled inside the phases
 * of each (bound to the worker's thread),
 * and the first {@link CompileTimeoutException} ends the whole compile, unwrapped; the other
 * workers stop at their next poll.
 *
 * <p><b>Refused functions.</b> A function the translator or backend refuses (an
 * {@link UnsupportedFeatureException}) fails the compile, unless
 * {@link CompileOptions#refusedFunctionsTrap()} is set: then {@link Backend#unsupportedStub} stands
 * in for it, under the same key and with the same calling convention, so its callers and its
 * trampoline compile and link as usual and reaching it traps with {@code TrapCode.UNSUPPORTED}; the
 * refusal is listed in {@link CompiledModule#refusals()}. A refused trampoline, or a function whose
 * signature has no IR form (reference types), still fails the compile, and so does a function
 * whose IR outgrows Kiln's limit ({@link dev.kiln.compiler.translate.IrSizeLimit}), or whose code
 * passes the module's code budget ({@link CodeSizeLimit}): an {@link ImplementationLimitException},
 * never a stub.
 *
 * <p><b>Roots</b> for the linker's gc-sections: every ARRAY_TO_WASM trampoline (the host's and, via
 * a VMFuncRef, a table's or {@code ref.func}'s entry into an escaping function; the loader's entry
 * into the start function), the functions they enter (a VMFuncRef also holds the wasm-convention
 * address), and the trap handler (the loader needs it even if no code calls it).
 *
 * <p><b>Builtins.</b> Every builtin's trampoline is compiled, whether or not any function calls it,
 * and none is a root: the linker's gc-sections keeps exactly the ones live code calls, so finding
 * out which builtins the functions reference would duplicate what the linker already computes.
 * A trampoline is a handful of bytes and there are {@link Builtin#COUNT} of them, so the unused
 * ones cost nothing measurable.
 */
public final class Compiler {
  /** The FuncKey module field of a single-module artifact. */
  public static final int MODULE = 0;

  /**
   * The function body bytes from which a module's finished functions are kept in a file until the
   * link ({@link FunctionSpill}): about 8 MB of code and tables. Below it, the file's cost (a
   * create, a write and a read of each function) buys little.
   */
  public static final long SPILL_FROM_BODY_BYTES = 4_000_000;

  private Compiler() {}

  /**
   * Compiles {@code validatedModule}.
   *
   * @throws UnsupportedFeatureException if a function uses something not translated yet, or that
   *     the backend cannot lower yet
   * @throws FunctionCompileException if translating or compiling a function failed otherwise
   */
  public static CompiledModule compile(Module validatedModule, Backend backend, CompileOptions options) {
    return compile(validatedModule, backend, options, CompileProgress.NONE);
  }

  /**
   * The translation environment of {@code validatedModule} for code from {@code backend} with the
   * code settings of {@code options} as they apply to its target ({@link CompileOptions#forTarget}).
   */
  public static ModuleEnvironment environment(Module validatedModule, Backend backend, CompileOptions options) {
    CompileOptions applied = options.forTarget(backend.target());
    return new ModuleEnvironment(validatedModule, MODULE, applied.tableLazyInit(), applied.limits(),
        applied.memoryGuard());
  }

  /**
   * Compiles {@code validatedModule}, telling {@code progress} as each function is done (from the
   * worker threads). The output is the same as without it.
   *
   * @throws UnsupportedFeatureException if a function uses something not translated yet, or that
   *     the backend cannot lower yet
   * @throws FunctionCompileException if translating or compiling a function failed otherwise
   */
  public static CompiledModule compile(Module validatedModule, Backend backend, CompileOptions options,
      CompileProgress progress) {
    return compile(validatedModule, backend, options, progress, CodeSizeLimit.MIN_LIMIT);
  }

  /**
   * Compiles {@code validatedModule} with a code budget whose floor is {@code codeFloor} ({@link
   * CodeSizeLimit#MIN_LIMIT} but in tests, which reach the budget's per-byte part with small modules).
   */
  static CompiledModule compile(Module validatedModule, Backend sharedBackend, CompileOptions options,
      CompileProgress progress, long codeFloor) {
    return compile(validatedModule, sharedBackend, options, progress, codeFloor, SPILL_FROM_BODY_BYTES,
        Path.of(System.getProperty("java.io.tmpdir")));
  }

  /**
   * Compiles {@code validatedModule} as {@link #compile(Module, Backend, CompileOptions,
   * CompileProgress, long)} does, spilling its finished functions into {@code spillDirectory} from
   * {@code spillFrom} bytes of function bodies on ({@link #SPILL_FROM_BODY_BYTES} and {@code
   * java.io.tmpdir} but in tests, which spill small modules, or where no file can be made).
   */
  static CompiledModule compile(Module validatedModule, Backend sharedBackend, CompileOptions options,
      CompileProgress progress, long codeFloor, long spillFrom, Path spillDirectory) {
    return compile(validatedModule, sharedBackend, options, progress, codeFloor, spillFrom, spillDirectory,
        InFlightBudget.forMaxHeap(Runtime.getRuntime().maxMemory()));
  }

  /**
   * Compiles {@code validatedModule} with {@code inFlight} bounding the function bodies its workers
   * compile at once ({@link InFlightBudget#forMaxHeap} of this JVM's heap but in tests, which give a
   * small budget to small functions).
   */
  static CompiledModule compile(Module validatedModule, Backend sharedBackend, CompileOptions options,
      InFlightBudget inFlight) {
    return compile(validatedModule, sharedBackend, options, CompileProgress.NONE, CodeSizeLimit.MIN_LIMIT,
        SPILL_FROM_BODY_BYTES, Path.of(System.getProperty("java.io.tmpdir")), inFlight);
  }

  private static CompiledModule compile(Module validatedModule, Backend sharedBackend, CompileOptions options,
      CompileProgress progress, long codeFloor, long spillFrom, Path spillDirectory, InFlightBudget inFlight) {
    Objects.requireNonNull(sharedBackend, "backend");
    Objects.requireNonNull(options, "options");
    Objects.requireNonNull(progress, "progress");
    if (CompileDeadline.current().isEmpty() && options.timeout().isPresent()) {
      // Bound here when the caller has not bound the budget around decoding too: the module-level
      // work below (the environment, the trampolines) polls it as the function jobs do.
      return CompileDeadline.after(options.timeout().get())
          .call(() -> compile(validatedModule, sharedBackend, options, progress, codeFloor, spillFrom, spillDirectory,
              inFlight));
    }
    // What the backend keeps across functions (call places) is this compile's, dropped with it.
    Backend backend = sharedBackend.forOneCompile();
    ModuleEnvironment env = environment(validatedModule, backend, options);
    Optional<FunctionSpill> spill = env.bodyBytes() >= spillFrom ? openSpill(spillDirectory) : Optional.empty();
    try {
      return compile(validatedModule, backend, options, progress, codeFloor, env, spill, inFlight);
    } catch (RuntimeException | Error e) {
      spill.ifPresent(FunctionSpill::close);
      throw e;
    }
  }

  /** A spill in {@code directory}, or none where it cannot be made (the functions stay in memory). */
  private static Optional<FunctionSpill> openSpill(Path directory) {
    try {
      return Optional.of(FunctionSpill.open(directory));
    } catch (UncheckedIOException | UnsupportedOperationException e) {
      // UnsupportedOperationException: a file system without POSIX modes, where the file could not be kept private
      return Optional.empty();
    }
  }

  private static CompiledModule compile(Module validatedModule, Backend backend, CompileOptions options,
      CompileProgress progress, long codeFloor, ModuleEnvironment env, Optional<FunctionSpill> spill,
      InFlightBudget inFlight) {
    int imported = env.importedFunctionCount();
    int defined = env.definedFunctionCount();
    EscapingFunctions escaping = env.escaping();

    List<Job> jobs = new ArrayList<>();
    CompileDeadline.forEach(Phase.FUNCTIONS, defined, i -> jobs.add(new Job.Defined(i)));
    BitSet hostEntries = hostEntries(validatedModule, escaping, imported, defined);
    hostEntries.stream().forEach(definedIndex -> jobs.add(new Job.ArrayToWasm(definedIndex)));
    CodeSizeLimit codeBudget = CodeSizeLimit.forModule(backend.target(), env.bodyBytes(), jobs.size(), codeFloor);
    AtomicInteger finished = new AtomicInteger();
    int total = jobs.size();
    Optional<Inliner> inliner = options.inlining() ? Optional.of(new Inliner(env)) : Optional.empty();
    Optional<CompileDeadline> deadline = CompileDeadline.current();
    EntryTrampolines entryTrampolines = new EntryTrampolines(backend);
    Outcome[] outcomes = runUntilCalledCompiled(jobs, hostEntries, inliner, options.jobs(), inFlight, validatedModule,
        spill, (job, graphs) -> {
      deadline.ifPresent(d -> d.check(Phase.FUNCTIONS));
      boolean stubRefused = options.refusedFunctionsTrap();
      Supplier<Outcome> compile =
          () -> compileOne(env, inliner, backend, entryTrampolines, codeBudget, job, graphs, stubRefused);
      Outcome outcome = deadline.isPresent() ? deadline.get().call(compile) : compile.get();
      progress.finished(finished.incrementAndGet(), total);
      return outcome;
    });

    // The jobs' functions, in job order: the defined functions' then their entry trampolines', each
    // by index, which is FuncKey order. The others, all of later kinds, follow them in order.
    List<FuncKey> jobKeys = new ArrayList<>();
    List<Held> jobFunctions = new ArrayList<>();
    TreeMap<FuncKey, Held> others = new TreeMap<>();
    TreeMap<Integer, String> refusals = new TreeMap<>();
    List<FuncKey> inlinedAway = new ArrayList<>();
    Outcome.Failed[] firstFailure = {null};
    CompileDeadline.forEach(Phase.FUNCTIONS, outcomes.length, j -> {
      switch (outcomes[j]) {
        case Outcome.Done done -> {
          jobKeys.add(jobs.get(j).key());
          jobFunctions.add(done.function());
        }
        case Outcome.Stubbed stub -> {
          jobKeys.add(jobs.get(j).key());
          jobFunctions.add(stub.function());
          refusals.put(stub.refusal().functionIndex(), stub.refusal().getMessage());
        }
        case Outcome.InlinedAway away -> {
          inlinedAway.add(jobs.get(j).key());
          progress.finished(finished.incrementAndGet(), total);
        }
        case Outcome.Failed failed -> {
          if (firstFailure[0] == null || failed.functionIndex() < firstFailure[0].functionIndex()) {
            firstFailure[0] = failed;
          }
        }
      }
    });
    if (firstFailure[0] != null) {
      throw firstFailure[0].error();
    }
    FuncKey trap = FuncKey.wasmToBuiltinTrampoline(Builtin.TRAP.index());
    others.put(trap, new Resident(backend.trapHandler()));
    for (Builtin builtin : Builtin.values()) {
      // A C_DIRECT builtin is called through its slot without a trampoline.
      if (builtin.hasTrampoline() && env.mayCallBuiltin(builtin)) {
        others.put(FuncKey.wasmToBuiltinTrampoline(builtin.index()), new Resident(backend.builtinTrampoline(builtin,
            builtin.slotted() ? env.layout().builtin(builtin) : builtin.storeSlot())));
      }
    }
    if (env.mayCallBuiltin(Builtin.THROW)) {
      // Kept by gc-sections only if some function throws or rethrows.
      others.put(FuncKey.wasmToBuiltinTrampoline(Builtin.THROW.index()), new Resident(backend.throwHandler()));
    }

    if (env.mayCallBuiltin(Builtin.MEMORY_GROW)) {
      // Kept by gc-sections only if some function grows a memory.
      others.put(FuncKey.builtin(Builtin.MEMORY_GROW.index()),
          new Resident(backend.compileFunction(MemoryGrowBuiltin.build(env.layout()))));
    }
    if (env.mayCallBuiltin(Builtin.TABLE_LAZY_INIT)) {
      // Kept by gc-sections only if some function reads a lazily initialised table.
      others.put(FuncKey.builtin(Builtin.TABLE_LAZY_INIT.index()),
          new Resident(backend.compileFunction(LazyTableInitBuiltin.build())));
    }

    // A plain list: the host entries' functions and their trampolines, one WASM_TO_ARRAY
    // trampoline per imported type, then the trap handler. The linker takes roots in any order (it
    // marks them by position, sorted); a tree set of them cost a module of 200,000 exported
    // functions some 18 key comparisons per root on the compile's serial tail.
    List<FuncKey> roots = new ArrayList<>(2 * hostEntries.cardinality() + 1);
    hostEntries.stream().forEach(definedIndex -> roots.add(FuncKey.definedWasmFunction(MODULE, definedIndex)));
    hostEntries.stream().forEach(definedIndex -> roots.add(FuncKey.arrayToWasmTrampoline(MODULE, definedIndex)));
    // One WASM_TO_ARRAY trampoline per type of an imported function: the loader links a host
    // function into an import record through it (no compiled code names it, so it is a root).
    // Each is charged to the module's IR and code budgets as an entry trampoline is, named by the
    // first import of its type: a module of no bodies but many wide imported types made trampolines
    // nothing counted (red team 35 F1: 1,000 types of 1,000 v128 parameters and results imported
    // once each, 2 MB, made 59.8 MB of x86-64 code).
    int hostTrampolines = 0;
    for (Map.Entry<Integer, FirstImport> first : importedFunctionTypes(validatedModule).entrySet()) {
      int typeIndex = first.getKey();
      Signature signature = ModuleEnvironment.wasmSignature(validatedModule.types().get(typeIndex));
      if (signature != null) {
        int offset = validatedModule.offsets().imports().get(first.getValue().importIndex());
        int functionIndex = first.getValue().functionIndex();
        codeBudget.requireRoom(functionIndex, offset);
        env.irBudget().charge(IrSizeLimit.trampolineCharge(signature), functionIndex, offset);
        CompiledFunction trampoline = backend.wasmToArrayTrampoline(signature);
        codeBudget.charge(trampoline, functionIndex, offset);
        FuncKey key = FuncKey.wasmToArrayTrampoline(typeIndex);
        others.put(key, new Resident(trampoline));
        roots.add(key);
        hostTrampolines++;
      }
    }
    if (HostCallFailure.needsThrowStub(hostTrampolines)) {
      // A host function may throw a wasm exception into its caller: the trampolines' failure path
      // throws it through the stub (HostCallFailure), which each trampoline references.
      others.putIfAbsent(HostCallFailure.THROW_STUB, new Resident(backend.throwHandler()));
    }
    roots.add(trap);

    jobKeys.addAll(others.keySet());
    jobFunctions.addAll(others.values());
    return new CompiledModule(env, backend.target(), settings(backend, options),
        new CompiledFunctions(jobKeys, jobFunctions, spill),
        roots, refusals, inlinedAway);
  }

  /**
   * The settings the artifact's compat header records for code from {@code backend} with {@code
   * options}: the backend's (CPU features) and the options' code settings. Known before compiling,
   * so a compiled-module cache can name the artifact a compile would write.
   */
  public static TreeMap<String, String> settings(Backend backend, CompileOptions options) {
    TreeMap<String, String> settings = new TreeMap<>(backend.settings());
    options.forTarget(backend.target()).codeSettings().forEach((k, v) -> {
      if (settings.putIfAbsent(k, v) != null) {
        throw new IllegalStateException("compile option " + k + " clashes with a backend setting of that name");
      }
    });
    return settings;
  }

  /**
   * A class from each module whose code decides what an artifact of {@code backend} holds (decoder,
   * IR, shared back end, the backend's ISA, this compiler, the artifact format): a compiled-module
   * cache fingerprints their jars, so a rebuilt compiler never reuses an older one's code.
   */
  public static List<Class<?>> codeProducers(Backend backend) {
    return List.of(Wasm.class, Function.class, Backend.class, backend.getClass(), Compiler.class, CompatHeader.class);
  }

  /**
   * The defined functions the host can enter, which get an ARRAY_TO_WASM trampoline: the escaping
   * ones, and the start function, which the loader runs at instantiation through its trampoline
   * whether or not it escapes (docs/cwasm-format.md, "What the loader needs from the compiler").
   */
  private static BitSet hostEntries(Module module, EscapingFunctions escaping, int imported, int definedCount) {
    BitSet defined = new BitSet(definedCount); // by defined index: dense, so a bit each, no tree
    for (int k = 0; k < escaping.count(); k++) {
      if (escaping.function(k) >= imported) {
        defined.set(escaping.function(k) - imported);
      }
    }
    module.start().ifPresent(start -> {
      if (start >= imported) {
        defined.set(start - imported);
      }
    });
    return defined;
  }

  /** The first import of a function type: its place in the import section and its function index. */
  private record FirstImport(int importIndex, int functionIndex) {}

  /** The type indices of the imported functions, each to its first import, in one pass over the imports. */
  private static TreeMap<Integer, FirstImport> importedFunctionTypes(Module module) {
    TreeMap<Integer, FirstImport> types = new TreeMap<>();
    int functions = 0;
    for (int i = 0; i < module.imports().size(); i++) {
      if (module.imports().get(i).desc() instanceof ImportDesc.Func f) {
        types.putIfAbsent(f.typeIndex(), new FirstImport(i, functions++));
      }
    }
    return types;
  }

  /** One unit of parallel work and the key its result is linked under. */
  private sealed interface Job {
    FuncKey key();

    int definedIndex();

    record Defined(int definedIndex) implements Job {
      @Override
      public FuncKey key() {
        return FuncKey.definedWasmFunction(MODULE, definedIndex);
      }
    }

    record ArrayToWasm(int definedIndex) implements Job {
      @Override
      public FuncKey key() {
        return FuncKey.arrayToWasmTrampoline(MODULE, definedIndex);
      }
    }
  }

  /**
   * What became of a job. A compiled function is {@link Resident} as the job makes it, then kept
   * ({@link #keep}) with the waiting functions it calls noted.
   */
  private sealed interface Outcome {
    /**
     * @param waitingCallees the raw keys of the functions it calls that wait to be called ({@link
     *     CallAwaitingJobs#waitsFor}), in call order, repeats included
     */
    record Done(Held function, long[] waitingCallees) implements Outcome {
      Done(CompiledFunction function) {
        this(new Resident(function), NO_CALLEES);
      }
    }

    /** A refused defined function, replaced by the backend's trapping stub. */
    record Stubbed(Held function, long[] waitingCallees, UnsupportedFeatureException refusal) implements Outcome {
      Stubbed(CompiledFunction function, UnsupportedFeatureException refusal) {
        this(new Resident(function), NO_CALLEES, refusal);
      }
    }

    record Failed(int functionIndex, RuntimeException error) implements Outcome {}

    /** A defined function not compiled: every call of it was inlined and nothing else enters it. */
    record InlinedAway() implements Outcome {}
  }

  private static Outcome compileOne(ModuleEnvironment env, Optional<Inliner> inliner, Backend backend,
      EntryTrampolines entryTrampolines, CodeSizeLimit codeBudget, Job job, ReusedGraph graphs, boolean stubRefused) {
    Outcome outcome = attempt(env, inliner, backend, entryTrampolines, codeBudget, job, graphs);
    if (stubRefused && job instanceof Job.Defined
        && outcome instanceof Outcome.Failed(int funcIndex, UnsupportedFeatureException refusal)) {
      Signature signature = env.functionSignature(funcIndex);
      if (signature != null) {
        return new Outcome.Stubbed(backend.unsupportedStub(signature), refusal);
      }
    }
    return outcome;
  }

  /**
   * The function of {@code job} translated and lowered, its IR given back to the worker's {@code
   * graphs} before this returns: the lowered function holds nothing of the IR, so the graph and layout
   * can go to the worker's next function, and a huge function's (past {@link ReusedGraph}'s cap) is
   * freed while its registers are allocated, when its compile holds the most: one function of
   * 128,000 {@code struct.new}s compiles in a 1.3 GB heap, where it needed 1.8 GB with its graph
   * held to the end. A method of its own, so that no frame holds the IR meanwhile (an interpreted
   * frame keeps its dead locals). Not given back on a failure: the next function gets new ones.
   */
  private static LoweredFunction lowered(ModuleEnvironment env, Optional<Inliner> inliner, Backend backend,
      Job.Defined job, ReusedGraph graphs) {
    Function ir = inliner.isPresent() ? inliner.get().translate(job.definedIndex(), graphs)
        : FuncTranslator.translateForCompile(env, job.definedIndex(), graphs);
    LoweredFunction lowered = backend.lower(ir);
    graphs.giveBack(ir);
    return lowered;
  }

  /**
   * Compiles {@code job} on the worker's {@code graphs}, charging its code to {@code codeBudget} as
   * it is emitted: a module whose functions emit more code than the budget allows is refused at the
   * function that passes it, and every later job at its start ({@link CodeSizeLimit}).
   */
  private static Outcome attempt(ModuleEnvironment env, Optional<Inliner> inliner, Backend backend,
      EntryTrampolines entryTrampolines, CodeSizeLimit codeBudget, Job job, ReusedGraph graphs) {
    int funcIndex = env.importedFunctionCount() + job.definedIndex();
    int bodyStart = env.module().code().get(job.definedIndex()).bodyStart();
    String what = job instanceof Job.Defined ? "compilation" : "the array-to-wasm trampoline";
    try {
      codeBudget.requireRoom(funcIndex, bodyStart);
      CompiledFunction compiled = switch (job) {
        case Job.Defined d -> backend.emit(lowered(env, inliner, backend, d, graphs));
        case Job.ArrayToWasm a -> {
          Signature signature = env.functionSignature(funcIndex);
          if (signature == null) {
            throw new UnsupportedFeatureException("reference-typed parameter or result", bodyStart, funcIndex);
          }
          // its share of the module's IR budget, so that a module of many exported functions of
          // wide types cannot make entry code past it (red team 32 F2: 50,000 empty exports of
          // 1,000 parameters, 576 KB, compiled 24.6 s and 975 MB of trampolines)
          env.irBudget().charge(IrSizeLimit.trampolineCharge(signature), funcIndex, bodyStart);
          yield entryTrampolines.into(signature, FuncKey.definedWasmFunction(MODULE, a.definedIndex()));
        }
      };
      codeBudget.charge(compiled, funcIndex, bodyStart);
      return new Outcome.Done(compiled);
    } catch (CompileTimeoutException e) {
      throw e; // the whole compile stops, whichever function it was in
    } catch (UnsupportedFeatureException e) {
      return new Outcome.Failed(funcIndex, e);
    } catch (ImplementationLimitException e) {
      // a function too large to compile, or past the module's IR or code budget: refused as the
      // decoder's limits are, with its own function index and offset, not wrapped as a compiler
      // failure
      return new Outcome.Failed(funcIndex, e);
    } catch (UnsupportedLoweringException e) {
      // The backend's limit, not a bug: reported like the translator's gaps. Without an
      // instruction's offset (a parameter), the function body's start locates it.
      int offset = e.wasmOffset().orElse(bodyStart);
      return new Outcome.Failed(funcIndex, new UnsupportedFeatureException(e.feature(), offset, funcIndex));
    } catch (RuntimeException | StackOverflowError e) {
      return new Outcome.Failed(funcIndex, new FunctionCompileException(funcIndex, what, e));
    }
  }

  /**
   * Runs the jobs a linked artifact can need and returns the outcomes in job order, {@link
   * Outcome.InlinedAway} for the others. A defined function that the inliner may copy into its
   * callers ({@link Inliner#mayInline}) and that the host cannot enter waits until the code that
   * could call it is compiled: it is compiled once compiled code calls it, or once the others are
   * done if it is no inline candidate after all ({@link Inliner#isCandidate}), whose compile then
   * reports what it reports; a candidate that nothing compiled calls, every call of it inlined, is
   * left out. The linker would drop it (nothing calls it, so nothing reaches it from the roots),
   * so the artifact is the same; compiling such functions was 4% of yosys's function compile time
   * (3,281 of its 44,270 jobs).
   */
  private static Outcome[] runUntilCalledCompiled(List<Job> jobs, BitSet hostEntries, Optional<Inliner> inliner,
      int threads, InFlightBudget inFlight, Module module, Optional<FunctionSpill> spill,
      BiFunction<Job, ReusedGraph, Outcome> work) {
    Outcome[] outcomes = new Outcome[jobs.size()];
    // Every defined function is a job: as many as the module has bodies.
    CallAwaitingJobs waiting = new CallAwaitingJobs(MODULE, module.code().size());
    List<Integer> notWaiting = new ArrayList<>();
    CompileDeadline.forEach(Phase.FUNCTIONS, jobs.size(), j -> {
      if (inliner.isPresent() && jobs.get(j) instanceof Job.Defined(int definedIndex)
          && !hostEntries.get(definedIndex) && inliner.get().mayInline(definedIndex)) {
        waiting.await(definedIndex, j);
      } else {
        notWaiting.add(j);
      }
    });
    List<Integer> batch = notWaiting; // not the lambda's list: batch is each round's
    // Kept by the worker that compiled it, while it is at hand: into the spill, if there is one.
    BiFunction<Job, ReusedGraph, Outcome> compileAndKeep = (job, graphs) -> keep(work.apply(job, graphs), waiting, spill);
    while (true) {
      if (batch.isEmpty()) {
        // The last batch called no waiting function: compile those no caller took as an inline candidate.
        for (int d = 0; d < waiting.definedCount(); d++) {
          if (waiting.jobOf(d) >= 0 && !inliner.orElseThrow().isCandidate(d)) {
            batch.add(waiting.take(d));
          }
        }
        if (batch.isEmpty()) {
          break;
        }
      }
      batch.sort(null);
      run(jobs, batch, outcomes, threads, inFlight, module, compileAndKeep);
      List<Integer> called = new ArrayList<>();
      for (int j : batch) {
        long[] callees = switch (outcomes[j]) {
          case Outcome.Done done -> done.waitingCallees();
          case Outcome.Stubbed stub -> stub.waitingCallees();
          case Outcome.Failed failed -> NO_CALLEES;
          case Outcome.InlinedAway away -> throw new IllegalStateException("a compiled job was left out");
        };
        for (long key : callees) {
          int callee = waiting.takeCalled(key);
          if (callee >= 0) {
            called.add(callee);
          }
        }
      }
      batch = called;
    }
    for (int d = 0; d < waiting.definedCount(); d++) {
      if (waiting.jobOf(d) >= 0) {
        outcomes[waiting.jobOf(d)] = new Outcome.InlinedAway();
      }
    }
    return outcomes;
  }

  private static final long[] NO_CALLEES = {};

  /**
   * {@code outcome} with its function moved into {@code spill}, if there is one, and the functions
   * it calls that wait for a call noted: so the function itself is not read again to find them. Run
   * by the worker that compiled it, while no job is taken from {@code waiting}.
   */
  private static Outcome keep(Outcome outcome, CallAwaitingJobs waiting, Optional<FunctionSpill> spill) {
    return switch (outcome) {
      case Outcome.Done(Resident(CompiledFunction f), long[] none) ->
          new Outcome.Done(kept(f, spill), waitingCallees(f, waiting));
      case Outcome.Stubbed(Resident(CompiledFunction f), long[] none, UnsupportedFeatureException refusal) ->
          new Outcome.Stubbed(kept(f, spill), waitingCallees(f, waiting), refusal);
      default -> outcome;
    };
  }

  private static Held kept(CompiledFunction f, Optional<FunctionSpill> spill) {
    return spill.isPresent() ? spill.get().keep(f) : new Resident(f);
  }

  private static long[] waitingCallees(CompiledFunction f, CallAwaitingJobs waiting) {
    long[] callees = NO_CALLEES;
    int found = 0;
    for (int r = 0, n = f.relocs().size(); r < n; r++) {
      long key = f.relocTargetKey(r);
      if (waiting.waitsFor(key)) {
        if (found == callees.length) {
          callees = Arrays.copyOf(callees, Math.max(4, 2 * found));
        }
        callees[found++] = key;
      }
    }
    return found == callees.length ? callees : Arrays.copyOf(callees, found);
  }

  /**
   * Runs the jobs {@code selected} (indices into {@code jobs}) and stores each outcome at its job's
   * index; the threads (one or several) take the jobs in {@link #schedule} order from a shared list,
   * several at once only within {@code inFlight}.
   */
  private static void run(List<Job> jobs, List<Integer> selected, Outcome[] outcomes, int threads,
      InFlightBudget inFlight, Module module, BiFunction<Job, ReusedGraph, Outcome> work) {
    int[] costs = new int[selected.size()];
    CompileDeadline.forEach(Phase.FUNCTIONS, costs.length, k -> costs[k] = cost(module, jobs.get(selected.get(k))));
    int[] order = schedule(costs, threads);
    int[] orderedCosts = new int[order.length];
    CompileDeadline.forEach(Phase.FUNCTIONS, order.length, k -> {
      orderedCosts[k] = costs[order[k]];
      order[k] = selected.get(order[k]);
    });
    if (threads == 1 || order.length < 2) {
      ReusedGraph graphs = new ReusedGraph();
      for (int j : order) {
        outcomes[j] = work.apply(jobs.get(j), graphs);
      }
      return;
    }
    AtomicInteger next = new AtomicInteger();
    int workers = Math.min(threads, order.length);
    ExecutorService pool = Executors.newFixedThreadPool(workers, task -> {
      Thread t = new Thread(task, "kiln-compile");
      t.setDaemon(true);
      return t;
    });
    try {
      List<Future<?>> running = new ArrayList<>();
      for (int w = 0; w < workers; w++) {
        running.add(pool.submit(() -> {
          ReusedGraph graphs = new ReusedGraph(); // this worker's, as each runs one function at a time
          for (int k = next.getAndIncrement(); k < order.length; k = next.getAndIncrement()) {
            int share;
            try {
              share = inFlight.enter(orderedCosts[k]);
            } catch (InterruptedException e) {
              // The pool is shut down (another worker failed or the compile timed out, and run
              // throws that); anything else that interrupts a worker fails the compile, rather than
              // leave the job's outcome missing.
              Thread.currentThread().interrupt();
              throw new IllegalStateException("a compile worker was interrupted", e);
            }
            try {
              outcomes[order[k]] = work.apply(jobs.get(order[k]), graphs);
            } finally {
              inFlight.leave(share);
            }
          }
        }));
      }
      for (Future<?> f : running) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("compilation interrupted", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof CompileTimeoutException timeout) {
        throw timeout;
      }
      if (e.getCause() instanceof UncheckedIOException spillClosed) {
        throw spillClosed; // the spill's file was closed under the worker (FunctionSpill#keep): not a compiler bug
      }
      throw new IllegalStateException("compilation worker failed", e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /**
   * The order in which {@code threads} threads take jobs of the given costs: any job that alone
   * costs more than a {@code 2 * threads}-th of the total, largest first; then the smaller jobs that
   * make up the first half of the total cost, smallest first; then the others, largest first. Equal
   * costs go by index.
   *
   * <p>Small first because a fresh JVM runs the compiler's own code in its interpreter until the JIT
   * has compiled it (most of the first half-second of a cold {@code kiln compile}), and a function's
   * compile time grows faster than its size: the many small functions warm the JIT up and the large
   * ones run on compiled code (a cold compile of sightglass's regex 5%, bz2 and pulldown-cmark 10%
   * faster than largest first). The larger half largest first (longest processing time first), so
   * that the threads finish together. A job too large for that, started after the small half, would
   * end later than all the rest by up to the small half's time (one function of 60 beside forty of
   * 1 on two threads: 80 instead of 60), so it starts at once.
   */
  static int[] schedule(int[] costs, int threads) {
    long total = 0;
    for (int cost : costs) {
      total += cost;
    }
    // Sorted as primitives, each job's cost above its index (an ascending sort of those orders by
    // cost, then index; costs are body sizes, never negative): a sort of boxed indices through
    // comparators ran in the interpreter, on the compile's serial start.
    long[] bySize = new long[costs.length];
    for (int j = 0; j < costs.length; j++) {
      bySize[j] = (long) costs[j] << 32 | j;
    }
    Arrays.sort(bySize);
    long[] dominant = new long[costs.length];
    int[] small = new int[costs.length];
    long[] large = new long[costs.length];
    int dominantCount = 0;
    int smallCount = 0;
    int largeCount = 0;
    long smallSum = 0;
    for (long entry : bySize) {
      int j = (int) entry;
      // Largest first, then by index: the cost's complement above the index.
      long largestFirst = (long) (Integer.MAX_VALUE - costs[j]) << 32 | j;
      if (2L * threads * costs[j] > total) {
        dominant[dominantCount++] = largestFirst;
      } else if (largeCount == 0 && 2 * (smallSum + costs[j]) <= total) {
        small[smallCount++] = j;
        smallSum += costs[j];
      } else {
        large[largeCount++] = largestFirst;
      }
    }
    Arrays.sort(dominant, 0, dominantCount);
    Arrays.sort(large, 0, largeCount);
    int[] order = new int[costs.length];
    int at = 0;
    for (int k = 0; k < dominantCount; k++) {
      order[at++] = (int) dominant[k];
    }
    System.arraycopy(small, 0, order, at, smallCount);
    at += smallCount;
    for (int k = 0; k < largeCount; k++) {
      order[at++] = (int) large[k];
    }
    return order;
  }

  /** A job's expected cost: its function's wasm body size (a trampoline is tiny). */
  private static int cost(Module module, Job job) {
    if (job instanceof Job.Defined(int definedIndex)) {
      FunctionBody body = module.code().get(definedIndex);
      return body.codeEnd() - body.codeStart();
    }
    return 0;
  }
}
