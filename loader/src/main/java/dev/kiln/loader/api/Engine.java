package dev.kiln.loader.api;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.instance.HostTarget;
import dev.kiln.loader.instance.LoadedModule;
import dev.kiln.loader.runtime.Epoch;
import dev.kiln.loader.runtime.Store;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads modules for one configuration: the code settings artifacts must have been compiled with
 * ({@code null}: whatever the artifact says), the epoch and fuel checks their code must have
 * ({@link ExecutionLimits}: none unless asked for, and an artifact with other checks is refused)
 * and, optionally, a {@link WasmCompiler} for {@code .wasm} input. It owns the epoch counter of
 * epoch interruption: {@link #incrementEpoch} from any thread (a timer) reaches every store made by
 * {@link #newStore}.
 *
 * <pre>{@code
 * Engine engine = new Engine().withEpochInterruption(true);
 * try (Store store = engine.newStore(); WasmModule module = engine.load(Path.of("app.cwasm"))) {
 *   store.setEpochDeadline(1);       // trap at the first increment
 *   timer.schedule(engine::incrementEpoch, 2, TimeUnit.SECONDS);
 *   new Linker(store).instantiate(module).function("run").call();   // Trap(INTERRUPT) after ~2 s
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; the {@code with} methods return engines sharing this one's epoch.
 * Modules it loads can be instantiated in any store.
 */
public final class Engine {
  private final Map<String, String> codeSettings;
  private final WasmCompiler compiler;
  private final ExecutionLimits limits;
  private final Epoch epoch;

  /** An engine that loads {@code .cwasm} files without epoch or fuel checks, and compiles nothing. */
  public Engine() {
    this(null, null, ExecutionLimits.NONE, new Epoch());
  }

  private Engine(Map<String, String> codeSettings, WasmCompiler compiler, ExecutionLimits limits, Epoch epoch) {
    this.codeSettings = codeSettings == null ? null : Map.copyOf(codeSettings);
    this.compiler = compiler;
    this.limits = limits;
    this.epoch = epoch;
  }

  /** This engine, compiling {@code .wasm} input with {@code compiler}. */
  public Engine withCompiler(WasmCompiler compiler) {
    return new Engine(codeSettings, Objects.requireNonNull(compiler, "compiler"), limits, epoch);
  }

  /** This engine, refusing artifacts whose code settings are not exactly {@code settings}. */
  public Engine withCodeSettings(Map<String, String> settings) {
    return new Engine(Objects.requireNonNull(settings, "settings"), compiler, limits, epoch);
  }

  /**
   * This engine, asking for code with ({@code true}) or without epoch-deadline checks: it compiles
   * {@code .wasm} input that way and refuses artifacts compiled the other way.
   */
  public Engine withEpochInterruption(boolean on) {
    return new Engine(codeSettings, compiler, new ExecutionLimits(on, limits.consumeFuel()), epoch);
  }

  /**
   * This engine, asking for code with ({@code true}) or without fuel metering: it compiles {@code
   * .wasm} input that way and refuses artifacts compiled the other way.
   */
  public Engine withConsumeFuel(boolean on) {
    return new Engine(codeSettings, compiler, new ExecutionLimits(limits.epochInterruption(), on), epoch);
  }

  /** The epoch and fuel checks this engine asks code for. */
  public ExecutionLimits limits() {
    return limits;
  }

  /** The epoch counter of this engine's stores. */
  public Epoch epoch() {
    return epoch;
  }

  /**
   * Advances the epoch by one, from any thread (Wasmtime's {@code Engine::increment_epoch}): code
   * of a store whose deadline it reaches traps with {@code INTERRUPT} at its next check.
   */
  public void incrementEpoch() {
    epoch.increment();
  }

  /** A new store whose code reads this engine's epoch. */
  public Store newStore() {
    return new Store(epoch);
  }

  /** The compiler, if one was configured. */
  public Optional<WasmCompiler> compiler() {
    return Optional.ofNullable(compiler);
  }

  /**
   * Maps a {@code .cwasm} file.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException if it is damaged or not a {@code .cwasm}
   * @throws dev.kiln.artifact.IncompatibleArtifactException if it was compiled for another target
   *     or with other settings or checks
   */
  public WasmModule load(Path cwasm) throws IOException {
    return new WasmModule(LoadedModule.open(cwasm, codeSettings, limits));
  }

  /** Loads {@code .cwasm} bytes held in memory (copied once). */
  public WasmModule fromArtifact(byte[] cwasm) {
    return new WasmModule(LoadedModule.fromBytes(cwasm, codeSettings, limits));
  }

  /**
   * Compiles {@code wasm} for this host, with this engine's epoch and fuel checks, with the
   * configured compiler and loads the result.
   *
   * @throws IllegalStateException if no compiler was configured ({@link #withCompiler})
   */
  public WasmModule compile(byte[] wasm) {
    if (compiler == null) {
      throw new IllegalStateException("this engine has no compiler; use Engine.withCompiler, or load a .cwasm");
    }
    Target host = HostTarget.current().orElseThrow(() -> new IllegalStateException(
        "this host (" + System.getProperty("os.arch") + ") runs no Kiln target"));
    return fromArtifact(compiler.compile(wasm, host, limits));
  }
}
