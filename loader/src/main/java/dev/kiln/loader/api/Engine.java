package dev.kiln.loader.api;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.loader.instance.HostTarget;
import dev.kiln.loader.instance.LoadedModule;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Loads modules for one configuration: the code settings artifacts must have been compiled with
 * ({@code null}: whatever the artifact says), optionally a key artifacts must be signed with, and
 * optionally a {@link WasmCompiler} for {@code .wasm} input. Immutable and thread-safe; modules it
 * loads can be instantiated in any store.
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
  private final Optional<SigningKey> verifyKey;

  /** An engine that loads {@code .cwasm} files as they were compiled, and compiles nothing. */
  public Engine() {
    this(null, null, Optional.empty());
  }

  private Engine(Map<String, String> codeSettings, WasmCompiler compiler, Optional<SigningKey> verifyKey) {
    this.codeSettings = codeSettings == null ? null : Map.copyOf(codeSettings);
    this.compiler = compiler;
    this.verifyKey = verifyKey;
  }

  /** This engine, compiling {@code .wasm} input with {@code compiler}. */
  public Engine withCompiler(WasmCompiler compiler) {
    return new Engine(codeSettings, Objects.requireNonNull(compiler, "compiler"), verifyKey);
  }

  /** This engine, refusing artifacts whose code settings are not exactly {@code settings}. */
  public Engine withCodeSettings(Map<String, String> settings) {
    return new Engine(Objects.requireNonNull(settings, "settings"), compiler, verifyKey);
  }

  /**
   * This engine, refusing any artifact not signed with {@code key} ({@code kiln compile --sign-key}):
   * one without a tag, or whose HMAC-SHA256 tag another key made or whose bytes changed after
   * signing. Such artifacts are read into private memory, not mapped, so the bytes whose tag was
   * checked are the bytes that run. Modules this engine compiles itself are trusted as they are.
   */
  public Engine withVerifyKey(SigningKey key) {
    return new Engine(codeSettings, compiler, Optional.of(Objects.requireNonNull(key, "key")));
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
   *     or with other settings
   */
  public WasmModule load(Path cwasm) throws IOException {
    return new WasmModule(LoadedModule.open(cwasm, codeSettings, verifyKey));
  }

  /** Loads {@code .cwasm} bytes held in memory (copied once), checked as {@link #load} checks a file. */
  public WasmModule fromArtifact(byte[] cwasm) {
    return new WasmModule(LoadedModule.fromBytes(cwasm, codeSettings, verifyKey));
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
    return new WasmModule(LoadedModule.fromBytes(compiler.compile(wasm, host), codeSettings));
  }
}
