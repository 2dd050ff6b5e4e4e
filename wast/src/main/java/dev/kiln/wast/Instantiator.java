package dev.kiln.wast;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.ExecutionLimits;
import dev.kiln.wast.InstanceSlot.Ready;
import dev.kiln.wast.InstanceSlot.Unavailable;
import dev.kiln.codegen.Backend;
import dev.kiln.codegen.aarch64.AArch64Backend;
import dev.kiln.compiler.UnsupportedFeatureException;
import dev.kiln.compiler.driver.ArtifactEmitter;
import dev.kiln.compiler.driver.CompileOptions;
import dev.kiln.compiler.driver.CompiledModule;
import dev.kiln.compiler.driver.Compiler;
import dev.kiln.compiler.driver.UnsupportedInitialiserException;
import dev.kiln.compiler.link.LinkedText;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.exec.Executors;
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.instance.ImportLinkException;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.TrapException;
import dev.kiln.wasm.module.Module;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;

/**
 * Turns a validated module into a running instance through the same pipeline as {@code kiln run}
 * on a {@code .wasm}: {@link Compiler#compile} for the host, {@link ArtifactEmitter} to {@code .cwasm}
 * bytes, {@link LoadedModule#fromBytes}, {@link dev.kiln.loader.instance.LoadedInstance#instantiate}. One store per script, so
 * every instance of a script shares its stack limit, as the spec's one store does (spec 4.2.3).
 *
 * <p>Imports are resolved by name through the script's {@link ImportNamespace}: the {@link SpecTestModule}
 * and the instances the script registered ({@link #register}). What Kiln cannot run yet is {@link
 * Unavailable}, with the reason: a module importing from a registered module Kiln did not run, a
 * trampoline or initialiser the compiler refuses as unsupported, a start function that reaches a
 * refused function, a target other than the host. A function the translator or backend refuses as
 * unsupported does not make the module unavailable: it is compiled with {@link
 * CompileOptions#refusedFunctionsTrap()}, so the function becomes a stub that traps with {@link
 * TrapCode#UNSUPPORTED}, and only the actions that reach it are skipped ({@link Ready#refusals()}).
 * A fault Kiln should not have is thrown to the caller, which fails the command: any other
 * exception of the compiler (the register allocation checker's among them), a link error, the
 * loader rejecting the compiler's own artifact, a start function's trap, an instantiation failure
 * of a valid import-free module. None of these may pass as a skip.
 *
 * <p>Not thread-safe; closes every instance and module it made.
 */
final class Instantiator implements AutoCloseable {
  static final String AARCH64_NOT_RUN =
      "this host cannot run aarch64 code (an x86-64 host needs Unicorn's libunicorn.so.2)";
  /** Start of the skip reason of whatever reaches a function compiled as an UNSUPPORTED stub. */
  static final String REACHES_REFUSED = "reaches a function Kiln cannot compile yet: ";

  /**
   * The skip reason of code that trapped with {@link TrapCode#UNSUPPORTED}: the module's first
   * refusal (the trap does not say which stub it came from, and one reason is enough to judge).
   */
  static String reachesRefused(SortedMap<Integer, String> refusals) {
    return REACHES_REFUSED + (refusals.isEmpty() ? "(the compiler recorded no refusal)" : refusals.firstEntry().getValue());
  }

  /** The compile options of every module of a script, but for its execution limits. */
  private static final CompileOptions OPTIONS = CompileOptions.defaults().withRefusedFunctionsTrap();
  /**
   * The compat-header setting that says whether funcref tables are lazily initialised ({@code
   * "true"}): the spectest table must use the slot representation the script's code expects.
   */
  private static final String TABLE_LAZY_INIT_SETTING = "table_lazy_init";

  private final Target target;
  private final Backend backend;
  private final CompileOptions options;
  private final ExecutionLimits limits;
  private NativeStore store;
  private ImportNamespace linker;
  /** Register names whose module Kiln did not run, with the reason: importers of them cannot run. */
  private final Map<String, Unavailable> unavailableRegistrations = new HashMap<>();
  private final List<AutoCloseable> instances = new ArrayList<>();
  private final List<AutoCloseable> modules = new ArrayList<>();

  /**
   * @param target the script's target: x86-64 runs on an x86-64 host, AArch64 natively or
   *     emulated (dev.kiln.loader.exec.Executors)
   * @param x64Codegen how to compile x86-64 code
   * @param limits the epoch and fuel checks to compile in (the script's store never trips them)
   */
  Instantiator(Target target, X64Codegen x64Codegen, ExecutionLimits limits) {
    this.target = target;
    this.backend = target == Target.AARCH64 ? new AArch64Backend(false) : x64Codegen.backend();
    this.options = OPTIONS.withLimits(limits);
    this.limits = limits;
  }

  /** Why this run executes nothing, or empty when it runs modules on this host. */
  Optional<String> whyNotExecutable() {
    if (target == Target.AARCH64) {
      return Executors.canRun(dev.kiln.artifact.Target.AARCH64) ? Optional.empty()
          : Optional.of(AARCH64_NOT_RUN);
    }
    if (HostTarget.current().orElse(null) != dev.kiln.artifact.Target.X86_64) {
      return Optional.of("this host (" + System.getProperty("os.arch") + ") cannot run x86_64 code");
    }
    return Optional.empty();
  }

  /**
   * Makes {@code slot}'s exports importable as {@code name} (the script's {@code register}); an
   * unavailable slot makes its importers unavailable too, with its reason.
   */
  void register(String name, InstanceSlot slot) {
    switch (slot) {
      case Ready ready -> {
        unavailableRegistrations.remove(name);
        // A Ready slot was instantiated through the linker, so it exists.
        linker.defineInstance(name, ready.instance());
      }
      case Unavailable u -> unavailableRegistrations.put(name, new Unavailable("imports from \"" + name
          + "\", whose module Kiln did not run (" + u.reason() + ")"));
    }
  }

  /**
   * Compiles, loads and instantiates {@code module} (running its start function).
   *
   * @throws dev.kiln.loader.runtime.TrapException if the start function traps
   * @throws ImportLinkException if an import is unknown or has the wrong type
   * @throws ModuleInstantiationException if instantiation fails (e.g. a segment out of bounds)
   * @throws RuntimeException for any other failure of a module Kiln should run (a compiler
   *     exception other than an unsupported feature, a link error, an artifact the loader refuses)
   */
  InstanceSlot instantiate(Module module) {
    Optional<String> notExecutable = whyNotExecutable();
    if (notExecutable.isPresent()) {
      return new Unavailable(notExecutable.get());
    }
    for (var anImport : module.imports()) {
      Unavailable exporter = unavailableRegistrations.get(anImport.module());
      if (exporter != null) {
        return exporter;
      }
    }
    byte[] artifact;
    CompiledModule compiled;
    try {
      compiled = Compiler.compile(module, backend, options);
      try (compiled) {
        LinkedText linked = ArtifactEmitter.link(compiled);
        artifact = ArtifactEmitter.emit(compiled, linked, "wast");
      }
    } catch (UnsupportedFeatureException | UnsupportedInitialiserException e) {
      return new Unavailable("not compiled: " + e.getMessage());
    }
    LoadedModule loaded = LoadedModule.fromBytes(artifact, null, limits);
    modules.add(loaded);
    Ready ready;
    try {
      ready = new Ready(linker("true".equals(compiled.settings().get(TABLE_LAZY_INIT_SETTING)))
          .instantiate(loaded), compiled.refusals());
    } catch (TrapException trap) {
      if (trap.code() == TrapCode.UNSUPPORTED) {
        return new Unavailable("its start function " + reachesRefused(compiled.refusals()));
      }
      throw trap;
    }
    instances.add(ready.instance());
    return ready;
  }

  /**
   * What {@code word} is to the script's store: a struct or array object of its heap, or neither
   * (also before the store exists). A script runs on one thread, so no collection moved the object
   * since the invocation that returned the word; the store still asks for its claim.
   */
  NativeStore.ObjectKind objectKind(long word) {
    return store == null ? NativeStore.ObjectKind.NONE
        : store.exclusive("tell what a word is", () -> store.objectKind(word));
  }

  /**
   * The script's one store and linker, with the spectest module defined, made on first use: by the
   * first module, whose code settings (the same for every module of the script) say which table
   * representation the spectest table needs.
   */
  private ImportNamespace linker(boolean lazyTables) {
    if (linker == null) {
      store = new NativeStore();
      // Checks compiled in for the run's sake only: nothing in a script is meant to stop on them.
      store.setEpochDeadline(Long.MAX_VALUE);
      store.setFuel(Long.MAX_VALUE);
      // The spectest functions are called by the script's modules, so they are made for its target.
      linker = new ImportNamespace(store, target == Target.AARCH64 ? dev.kiln.artifact.Target.AARCH64
          : dev.kiln.artifact.Target.X86_64);
      SpecTestModule.defineIn(linker, lazyTables);
    }
    return linker;
  }

  /**
   * Closes the instances, then the store (which frees the spectest objects, host functions and the
   * instances whose instantiation failed after others could reach them), then the modules, whose
   * code must stay mapped until every instance of them is gone.
   */
  @Override
  public void close() {
    try {
      closeAll(instances);
      if (store != null) {
        store.close();
        store = null;
        linker = null;
      }
      closeAll(modules);
    } catch (Exception e) {
      throw new IllegalStateException("cannot release a script's instances and modules", e);
    }
  }

  private static void closeAll(List<AutoCloseable> resources) throws Exception {
    for (int i = resources.size() - 1; i >= 0; i--) {
      resources.get(i).close();
    }
    resources.clear();
  }
}
