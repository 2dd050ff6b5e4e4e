package dev.kiln.runtime;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import dev.kiln.artifact.IncompatibleArtifactException;
import dev.kiln.artifact.elf.BoundedFileReader;
import dev.kiln.artifact.elf.CwasmFile;
import dev.kiln.artifact.info.ModuleInfo;
import dev.kiln.cache.CachedArtifact;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.sys.ThreadStack;
import dev.kiln.runtime.internal.ModuleCompiler;
import dev.kiln.wasm.Wasm;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A compiled module: native code for its {@link Engine}'s target, copied into private memory and
 * checked there (so what runs is what was checked, whatever happens to the file later), ready to
 * instantiate any number of times, in any number of stores and threads. Made from a {@code .wasm}
 * ({@link #compile(Engine, byte[])}, compiled in memory) or from a {@code .cwasm} written by {@code
 * kiln compile} or {@link #serialize()} ({@link #load}, {@link #deserialize}: read, with no
 * compiler work at all).
 *
 * <p>Named as Chicory names it, not {@code Module}, so that {@code import dev.kiln.runtime.*} does
 * not collide with {@code java.lang.Module}.
 *
 * <p>Close it in any order with its instances: closing stops new instantiations, and the code stays
 * until the last instance of it is gone.
 */
public final class WasmModule implements AutoCloseable {
  /** Where e_machine is in an ELF header (System V ABI): after e_ident (16 bytes) and e_type (2). */
  private static final int E_MACHINE = 18;

  private final Engine engine;
  private final LoadedModule loaded;
  private final CacheUse cacheUse;

  private WasmModule(Engine engine, LoadedModule loaded, CacheUse cacheUse) {
    this.engine = engine;
    this.loaded = loaded;
    this.cacheUse = cacheUse;
  }

  /**
   * Compiles a {@code .wasm} binary for the engine's target and loads the code.
   *
   * @param engine the engine whose target and checks the code has
   * @param wasm the module's bytes (WebAssembly 2.0 binary format)
   * @return the module
   * @throws KilnException if the module is malformed, invalid or uses something Kiln cannot compile
   * @throws UncheckedIOException if the file in {@code java.io.tmpdir} that a module of 4 MB of
   *     function bodies or more is compiled through cannot be read back, or was closed by an
   *     interrupt of the compiling thread (a full disk only keeps the functions in memory)
   */
  public static WasmModule compile(Engine engine, byte[] wasm) {
    ThreadStack.requireRoomToLink("WasmModule.compile");
    Objects.requireNonNull(wasm, "wasm");
    return Failures.translated(() -> {
      try {
        ModuleCompiler.Loaded compiled = engine.compileAndLoad(wasm);
        return new WasmModule(engine, compiled.module(), cacheUse(compiled));
      } catch (IOException e) {
        throw new UncheckedIOException("compiled-module cache: " + e.getMessage(), e);
      }
    });
  }

  /**
   * Compiles the {@code .wasm} file at {@code path} ({@link #compile(Engine, byte[])}).
   *
   * @param engine the engine whose target and checks the code has
   * @param path a {@code .wasm} file
   * @return the module
   * @throws UncheckedIOException if the file cannot be read or is no regular file (a FIFO, a device),
   *     or as {@link #compile(Engine, byte[])}
   * @throws KilnException if the module is malformed, invalid or uses something Kiln cannot compile
   */
  public static WasmModule compile(Engine engine, Path path) {
    ThreadStack.requireRoomToLink("WasmModule.compile");
    try {
      return compile(engine, BoundedFileReader.read(path, BoundedFileReader.MAX_ARRAY_BYTES, "a module"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + path + ": " + e.getMessage(), e);
    }
  }

  /**
   * Loads a {@code .cwasm} file ({@code kiln compile}'s output, or {@link #serialize()}'s written to
   * a file): it is read into private memory, and that copy's seal, structure and compatibility with
   * the engine are checked before any of its code is published; writing or truncating the file
   * afterwards changes nothing that runs.
   *
   * @param engine the engine the artifact must fit (target, checks, verify key)
   * @param cwasm the artifact's path
   * @return the module
   * @throws UncheckedIOException if the file cannot be read
   * @throws KilnException if the file is damaged, not a {@code .cwasm}, not signed with the engine's
   *     verify key, or compiled for another target or with other checks
   */
  public static WasmModule load(Engine engine, Path cwasm) {
    ThreadStack.requireRoomToLink("WasmModule.load");
    try {
      return Failures.translated(() -> checked(engine, engine.withinBudget(() -> {
        try {
          return LoadedModule.open(cwasm, null, engine.limits(), engine.verifyKey());
        } catch (IOException e) {
          throw new UncheckedIOException("cannot read " + cwasm + ": " + e.getMessage(), e);
        }
      })));
    } catch (CompileTimeout e) {
      throw e; // its own type, so a caller can say which deadline passed
    } catch (KilnException e) {
      throw new KilnException(cwasm + ": " + e.getMessage(), e.getCause());
    }
  }

  /**
   * Loads {@code .cwasm} bytes held in memory (copied once), checked as {@link #load} checks a file.
   *
   * @param engine the engine the artifact must fit
   * @param cwasm the artifact's bytes, e.g. from {@link #serialize()}
   * @return the module
   * @throws KilnException if the bytes are damaged or do not fit the engine
   */
  public static WasmModule deserialize(Engine engine, byte[] cwasm) {
    ThreadStack.requireRoomToLink("WasmModule.deserialize");
    return Failures.translated(() ->
        checked(engine, engine.withinBudget(
            () -> LoadedModule.fromBytes(cwasm, null, engine.limits(), engine.verifyKey()))));
  }

  /**
   * The module a build packed beside {@code owner} as class-path resources (what {@code
   * kiln-maven-plugin} does for the class it generates): {@code NAME.TARGET.cwasm} for the engine's
   * target, deserialized (copied into private memory and checked there, as {@link #deserialize}
   * checks any artifact); if there is none, or it does not fit this host or engine (compiled for a
   * CPU extension this machine lacks, by another Kiln version, with other settings), {@code
   * NAME.wasm} compiled now, if the build packed it. A damaged artifact is refused, never replaced by
   * a compile: it means the jar itself was changed.
   *
   * @param engine the engine the module is for (its target picks the artifact)
   * @param owner the class the resources sit beside (same package, same class loader)
   * @param name the resources' base name, e.g. the class's simple name
   * @return the module
   * @throws KilnException if the artifact is damaged, or there is no usable artifact and no {@code
   *     .wasm} to compile (the message names both resources)
   * @throws UncheckedIOException if a resource cannot be read
   */
  public static WasmModule fromClassPath(Engine engine, Class<?> owner, String name) {
    ThreadStack.requireRoomToLink("WasmModule.fromClassPath");
    Objects.requireNonNull(owner, "owner");
    String artifactName = name + "." + engine.target().displayName() + ".cwasm";
    byte[] artifact = resource(owner, artifactName);
    String unusable = "is not in the class path";
    if (artifact != null) {
      try {
        return deserialize(engine, artifact);
      } catch (KilnException e) {
        if (!(e.getCause() instanceof IncompatibleArtifactException)) {
          throw new KilnException(artifactName + ": " + e.getMessage(), e.getCause());
        }
        unusable = "does not fit here (" + e.getMessage() + ")";
      }
    }
    byte[] wasm = resource(owner, name + ".wasm");
    if (wasm == null) {
      throw new KilnException(artifactName + " beside " + owner.getName() + " " + unusable
          + ", and the build packed no " + name + ".wasm to compile instead", null);
    }
    return compile(engine, wasm);
  }

  private static byte[] resource(Class<?> owner, String name) {
    try (InputStream in = owner.getResourceAsStream(name)) {
      return in == null ? null : in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the resource " + name + " beside " + owner.getName(), e);
    }
  }

  private static WasmModule checked(Engine engine, LoadedModule loaded) {
    Target target = Conversions.target(loaded.file().target());
    if (target != engine.target()) {
      loaded.close();
      throw new KilnException("the artifact's code is for " + target + ", the engine's target is "
          + engine.target(), null);
    }
    return new WasmModule(engine, loaded, new CacheUse.Uncached());
  }

  private static CacheUse cacheUse(ModuleCompiler.Loaded compiled) {
    if (compiled.lookup().isEmpty()) {
      return new CacheUse.Uncached();
    }
    // instanceof, not a pattern switch: a switch spins a class at its first run, on every cached
    // run (loader.module.TableInitPlan.constant says why that counts); the last kind is a cast.
    CachedArtifact<LoadedModule> lookup = compiled.lookup().get();
    if (lookup instanceof CachedArtifact.Hit<LoadedModule> hit) {
      return new CacheUse.Hit(hit.path());
    }
    if (lookup instanceof CachedArtifact.Compiled<LoadedModule> stored) {
      return new CacheUse.Stored(stored.path());
    }
    if (lookup instanceof CachedArtifact.NotStored<LoadedModule> notStored) {
      return new CacheUse.NotStored(compiled.cacheDirectory(), notStored.reason());
    }
    return new CacheUse.Refused(compiled.cacheDirectory(), ((CachedArtifact.Refused<LoadedModule>) lookup).reason());
  }

  /**
   * Decodes and validates {@code wasm} (WebAssembly 2.0 sections 5 and 3) without compiling it, as
   * Wasmtime's {@code Module::validate}.
   *
   * @param wasm the module's bytes
   * @throws KilnException if it is malformed ({@code "malformed: at 0x..: reason"}) or invalid
   *     ({@code "invalid: at 0x.. (function N): reason"})
   */
  public static void validate(byte[] wasm) {
    ThreadStack.requireRoomToLink("WasmModule.validate");
    Objects.requireNonNull(wasm, "wasm");
    Failures.translated(() -> Wasm.load(wasm));
  }

  /**
   * The target a {@code .cwasm} was compiled for, from the start of its bytes (its ELF header's
   * machine field), so that a tool can make the {@link Engine} to {@link #load} it with; empty if
   * the bytes do not start like a {@code .cwasm} or name no Kiln target. Nothing else is checked
   * here: loading checks everything.
   *
   * @param head the file's first bytes, 64 or more
   * @return the target
   */
  public static Optional<Target> precompiledTarget(byte[] head) {
    ThreadStack.requireRoomToLink("WasmModule.precompiledTarget");
    if (!CwasmFile.looksLikeCwasm(MemorySegment.ofArray(head))) {
      return Optional.empty();
    }
    int machine = Short.toUnsignedInt(ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).getShort(E_MACHINE));
    return dev.kiln.artifact.Target.fromElfMachine(machine).map(Conversions::target);
  }

  /**
   * The imports of the module a {@code .cwasm} holds, read from its bytes without loading any code
   * (for a tool that compiled for another target, e.g. a build-time code generator). The artifact's
   * seal and structure are checked as {@link #deserialize} checks them; its code is never mapped.
   *
   * @param cwasm the artifact's bytes
   * @return the imports, in the order of the module's import section
   * @throws KilnException if the bytes are no intact {@code .cwasm}
   */
  public static List<ImportType> precompiledImports(byte[] cwasm) {
    ThreadStack.requireRoomToLink("WasmModule.precompiledImports");
    ModuleInfo info = precompiledInfo(cwasm);
    return importTypes(info, new dev.kiln.loader.runtime.RuntimeTypes());
  }

  /**
   * The exports of the module a {@code .cwasm} holds, read as {@link #precompiledImports} reads its
   * imports.
   *
   * @param cwasm the artifact's bytes
   * @return the exports, in the order of the module's export section
   * @throws KilnException if the bytes are no intact {@code .cwasm}
   */
  public static List<ExportType> precompiledExports(byte[] cwasm) {
    ThreadStack.requireRoomToLink("WasmModule.precompiledExports");
    ModuleInfo info = precompiledInfo(cwasm);
    return exportTypes(info, new dev.kiln.loader.runtime.RuntimeTypes());
  }

  private static ModuleInfo precompiledInfo(byte[] cwasm) {
    Objects.requireNonNull(cwasm, "cwasm");
    return Failures.translated(() -> CwasmFile.open(MemorySegment.ofArray(cwasm)).moduleInfo());
  }

  /**
   * What compiling the module did with the engine's compiled-module cache; {@link
   * CacheUse.Uncached} for a module loaded from a {@code .cwasm}.
   *
   * @return the cache's part
   */
  public CacheUse cacheUse() {
    return cacheUse;
  }

  /**
   * The module as {@code .cwasm} bytes, which {@link #deserialize} (or {@code kiln run}) loads
   * without compiling again, on any machine with the same target and CPU extensions.
   *
   * @return a copy of the artifact's bytes
   */
  public byte[] serialize() {
    return loaded.file().file().toArray(JAVA_BYTE);
  }

  /**
   * The engine the module was compiled or loaded with.
   *
   * @return the engine
   */
  public Engine engine() {
    return engine;
  }

  /**
   * The module's imports, in the order of its import section.
   *
   * @return the imports
   */
  public List<ImportType> imports() {
    ThreadStack.requireRoomToLink("WasmModule.imports");
    return importTypes(loaded.info(), engine.types());
  }

  private static List<ImportType> importTypes(ModuleInfo info, dev.kiln.loader.runtime.RuntimeTypes types) {
    List<ExternType> described = Conversions.importTypes(new Conversions.ModuleTypes(info, types));
    List<ImportType> out = new java.util.ArrayList<>(described.size());
    for (int i = 0; i < described.size(); i++) {
      out.add(new ImportType(info.imports().get(i).module(), info.imports().get(i).name(), described.get(i)));
    }
    return out;
  }

  private static List<ExportType> exportTypes(ModuleInfo info, dev.kiln.loader.runtime.RuntimeTypes types) {
    Conversions.ModuleTypes module = new Conversions.ModuleTypes(info, types);
    return info.exports().stream().map(e -> new ExportType(e.name(), Conversions.externType(module, e))).toList();
  }

  /**
   * The module's exports, in the order of its export section.
   *
   * @return the exports
   */
  public List<ExportType> exports() {
    ThreadStack.requireRoomToLink("WasmModule.exports");
    return exportTypes(loaded.info(), engine.types());
  }

  LoadedModule loaded() {
    return loaded;
  }

  /** Stops new instantiations; the code stays until the module's last instance is gone. */
  @Override
  public void close() {
    ThreadStack.requireRoomToLink("WasmModule.close");
    loaded.close();
  }
}
