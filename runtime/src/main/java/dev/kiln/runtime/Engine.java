package dev.kiln.runtime;

import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.artifact.vm.MemoryGuard;
import dev.kiln.cache.ModuleCache;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.codegen.x64.lower.CpuFeatures;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompileProgress;
import dev.kiln.loader.profile.PerfMap;
import dev.kiln.loader.runtime.Epoch;
import dev.kiln.loader.sys.ThreadStack;
import dev.kiln.runtime.internal.EngineAccess;
import dev.kiln.runtime.internal.ModuleCompiler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The settings every module compiled or loaded with it shares: the target instruction set, whether
 * code checks an epoch deadline ({@link Builder#epochInterruption}) or meters fuel ({@link
 * Builder#consumeFuel}), and optionally a key artifacts must be signed with. It owns the epoch
 * counter: {@link #incrementEpoch()} from any thread (a timer) reaches every {@link Store} of this
 * engine; and its runtime type ids: a WebAssembly type (canonical, iso-recursive) has one id in
 * every module and store of the engine, what {@code call_indirect} and import matching compare. Create one per configuration and share it: it is immutable and thread-safe.
 *
 * <pre>{@code
 * Engine engine = Engine.builder().epochInterruption(true).build();
 * try (WasmModule module = WasmModule.compile(engine, Path.of("app.wasm")); Store store = new Store(engine)) {
 *   store.setEpochDeadline(1);                          // trap at the next increment
 *   timer.schedule(engine::incrementEpoch, 2, TimeUnit.SECONDS);
 *   new Linker(store).instantiate(module).func("run").call();   // a Trap "interrupt" after ~2 s
 * }
 * }</pre>
 */
public final class Engine {
  private static final long DEFAULT_CACHE_MAX_BYTES = 1L << 30;

  /**
   * Engine's static state, kept out of Engine so that Engine has no static initialiser: a class
   * whose initialiser a StackOverflowError interrupts is unusable for the JVM's life (JLS 12.4.2),
   * and an embedder may name Engine first near a thread's stack end (red team 25 F0: under a JVM
   * AOT cache, which loads Kiln's classes at start, a first {@code Engine.builder()} there broke
   * every later one). Engine's static methods begin with {@link ThreadStack#requireRoomToLink}, and
   * this holder is first initialised by the first engine's start, on a thread of its own ({@link
   * ApiClasses}).
   */
  static final class Statics {
    /** The version artifacts record and the cache keys on: the jar's, or "dev" when run from classes. */
    static final String VERSION =
        Objects.requireNonNullElse(Engine.class.getPackage().getImplementationVersion(), "dev");

    /**
     * Every class of this module with a static initialiser, by name, initialised by the first engine ({@link
     * #initialiseCallPathClasses}): an embedder or a store's operation that touched one first near a
     * thread's stack end, where its initialiser overflowed, left it erroneous for the JVM's life (JLS
     * 12.4.2; issue 35, red team 25: {@code RefType.FUNCREF}, or {@code new FuncType(...)} whose
     * switch map an AOT cache had preloaded, then failed every module with a reference type).
     * {@code ApiClassesAtStartTest} reads the module's class files and fails on any missing here, and
     * on any numbered class with an initialiser: the module switches over no enum, since javac makes
     * such a switch a class of switch maps ({@code Engine$1}) whose number changes with the file.
     */
    static final List<String> INITIALISED_AT_START = List.of(
        "dev.kiln.runtime.AnyRef", "dev.kiln.runtime.AnyRef$Kind", "dev.kiln.runtime.Conversions",
        "dev.kiln.runtime.Engine$Statics", "dev.kiln.runtime.ExnRef", "dev.kiln.runtime.ExternKind",
        "dev.kiln.runtime.FunctionHandles", "dev.kiln.runtime.HeapType$Abstract", "dev.kiln.runtime.HeapType$Kind",
        "dev.kiln.runtime.RefType", "dev.kiln.runtime.Signatures", "dev.kiln.runtime.Store", "dev.kiln.runtime.Target",
        "dev.kiln.runtime.ValType", "dev.kiln.runtime.tools.CommandLineFiles",
        "dev.kiln.runtime.tools.CompilePhases$Phase", "dev.kiln.runtime.tools.ProgressListener");

    static {
      EngineAccess.install(new EngineAccess.Accessor() {
        @Override
        public ModuleCompiler compiler(Engine engine) {
          return engine.compiler;
        }

        @Override
        public RuntimeException translate(RuntimeException failure) {
          return Failures.translate(failure);
        }
      });
    }

    private Statics() {}
  }

  private final Target target;
  private final ExecutionLimits limits;
  private final Optional<SigningKey> verifyKey;
  private final ModuleCompiler compiler;
  private final Epoch epoch = new Epoch();
  private final dev.kiln.loader.runtime.RuntimeTypes types = new dev.kiln.loader.runtime.RuntimeTypes();
  /** The instance pool every store of the engine takes instances from, or null (on-demand). */
  private final dev.kiln.loader.pool.InstancePool pool;

  private Engine(Builder builder) {
    initialiseCallPathClasses();
    this.target = builder.target;
    this.limits = new ExecutionLimits(builder.epochInterruption, builder.consumeFuel);
    this.verifyKey = Optional.ofNullable(builder.verifyKey);
    CompileOptions options = (builder.compileJobs == 0 ? CompileOptions.defaults()
        : new CompileOptions(builder.compileJobs))
        .withTableLazyInit(builder.tableLazyInit)
        .withLimits(limits)
        .withMemoryGuard(builder.explicitBoundsChecks ? MemoryGuard.NONE : MemoryGuard.DEFAULT)
        .withInlining(builder.inlining);
    if (builder.compileTimeout != null) {
      options = options.withTimeout(builder.compileTimeout);
    }
    CpuFeatures x86Features = builder.x86Features;
    Target chosen = target;
    this.pool = builder.pooling == null ? null
        : Failures.translated(() -> dev.kiln.loader.pool.InstancePool.create(builder.pooling.config()));
    this.compiler = new ModuleCompiler(Statics.VERSION, () -> backend(chosen, x86Features), options,
        Optional.ofNullable(builder.signKey), Optional.ofNullable(builder.cacheDirectory), builder.cacheMaxBytes);
  }

  /**
   * Initialises, before any guest can run, the classes with static initialisers that calls, host
   * calls, collections and closes use ({@link dev.kiln.loader.runtime.CallPathClasses}, and the
   * API's own here): first initialised by a call near the end of a thread's stack, one that
   * overflowed there stayed broken for the JVM's life (issue 35, red team 22 F4).
   */
  private static void initialiseCallPathClasses() {
    if (!apiClassesInitialised) {
      dev.kiln.loader.sys.OwnStackThread.run("kiln-first-use", new ApiClasses());
      apiClassesInitialised = true;
    }
  }

  private static volatile boolean apiClassesInitialised;

  /**
   * Initialises the call paths' classes, {@link Statics} and its {@link Statics#INITIALISED_AT_START}
   * (on one thread of its own: without a lambda).
   */
  private static final class ApiClasses implements Runnable {
    @Override
    public void run() {
      dev.kiln.loader.runtime.CallPathClasses.initialiseOnThisThread();
      // Statics first, by reading its list: it has an initialiser of its own
      dev.kiln.loader.runtime.CallPathClasses.initialiseAll(Statics.INITIALISED_AT_START, Engine.class.getClassLoader());
    }
  }

  /**
   * An engine with the defaults: this host's target, no epoch or fuel checks, no verify key.
   *
   * @return the engine
   * @throws IllegalStateException if Kiln has no target for this machine's architecture
   */
  public static Engine create() {
    ThreadStack.requireRoomToLink("Engine.create");
    return builder().build();
  }

  /**
   * A builder starting from the defaults of {@link #create()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
    ThreadStack.requireRoomToLink("Engine.builder");
    return new Builder();
  }

  /**
   * The instruction set this engine compiles to and loads.
   *
   * @return the target
   */
  public Target target() {
    return target;
  }

  /**
   * Whether this engine's code checks the epoch deadline at loop headers and calls.
   *
   * @return true with epoch interruption
   */
  public boolean epochInterruption() {
    return limits.epochInterruption();
  }

  /**
   * Whether this engine's code counts fuel, one unit per wasm operator.
   *
   * @return true with fuel metering
   */
  public boolean consumeFuel() {
    return limits.consumeFuel();
  }

  /**
   * Advances the epoch by one, from any thread (Wasmtime's {@code Engine::increment_epoch}): code of
   * a store whose deadline it reaches traps with {@code interrupt} at its next check.
   */
  public void incrementEpoch() {
    epoch.increment();
  }

  Epoch epoch() {
    return epoch;
  }

  dev.kiln.loader.runtime.RuntimeTypes types() {
    return types;
  }

  ExecutionLimits limits() {
    return limits;
  }

  /**
   * {@code wasm} compiled for this engine's target and checks and loaded, or mapped from the
   * compiled-module cache when the engine has one ({@link Builder#moduleCache}): {@link
   * ModuleCompiler#compileAndLoad}, the one path every way of compiling a module takes.
   */
  ModuleCompiler.Loaded compileAndLoad(byte[] wasm) throws IOException {
    return compiler.compileAndLoad(wasm);
  }

  /**
   * {@code load} (an artifact's loading) under this engine's compile budget, as a compile's own
   * load is: an artifact's module information is as long as its module made it.
   */
  <T> T withinBudget(Supplier<T> load) {
    return compiler.withinBudget(load);
  }

  /**
   * Compiles {@code wasm} into {@code .cwasm} bytes without loading them (Wasmtime's {@code
   * Engine::precompile_module}): what {@code kiln compile} writes, signed with the engine's {@link
   * Builder#signKey} if it has one. {@link WasmModule#deserialize} (on an engine with the same
   * settings) or {@code kiln run} loads them. The compiled-module cache is not consulted: the bytes
   * are for elsewhere.
   *
   * @param wasm the module's bytes
   * @return the artifact
   * @throws KilnException if the module is malformed, invalid or uses something Kiln cannot compile
   * @throws UncheckedIOException as {@link WasmModule#compile(Engine, byte[])}: the compile's file
   *     in {@code java.io.tmpdir} cannot be read back or was closed by an interrupt
   */
  public byte[] precompile(byte[] wasm) {
    ThreadStack.requireRoomToLink("Engine.precompile");
    Objects.requireNonNull(wasm, "wasm");
    return Failures.translated(() -> compiler.artifact(compiler.compile(wasm, CompileProgress.NONE)));
  }

  /**
   * The directory {@link Builder#moduleCache()} keeps compiled modules in: {@code
   * $XDG_CACHE_HOME/kiln}, else {@code ~/.cache/kiln}.
   *
   * @return the directory (it may not exist yet)
   */
  public static Path defaultModuleCacheDirectory() {
    return ModuleCache.defaultDirectory(System.getenv());
  }

  private static Backend backend(Target target, CpuFeatures x86Features) {
    // An if-chain, not a switch: javac compiles a switch over another class's enum to a numbered
    // class of switch maps with an initialiser of its own (Engine.Statics.INITIALISED_AT_START)
    if (target == Target.X86_64) {
      return x86Features == null ? X64Backend.forHost() : new X64Backend(x86Features, false);
    }
    return new AArch64Backend(false);
  }

  Optional<SigningKey> verifyKey() {
    return verifyKey;
  }

  /** The engine's instance pool, or null if it was built without one. */
  dev.kiln.loader.pool.InstancePool poolOrNull() {
    return pool;
  }

  /** The settings of an {@link Engine}; each setter returns this builder. */
  public static final class Builder {
    private PoolingAllocation pooling;
    private Target target;
    private boolean epochInterruption;
    private boolean consumeFuel;
    private SigningKey verifyKey;
    private boolean perfMap;
    private Path cacheDirectory;
    private long cacheMaxBytes;
    private Duration compileTimeout;
    private SigningKey signKey;
    private int compileJobs;
    private boolean tableLazyInit = true;
    private boolean explicitBoundsChecks;
    private boolean inlining = true;
    private CpuFeatures x86Features;

    private Builder() {
      this.target = Target.host().orElse(null);
    }

    /**
     * The instruction set to compile to and load (default: the host's). AArch64 code on an x86-64
     * host runs on the Unicorn emulator, which needs the {@code dev.kiln:kiln-emulator} jar on the class
     * path and Debian's {@code libunicorn2}.
     *
     * @param target the target
     * @return this builder
     */
    public Builder target(Target target) {
      this.target = Objects.requireNonNull(target, "target");
      return this;
    }

    /**
     * Compile code that checks the store's epoch deadline at every loop header and at the entry of
     * every function that calls (default off), and refuse artifacts compiled otherwise.
     *
     * @param on whether to check
     * @return this builder
     */
    public Builder epochInterruption(boolean on) {
      this.epochInterruption = on;
      return this;
    }

    /**
     * Compile code that counts one unit of fuel per wasm operator and traps {@code out of fuel}
     * when the store's fuel is spent (default off), and refuse artifacts compiled otherwise.
     *
     * @param on whether to meter fuel
     * @return this builder
     */
    public Builder consumeFuel(boolean on) {
      this.consumeFuel = on;
      return this;
    }

    /**
     * Refuse any {@code .cwasm} not signed with this key ({@code kiln compile --sign-key}): its
     * HMAC-SHA256 tag is checked before any of its code is trusted. Modules the engine compiles
     * itself are trusted as they are.
     *
     * @param key the key's bytes, at least 32
     * @return this builder
     * @throws IllegalArgumentException if the key is shorter than 32 bytes
     */
    public Builder verifyKey(byte[] key) {
      this.verifyKey = SigningKey.of(key);
      return this;
    }

    /**
     * Refuse any {@code .cwasm} not signed with the key in {@code keyFile} (all of its bytes, at
     * least 32; {@link #verifyKey(byte[])}).
     *
     * @param keyFile the key's file
     * @return this builder
     * @throws UncheckedIOException if the file cannot be read, is no regular file or is over 64 KiB
     * @throws IllegalArgumentException if the key is shorter than 32 bytes (the message names the file)
     */
    public Builder verifyKey(Path keyFile) {
      this.verifyKey = readKey(keyFile);
      return this;
    }

    /**
     * Sign what {@link Engine#precompile} makes with this key (HMAC-SHA256 over the artifact, in its
     * seal), so that an engine with the same {@link #verifyKey} accepts it and refuses any copy changed
     * without the key.
     *
     * @param key the key's bytes, at least 32
     * @return this builder
     * @throws IllegalArgumentException if the key is shorter than 32 bytes
     */
    public Builder signKey(byte[] key) {
      this.signKey = SigningKey.of(key);
      return this;
    }

    /**
     * {@link #signKey(byte[])} with the key in {@code keyFile} (all of its bytes).
     *
     * @param keyFile the key's file
     * @return this builder
     * @throws UncheckedIOException if the file cannot be read, is no regular file or is over 64 KiB
     * @throws IllegalArgumentException if the key is shorter than 32 bytes (the message names the file)
     */
    public Builder signKey(Path keyFile) {
      this.signKey = readKey(keyFile);
      return this;
    }

    private static SigningKey readKey(Path keyFile) {
      try {
        return SigningKey.read(Objects.requireNonNull(keyFile, "keyFile"));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /**
     * How many functions compile at once (default: one per available processor). The code is the
     * same for any number.
     *
     * @param jobs the number of compile threads, {@code >= 1}
     * @return this builder
     * @throws IllegalArgumentException if {@code jobs} is less than 1
     */
    public Builder compileJobs(int jobs) {
      if (jobs < 1) {
        throw new IllegalArgumentException("compile jobs must be at least 1, got " + jobs);
      }
      this.compileJobs = jobs;
      return this;
    }

    /**
     * Whether funcref table slots start uninitialised and are filled by the code on first use
     * ({@code true}, the default, as Wasmtime's {@code table_lazy_init}) or are all filled at
     * instantiation. Recorded in the artifact.
     *
     * @param lazy whether to initialise lazily
     * @return this builder
     */
    public Builder tableLazyInit(boolean lazy) {
      this.tableLazyInit = lazy;
      return this;
    }

    /**
     * Check every 32-bit memory access in the code ({@code true}) instead of leaving accesses within
     * the loader's guard region to the hardware, whose fault becomes the same trap (default {@code
     * false}). Recorded in the artifact.
     *
     * @param explicit whether the code checks every access
     * @return this builder
     */
    public Builder explicitBoundsChecks(boolean explicit) {
      this.explicitBoundsChecks = explicit;
      return this;
    }

    /**
     * Whether small direct callees are inlined into their callers (default {@code true}); a trap's
     * backtrace names inlined functions either way. Recorded in the artifact.
     *
     * @param inline whether to inline
     * @return this builder
     */
    public Builder inlining(boolean inline) {
      this.inlining = inline;
      return this;
    }

    /**
     * For a cross-compile to another x86-64 machine: the CPU extensions the code may use, {@code
     * "baseline"} (SSE2 only, every x86-64 CPU) or a comma-separated list of {@code lzcnt, bmi1,
     * popcnt, sse4_1, ssse3, sse4_2, avx, avx2, bmi2} (default: this machine's). Recorded in the
     * artifact, which a loader refuses on a CPU without one of them. Only for the x86-64 target.
     *
     * @param features the list
     * @return this builder
     * @throws IllegalArgumentException if a name is unknown
     */
    public Builder x86Features(String features) {
      ThreadStack.requireRoomToLink("Engine.Builder.x86Features");
      this.x86Features = CpuFeatures.parse(Objects.requireNonNull(features, "features"));
      return this;
    }

    /**
     * Keep compiled modules in the compiled-module cache that {@code kiln run} uses ({@code
     * $XDG_CACHE_HOME/kiln}, else {@code ~/.cache/kiln}), bounded to 1 GiB (default: no cache). See
     * {@link #moduleCache(Path, long)}.
     *
     * @return this builder
     */
    public Builder moduleCache() {
      return moduleCache(defaultModuleCacheDirectory(), DEFAULT_CACHE_MAX_BYTES);
    }

    /**
     * Keep compiled modules in {@code directory}: compiling a module whose bytes, compiler build and
     * settings match an entry loads that entry instead. Entries are written by atomic rename (processes
     * sharing the directory never see half a file), tagged with HMAC-SHA256 under a key derived from
     * the user's secret ({@code $XDG_CONFIG_HOME/kiln/cache.key}, else {@code ~/.config/kiln/cache.key},
     * made {@code rw-------} at first use) and the module, copied into private memory and checked like
     * a signed {@code .cwasm} before use (a damaged or planted one is compiled again and replaced), and
     * evicted least recently used beyond {@code maxBytes}. A directory, entry or key that anyone but
     * the user could have written (another owner, writable by group or others, reached through
     * another's symbolic link) is not used at all. A cache that cannot be written or is not used never
     * stops a compile: the module then runs from memory.
     *
     * @param directory the cache's directory, created {@code rwx------} when needed
     * @param maxBytes the bound on the entries' total size
     * @return this builder
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     */
    public Builder moduleCache(Path directory, long maxBytes) {
      if (maxBytes < 0) {
        throw new IllegalArgumentException("the cache bound must be at least 0, got " + maxBytes);
      }
      this.cacheDirectory = Objects.requireNonNull(directory, "directory");
      this.cacheMaxBytes = maxBytes;
      return this;
    }

    /**
     * Bound the time each module's compile and load may take (default: none): a compile or load
     * still running {@code timeout} after it began stops with a {@link CompileTimeout} naming the
     * phase ("decoding and validating the module took longer than the budget of ..."; the phases
     * are decoding and validation, compiling the functions, linking and writing the artifact,
     * loading the compiled module), within about one block's or a thousand section entries' work,
     * and nothing of it is kept. {@link WasmModule#load} and {@link WasmModule#deserialize} read an
     * artifact under the same bound. For embedders
     * that compile modules they do not trust: a module can be shaped to make any compiler work
     * hard (the compile time of Kiln's hostile shapes is in docs/PERFORMANCE.md), and this is the
     * bound on what one costs. The compile is stopped cooperatively by the compiler's own threads,
     * between units of work; no thread is stopped from outside. A module mapped from the
     * compiled-module cache is not compiled, but its loading is bounded.
     *
     * @param timeout the budget per module compile
     * @return this builder
     * @throws IllegalArgumentException if {@code timeout} is negative
     */
    public Builder compileTimeout(Duration timeout) {
      Objects.requireNonNull(timeout, "timeout");
      if (timeout.isNegative()) {
        throw new IllegalArgumentException("the compile timeout must not be negative, got " + timeout);
      }
      this.compileTimeout = timeout;
      return this;
    }

    /**
     * Write this process's perf map, {@code /tmp/perf-<pid>.map}, naming every function of each
     * module loaded, so {@code perf report} names it (default off; see docs/PROFILING.md). Every
     * module's code is in anonymous memory (Kiln copies each artifact before checking it), so without
     * the map perf names none of it. The map is per process: once on, it stays on for every engine.
     *
     * @param on whether to write the map
     * @return this builder
     */
    public Builder perfMap(boolean on) {
      this.perfMap = on;
      return this;
    }

    /**
     * Makes the engine's instances in a pool of {@code sizes} reserved when the engine is built
     * ({@link PoolingAllocation}: for an instance per request; no mapping made or removed per
     * instance), instead of on demand (the default: each instance maps its memories itself, and no
     * address space is held while no instance lives).
     *
     * @param sizes the pool's sizes, or null for on-demand instances
     * @return this builder
     */
    public Builder pooling(PoolingAllocation sizes) {
      this.pooling = sizes;
      return this;
    }

    /**
     * The engine.
     *
     * @return a new engine with these settings
     * @throws IllegalStateException if no target was set and Kiln has none for this machine
     * @throws KilnException if the instance pool's address space cannot be reserved
     */
    public Engine build() {
      ThreadStack.requireRoomToLink("Engine.Builder.build");
      if (target == null) {
        throw new IllegalStateException("Kiln has no target for this machine (" + System.getProperty("os.arch")
            + "); set one with Engine.Builder.target");
      }
      if (x86Features != null && target != Target.X86_64) {
        throw new IllegalStateException("x86-64 features are for the x86-64 target, not " + target);
      }
      if (perfMap) {
        PerfMap.enable();
      }
      return new Engine(this);
    }
  }
}
