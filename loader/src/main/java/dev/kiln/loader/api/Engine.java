package dev.kiln.loader.api;

import dev.kiln.artifact.Target;
import dev.kiln.loader.instance.HostTarget;
import dev.kiln.loader.instance.LoadedModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads modules for one configuration: the code settings artifacts must have been compiled with
 * ({@code null}: whatever the artifact says) and, optionally, a {@link WasmCompiler} for {@code
 * .wasm} input. Immutable and thread-safe; modules it loads can be instantiated in any store.
 */
public final class Engine {
  private final Map<String, String> codeSettings;
  private final WasmCompiler compiler;

  /** An engine that loads {@code .cwasm} files as they were compiled, and compiles nothing. */
  public Engine() {
    this(null, null);
  }

  private Engine(Map<String, String> codeSettings, WasmCompiler compiler) {
    this.codeSettings = codeSettings == null ? null : Map.copyOf(codeSettings);
    this.compiler = compiler;
  }

  /** This engine, compiling {@code .wasm} input with {@code compiler}. */
  public Engine withCompiler(WasmCompiler compiler) {
    return new Engine(codeSettings, Objects.requireNonNull(compiler, "compiler"));
  }

  /** This engine, refusing artifacts whose code settings are not exactly {@code settings}. */
  public Engine withCodeSettings(Map<String, String> settings) {
    return new Engine(Objects.requireNonNull(settings, "settings"), compiler);
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
   *     or with other settings
   */
  public WasmModule load(Path cwasm) throws IOException {
    return new WasmModule(LoadedModule.open(cwasm, codeSettings));
  }

  /** Loads {@code .cwasm} bytes held in memory (copied once). */
  public WasmModule fromArtifact(byte[] cwasm) {
    return new WasmModule(LoadedModule.fromBytes(cwasm, codeSettings));
  }

  /**
   * Compiles {@code wasm} for this host with the configured compiler and loads the result.
   *
   * @throws IllegalStateException if no compiler was configured ({@link #withCompiler})
   */
  public WasmModule compile(byte[] wasm) {
    if (compiler == null) {
      throw new IllegalStateException("this engine has no compiler; use Engine.withCompiler, or load a .cwasm");
    }
    Target host = HostTarget.current().orElseThrow(() -> new IllegalStateException(
        "this host (" + System.getProperty("os.arch") + ") runs no Kiln target"));
    return fromArtifact(compiler.compile(wasm, host));
  }
}
