package dev.kiln.tests.support;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.Epoch;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreLimits;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The loader-level tests' way to load modules (once the loader's own {@code api} package; the one
 * embedding API is {@code dev.kiln.runtime}). Loads modules for one configuration: the code settings artifacts must have been compiled with
 * ({@code null}: whatever the artifact says), optionally a key artifacts must be signed with, the
 * epoch and fuel checks their code must have
 * ({@link ExecutionLimits}: none unless asked for, and an artifact with other checks is refused)
 * and, optionally, a {@link WasmCompiler} for {@code .wasm} input. It owns the epoch counter of
 * epoch interruption: {@link #incrementEpoch} from any thread (a timer) reaches every store made by
 * {@link #newStore}.
 *
 * <pre>{@code
 * Engine engine = new Engine().withEpochInterruption(true);
 * try (NativeStore store = engine.newStore(); LoadedModule module = engine.load(Path.of("app.cwasm"))) {
 *   store.setEpochDeadline(1);       // trap at the first increment
 *   timer.schedule(engine::incrementEpoch, 2, TimeUnit.SECONDS);
 *   new Linker(store).instantiate(module).function("run").call();   // Trap(INTERRUPT) after ~2 s
 * }
 * }</pre>
 *
 * <p>Immutable and thread-safe; the {@code with} methods return engines sharing this one's epoch.
 * Modules it loads can be instantiated in any store.
 *
 * <p>Every artifact is checked before any of its code is published: its seal (a CRC32C of the whole
 * file, against accidental damage), its structure, its compatibility. Every failure of those checks
 * is a {@link dev.kiln.artifact.ArtifactException} with a one-line message naming the section and
 * file offset: {@link dev.kiln.artifact.CorruptArtifactException} for a damaged, truncated,
 * foreign or (with a key) unauthenticated file, {@link dev.kiln.artifact.IncompatibleArtifactException}
 * for a sound one made for another format version, target or settings.
 */
public final class Engine {
  private final Map<String, String> codeSettings;
  private final WasmCompiler compiler;
  private final ExecutionLimits limits;
  private final Epoch epoch;
  private final Optional<SigningKey> verifyKey;

  /** An engine that loads {@code .cwasm} files without epoch or fuel checks, and compiles nothing. */
  public Engine() {
    this(null, null, ExecutionLimits.NONE, new Epoch(), Optional.empty());
  }

  private Engine(Map<String, String> codeSettings, WasmCompiler compiler, ExecutionLimits limits, Epoch epoch,
      Optional<SigningKey> verifyKey) {
    this.codeSettings = codeSettings == null ? null : Map.copyOf(codeSettings);
    this.compiler = compiler;
    this.limits = limits;
    this.epoch = epoch;
    this.verifyKey = verifyKey;
  }

  /** This engine, compiling {@code .wasm} input with {@code compiler}. */
  public Engine withCompiler(WasmCompiler compiler) {
    return new Engine(codeSettings, Objects.requireNonNull(compiler, "compiler"), limits, epoch, verifyKey);
  }

  /** This engine, refusing artifacts whose code settings are not exactly {@code settings}. */
  public Engine withCodeSettings(Map<String, String> settings) {
    return new Engine(Objects.requireNonNull(settings, "settings"), compiler, limits, epoch, verifyKey);
  }

  /**
   * This engine, asking for code with ({@code true}) or without epoch-deadline checks: it compiles
   * {@code .wasm} input that way and refuses artifacts compiled the other way.
   */
  public Engine withEpochInterruption(boolean on) {
    return new Engine(codeSettings, compiler, new ExecutionLimits(on, limits.consumeFuel()), epoch, verifyKey);
  }

  /**
   * This engine, asking for code with ({@code true}) or without fuel metering: it compiles {@code
   * .wasm} input that way and refuses artifacts compiled the other way.
   */
  public Engine withConsumeFuel(boolean on) {
    return new Engine(codeSettings, compiler, new ExecutionLimits(limits.epochInterruption(), on), epoch, verifyKey);
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
  public NativeStore newStore() {
    return new NativeStore(epoch);
  }

  /** A new store whose code reads this engine's epoch and whose objects stay within {@code limits}. */
  public NativeStore newStore(StoreLimits limits) {
    return new NativeStore(epoch, NativeStore.DEFAULT_MAX_WASM_STACK, NativeStore.DEFAULT_HEADROOM, limits);
  }

  /**
   * This engine, refusing any artifact not signed with {@code key} ({@code kiln compile --sign-key}):
   * one without a tag, or whose HMAC-SHA256 tag another key made or whose bytes changed after
   * signing. Such artifacts are read into private memory, not mapped, so the bytes whose tag was
   * checked are the bytes that run. Modules this engine compiles itself are trusted as they are.
   */
  public Engine withVerifyKey(SigningKey key) {
    return new Engine(codeSettings, compiler, limits, epoch, Optional.of(Objects.requireNonNull(key, "key")));
  }

  /** The compiler, if one was configured. */
  public Optional<WasmCompiler> compiler() {
    return Optional.ofNullable(compiler);
  }

  /**
   * Maps a {@code .cwasm} file.
   *
   * @throws dev.kiln.artifact.CorruptArtifactException if it is damaged, not a {@code .cwasm}, or
   *     not signed with the engine's verify key
   * @throws dev.kiln.artifact.IncompatibleArtifactException if it was compiled for another target
   *     or with other settings or checks
   */
  public LoadedModule load(Path cwasm) throws IOException {
    return LoadedModule.open(cwasm, codeSettings, limits, verifyKey);
  }

  /** Loads {@code .cwasm} bytes held in memory (copied once), checked as {@link #load} checks a file. */
  public LoadedModule fromArtifact(byte[] cwasm) {
    return LoadedModule.fromBytes(cwasm, codeSettings, limits, verifyKey);
  }

  /**
   * Compiles {@code wasm} for this host, with this engine's epoch and fuel checks, with the
   * configured compiler and loads the result.
   *
   * @throws IllegalStateException if no compiler was configured ({@link #withCompiler})
   */
  public LoadedModule compile(byte[] wasm) {
    if (compiler == null) {
      throw new IllegalStateException("this engine has no compiler; use Engine.withCompiler, or load a .cwasm");
    }
    Target host = HostTarget.current().orElseThrow(() -> new IllegalStateException(
        "this host (" + System.getProperty("os.arch") + ") runs no Kiln target"));
    // Compiled here, so trusted as it is: the verify key is for artifacts from elsewhere.
    return LoadedModule.fromBytes(compiler.compile(wasm, host, limits), codeSettings, limits,
        Optional.empty());
  }
}
