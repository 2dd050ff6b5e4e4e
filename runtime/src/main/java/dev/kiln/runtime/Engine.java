package dev.kiln.runtime;

import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.cache.CompilerIdentity;
import dev.kiln.cache.ModuleCache;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.codegen.x64.X64Backend;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.profile.PerfMap;
import dev.kiln.loader.runtime.Epoch;
import dev.kiln.wasm.Wasm;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The settings every module compiled or loaded with it shares: the target instruction set, whether
 * code checks an epoch deadline ({@link Builder#epochInterruption}) or meters fuel ({@link
 * Builder#consumeFuel}), and optionally a key artifacts must be signed with. It owns the epoch
 * counter: {@link #incrementEpoch()} from any thread (a timer) reaches every {@link Store} of this
 * engine. Create one per configuration and share it: it is immutable and thread-safe.
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
  /** The version artifacts record and the cache keys on: the jar's, or "dev" when run from classes. */
  private static final String VERSION =
      Objects.requireNonNullElse(Engine.class.getPackage().getImplementationVersion(), "dev");
  private static final long DEFAULT_CACHE_MAX_BYTES = 1L << 30;

  private final Target target;
  private final ExecutionLimits limits;
  private final Optional<SigningKey> verifyKey;
  private final Optional<Path> cacheDirectory;
  private final long cacheMaxBytes;
  private final Optional<Duration> compileTimeout;
  /** Made by {@link #moduleCache} at the first compile; empty without a cache directory. */
  private Optional<ModuleCache> moduleCache;
  private final Epoch epoch = new Epoch();

  private Engine(Builder builder) {
    this.target = builder.target;
    this.limits = new ExecutionLimits(builder.epochInterruption, builder.consumeFuel);
    this.verifyKey = Optional.ofNullable(builder.verifyKey);
    this.cacheDirectory = Optional.ofNullable(builder.cacheDirectory);
    this.cacheMaxBytes = builder.cacheMaxBytes;
    this.compileTimeout = Optional.ofNullable(builder.compileTimeout);
  }

  /**
   * An engine with the defaults: this host's target, no epoch or fuel checks, no verify key.
   *
   * @return the engine
   * @throws IllegalStateException if Kiln has no target for this machine's architecture
   */
  public static Engine create() {
    return builder().build();
  }

  /**
   * A builder starting from the defaults of {@link #create()}.
   *
   * @return a new builder
   */
  public static Builder builder() {
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

  ExecutionLimits limits() {
    return limits;
  }

  /**
   * {@code wasm} compiled for this engine's target and checks and loaded: decoded, validated,
   * compiled on all cores, linked and written as {@code kiln compile} does, or mapped from the
   * compiled-module cache when the engine has one ({@link Builder#moduleCache}), keyed by the bytes,
   * the compiler build and every setting the code depends on. Every way of compiling a module goes
   * through here.
   */
  LoadedModule compileAndLoad(byte[] wasm) throws IOException {
    Backend backend = backend();
    CompileOptions options = CompileOptions.defaults().withLimits(limits);
    if (compileTimeout.isPresent()) {
      options = options.withTimeout(compileTimeout.get());
    }
    CompileOptions chosen = options;
    Supplier<byte[]> compile = () -> {
      CompiledModule compiled = Compiler.compile(Wasm.load(wasm), backend, chosen);
      return ArtifactEmitter.emit(compiled, ArtifactEmitter.link(compiled), VERSION);
    };
    Optional<ModuleCache> cache = moduleCache(backend);
    if (cache.isEmpty()) {
      return LoadedModule.fromBytes(compile.get(), null, limits, Optional.empty());
    }
    CompatHeader expected = CompatHeader.current(VERSION, backend.target(), Compiler.settings(backend, options));
    // Compiled here, so trusted as it is: the engine's verify key is for artifacts from elsewhere.
    return LoadedModule.fromCache(cache.get().lookup(wasm, expected, compile, LoadedModule.cacheEntries(limits)),
        limits);
  }

  /**
   * The engine's compiled-module cache, made at the first compile: its key needs the compiler's
   * identity, a fingerprint of the compiler's jars (file status reads) that is the same for every
   * module, so it is taken once per engine, not per compile, and not by engines that only load.
   */
  private synchronized Optional<ModuleCache> moduleCache(Backend backend) {
    if (moduleCache == null) {
      moduleCache = cacheDirectory.map(dir -> ModuleCache.at(dir, ModuleCache.defaultKeyFile(System.getenv()),
          cacheMaxBytes, CompilerIdentity.of(VERSION, Compiler.codeProducers(backend))));
    }
    return moduleCache;
  }


  private Backend backend() {
    return switch (target) {
      case X86_64 -> X64Backend.forHost();
      case AARCH64 -> new AArch64Backend(false);
    };
  }

  Optional<SigningKey> verifyKey() {
    return verifyKey;
  }

  /** The settings of an {@link Engine}; each setter returns this builder. */
  public static final class Builder {
    private Target target;
    private boolean epochInterruption;
    private boolean consumeFuel;
    private SigningKey verifyKey;
    private boolean perfMap;
    private Path cacheDirectory;
    private long cacheMaxBytes;
    private Duration compileTimeout;

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
     * Keep compiled modules in the compiled-module cache that {@code kiln run} uses ({@code
     * $XDG_CACHE_HOME/kiln}, else {@code ~/.cache/kiln}), bounded to 1 GiB (default: no cache). See
     * {@link #moduleCache(Path, long)}.
     *
     * @return this builder
     */
    public Builder moduleCache() {
      return moduleCache(ModuleCache.defaultDirectory(System.getenv()), DEFAULT_CACHE_MAX_BYTES);
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
     * Bound the time each module's compile may take (default: none): a compile still running
     * {@code timeout} after it began stops with a {@link KilnException} ("compile took longer than
     * its budget of ..."), within about one block's work, and nothing of it is kept. For embedders
     * that compile modules they do not trust: a module can be shaped to make any compiler work
     * hard (the compile time of Kiln's hostile shapes is in docs/PERFORMANCE.md), and this is the
     * bound on what one costs. The compile is stopped cooperatively by the compiler's own threads,
     * between units of work; no thread is stopped from outside. A module mapped from the
     * compiled-module cache is not compiled, so the bound does not apply to it.
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
     * The engine.
     *
     * @return a new engine with these settings
     * @throws IllegalStateException if no target was set and Kiln has none for this machine
     */
    public Engine build() {
      if (target == null) {
        throw new IllegalStateException("Kiln has no target for this machine (" + System.getProperty("os.arch")
            + "); set one with Engine.Builder.target");
      }
      if (perfMap) {
        PerfMap.enable();
      }
      return new Engine(this);
    }
  }
}
