package dev.kiln.runtime.internal;

import dev.kiln.artifact.FuncKey;
import dev.kiln.artifact.compat.CompatHeader;
import dev.kiln.artifact.elf.CwasmWriter;
import dev.kiln.artifact.seal.ArtifactSeal;
import dev.kiln.artifact.seal.SigningKey;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.cache.CachedArtifact;
import dev.kiln.cache.CompilerIdentity;
import dev.kiln.cache.ModuleCache;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.regalloc.MoveCounts;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompileProgress;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.compiler.link.CompiledFunctions;
import dev.kiln.compiler.link.LinkedText;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.wasm.Features;
import dev.kiln.wasm.Wasm;
import dev.kiln.wasm.module.Module;
import dev.kiln.deadline.CompileDeadline;
import dev.kiln.deadline.Phase;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * The one path from a module's bytes to an artifact and to loaded code, for the embedding API
 * ({@code WasmModule.compile}, {@code Engine.precompile}) and the tools ({@code kiln run}, {@code
 * kiln compile}) alike: decode and validate, compile on the options' threads, link, write the
 * {@code .cwasm} image; and compile-or-load through the compiled-module cache, keyed by the bytes,
 * the compiler build and every setting the code depends on. One instance per engine; thread-safe.
 */
public final class ModuleCompiler {
  private final String version;
  private final Supplier<Backend> backendFactory;
  private final CompileOptions options;
  private final Optional<SigningKey> signKey;
  private final Optional<Path> cacheDirectory;
  private final long cacheMaxBytes;
  private Backend backend;
  /** Made at the first compile that uses it; empty without a cache directory. */
  private Optional<ModuleCache> moduleCache;

  /**
   * @param version the Kiln version artifacts record and the cache keys on
   * @param backendFactory makes the code generator at the first compile (a run that only loads a
   *     {@code .cwasm} loads no compiler class)
   * @param options the compile settings, the compile's time budget included
   * @param signKey the key artifacts for elsewhere ({@link #artifact}) are signed with
   * @param cacheDirectory the compiled-module cache's directory, if there is one
   * @param cacheMaxBytes the bound on the cache's entries
   */
  public ModuleCompiler(String version, Supplier<Backend> backendFactory, CompileOptions options,
      Optional<SigningKey> signKey, Optional<Path> cacheDirectory, long cacheMaxBytes) {
    this.version = Objects.requireNonNull(version, "version");
    this.backendFactory = Objects.requireNonNull(backendFactory, "backendFactory");
    this.options = Objects.requireNonNull(options, "options");
    this.signKey = Objects.requireNonNull(signKey, "signKey");
    this.cacheDirectory = Objects.requireNonNull(cacheDirectory, "cacheDirectory");
    this.cacheMaxBytes = cacheMaxBytes;
  }

  /**
   * A compile's products: the artifact's bytes and the figures {@code kiln compile} prints. Not the
   * compiled functions: they are dropped before the file is laid out ({@link #compile}).
   *
   * @param artifact the {@code .cwasm} bytes, unsigned
   * @param functions functions placed in the text
   * @param dropped functions no root reaches
   * @param codeBytes the text's size
   * @param moves what register allocation left in all functions together
   */
  public record Compilation(byte[] artifact, int functions, int dropped, int codeBytes, MoveCounts moves) {}

  /**
   * What {@link #compileTo} wrote and the figures {@code kiln compile} prints.
   *
   * @param artifactBytes the size of the file written
   * @param functions functions placed in the text
   * @param dropped functions no root reaches
   * @param codeBytes the text's size
   * @param moves what register allocation left in all functions together
   * @param functionMoves the same per function that has any, by key, if {@link #compileTo} was asked
   *     for them (empty otherwise)
   */
  public record Written(long artifactBytes, int functions, int dropped, int codeBytes, MoveCounts moves,
      SortedMap<FuncKey, MoveCounts> functionMoves) {
    public Written {
      functionMoves = Collections.unmodifiableSortedMap(new TreeMap<>(functionMoves));
    }
  }

  /**
   * A compile made and linked, the writer fed: the writer reads the compiled functions' code (which
   * it relocates into the file as it writes) and holds the tables' entries, not the module. The
   * functions, a large module's in a file ({@link CompiledFunctions}), are closed after the file is
   * written ({@link #close}).
   */
  private record Prepared(CwasmWriter writer, int functions, int dropped, int codeBytes, MoveCounts moves,
      SortedMap<FuncKey, MoveCounts> functionMoves, CompiledFunctions compiled) implements AutoCloseable {
    @Override
    public void close() {
      compiled.close();
    }
  }

  /** The code generator, made once. */
  public synchronized Backend backend() {
    if (backend == null) {
      backend = backendFactory.get();
    }
    return backend;
  }

  /** The compile settings (with the time budget, if any). */
  public CompileOptions options() {
    return options;
  }

  /** The version artifacts record. */
  public String version() {
    return version;
  }

  /** The epoch and fuel checks the code has, which the loader requires of an artifact. */
  public ExecutionLimits limits() {
    return options.limits();
  }

  /**
   * {@code wasm} decoded, validated, compiled, linked and written, reporting each finished function
   * to {@code progress}; unsigned.
   */
  public Compilation compile(byte[] wasm, CompileProgress progress) {
    return withinBudget(() -> {
      // The module is referenced only from prepare's frame, gone before the file is laid out: the
      // file's array is then made beside the compiled functions and the tables' entries, not beside
      // the module too.
      try (Prepared p = prepare(wasm, progress, false)) {
        return new Compilation(p.writer().toByteArray(), p.functions(), p.dropped(), p.codeBytes(), p.moves());
      }
    });
  }

  /**
   * {@code wasm} compiled as {@link #compile} does and the artifact written to {@code target} as
   * {@link #artifact} would give it (signed with the sign key if there is one), streamed: the file
   * goes to disk as it is laid out, so no array of the whole artifact is made (issue 40: 68 MB for
   * a 30 MB module). {@code target} is replaced by a rename ({@link dev.kiln.artifact.elf.ArtifactFileWriter}).
   * Each function's moves are gathered only when {@code perFunctionMoves} asks ({@code kiln compile
   * -v}): a map of a large module's tens of thousands of functions, made on the compile's serial end.
   */
  public Written compileTo(byte[] wasm, CompileProgress progress, Path target, boolean perFunctionMoves)
      throws IOException {
    try {
      return withinBudget(() -> {
        try (Prepared p = prepare(wasm, progress, perFunctionMoves)) {
          long size;
          try {
            size = p.writer().writeTo(target, signKey);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          return new Written(size, p.functions(), p.dropped(), p.codeBytes(), p.moves(), p.functionMoves());
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private Prepared prepare(byte[] wasm, CompileProgress progress, boolean perFunctionMoves) {
    // The bodies are validated on the compile's threads too, before any is compiled.
    Module module = Wasm.load(wasm, Features.ALL, options.jobs());
    CompiledModule compiled = Compiler.compile(module, backend(), options, progress);
    try {
      LinkedText linked = ArtifactEmitter.link(compiled);
      TreeMap<FuncKey, MoveCounts> functionMoves = new TreeMap<>();
      CompiledFunctions functions = compiled.functions();
      if (perFunctionMoves) {
        CompileDeadline.forEach(Phase.ASSEMBLY, functions.size(), i -> {
          MoveCounts moves = functions.held(i).moveCounts();
          if (!moves.isEmpty()) {
            functionMoves.put(functions.key(i), moves);
          }
        });
      }
      return new Prepared(ArtifactEmitter.writer(compiled, linked, version), linked.functions().size(),
          linked.dropped().size() + compiled.inlinedAway().size(), linked.textSize(), compiled.moveCounts(), functionMoves,
          functions);
    } catch (RuntimeException | Error e) {
      compiled.close();
      throw e;
    }
  }

  /**
   * Runs {@code work} (a compile, a load, or both) under the options' time budget: one {@link
   * CompileDeadline} from its start, which decoding, validation, every function job, the artifact's
   * writing and the loader's reading poll ({@link dev.kiln.deadline.Phase}); past it, {@link
   * dev.kiln.deadline.CompileTimeoutException} naming the phase. Within a budget already bound
   * (a load after a compile), that one goes on counting; without a budget, {@code work} as it is.
   */
  public <T> T withinBudget(Supplier<T> work) {
    if (CompileDeadline.current().isPresent() || options.timeout().isEmpty()) {
      return work.get();
    }
    return CompileDeadline.after(options.timeout().get()).call(work);
  }

  /**
   * {@link #compile}'s artifact for use elsewhere, signed with the sign key if there is one (its
   * HMAC-SHA256 tag, which a loader with that verify key checks).
   */
  public byte[] artifact(Compilation compilation) {
    byte[] artifact = compilation.artifact();
    signKey.ifPresent(key -> ArtifactSeal.sign(artifact, key));
    return artifact;
  }

  /**
   * {@code wasm} compiled and loaded: from the compiled-module cache when there is one (an entry
   * that matches is loaded instead of compiling; a miss is compiled and stored), else compiled into
   * memory. Compiled here, so trusted as it is: a verify key is for artifacts from elsewhere. The
   * compile and the load share one time budget ({@link #withinBudget}).
   *
   * @return the module, and what the cache did (empty without a cache)
   */
  public Loaded compileAndLoad(byte[] wasm) throws IOException {
    try {
      return withinBudget(() -> {
        try {
          return compileAndLoadNow(wasm);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private Loaded compileAndLoadNow(byte[] wasm) throws IOException {
    Supplier<byte[]> compile = () -> compile(wasm, CompileProgress.NONE).artifact();
    Optional<ModuleCache> cache = moduleCache();
    if (cache.isEmpty()) {
      return new Loaded(LoadedModule.fromBytes(compile.get(), null, limits(), Optional.empty()), Optional.empty(),
          null);
    }
    CompatHeader expected = CompatHeader.current(version, backend().target(), Compiler.settings(backend(), options));
    CachedArtifact<LoadedModule> lookup =
        cache.get().lookup(wasm, expected, compile, LoadedModule.cacheEntries(limits()));
    return new Loaded(LoadedModule.fromCache(lookup, limits()), Optional.of(lookup), cache.get().directory());
  }

  /**
   * What {@link #compileAndLoad} gave.
   *
   * @param module the loaded code
   * @param lookup what the cache lookup found or did, without a cache empty
   * @param cacheDirectory the cache's directory, null without one
   */
  public record Loaded(LoadedModule module, Optional<CachedArtifact<LoadedModule>> lookup, Path cacheDirectory) {}

  /**
   * The compiled-module cache, made at the first compile: its key needs the compiler's identity, a
   * fingerprint of the compiler's jars (file status reads) that is the same for every module, so it
   * is taken once per engine, not per compile, and not by engines that only load.
   */
  private synchronized Optional<ModuleCache> moduleCache() {
    if (moduleCache == null) {
      moduleCache = cacheDirectory.map(dir -> ModuleCache.at(dir, ModuleCache.defaultKeyFile(System.getenv()),
          cacheMaxBytes, CompilerIdentity.of(version, Compiler.codeProducers(backend()))));
    }
    return moduleCache;
  }
}
