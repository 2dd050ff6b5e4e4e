package dev.kiln.loader.link;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.Import;
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.host.HostFunction;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.ImportLinkException;
import dev.kiln.loader.instance.InstantiationDeadline;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.module.LoadedModule;
import dev.kiln.loader.runtime.NativeStore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Definitions by two-level name ({@code module}, {@code name}) in one {@link NativeStore}, and
 * instantiation of modules against them (WebAssembly 2.0 section 4.5.4: each import is resolved by
 * its names; a missing one is "unknown import", a mistyped one "incompatible import type"). Host
 * functions it creates ({@link #own}) live until it is closed ({@link #close()}) and no live
 * instance imports them, or until the store closes. The API's {@code dev.kiln.runtime.Linker}
 * wraps one.
 *
 * <p>Why a close: a host function's handle keeps it in the store, so one made per request through
 * a new linker in a long-lived store stayed until the store closed (a block of C heap, a KiB of
 * Java heap and, for WASI's functions, the guest's open files, each request). Closing the linker
 * closes the handles it made; the store counts the functions still live against {@code
 * StoreLimits.maxHostFunctions}.
 *
 * <p>Not thread-safe; a store runs on one thread at a time anyway.
 */
public final class ImportNamespace {
  private final NativeStore store;
  private final Target target;
  private final Map<String, Map<String, Extern>> definitions = new LinkedHashMap<>();
  /** The host functions this linker made, whose handles {@link #close()} closes. */
  private final List<HostFunction> owned = new ArrayList<>();
  private boolean closed;

  /** A linker whose host functions are called by code of the host's own instruction set. */
  public ImportNamespace(NativeStore store) {
    this(store, HostTarget.current().orElseThrow(() -> new IllegalStateException(
        "this host (" + System.getProperty("os.arch") + ") runs no Kiln target")));
  }

  /**
   * A linker whose host functions are called by code of {@code target}: a host function's address
   * is made by the store's executor for that target (an emulated module cannot call an FFM upcall).
   */
  public ImportNamespace(NativeStore store, Target target) {
    this.target = Objects.requireNonNull(target, "target");
    this.store = Objects.requireNonNull(store, "store");
  }

  public NativeStore store() {
    return store;
  }

  /** The instruction set of the code that calls this linker's host functions. */
  public Target target() {
    return target;
  }

  /** Defines {@code module}.{@code name} as {@code extern}, replacing an earlier definition. */
  public ImportNamespace define(String module, String name, Extern extern) {
    Objects.requireNonNull(extern, "extern");
    definitions.computeIfAbsent(Objects.requireNonNull(module, "module"), m -> new LinkedHashMap<>())
        .put(Objects.requireNonNull(name, "name"), extern);
    return this;
  }

  /** Defines a host function written in Java; its exceptions become traps of the calling wasm code. */
  public ImportNamespace defineFunction(String module, String name, FuncType type, HostFunction.Callback callback) {
    checkOpen();
    return define(module, name, new Extern.Function(own(HostFunction.create(store, type, callback, target)).function()));
  }

  /**
   * Defines a host function whose body sees the calling instance ({@link
   * dev.kiln.loader.host.CallingInstance}, e.g. to read its memory); its exceptions become traps.
   */
  public ImportNamespace defineFunction(String module, String name, FuncType type, HostFunction.CallerCallback callback) {
    checkOpen();
    return define(module, name, new Extern.Function(own(HostFunction.create(store, type, callback, target)).function()));
  }

  /**
   * Defines a host function of the precise type {@code type} ({@link HostFunction#create(NativeStore,
   * dev.kiln.wasm.types.FuncType, HostFunction.CallerCallback, Target)}: e.g. one of exnrefs) whose
   * body sees the calling instance; its exceptions become traps.
   */
  public ImportNamespace defineFunction(String module, String name, dev.kiln.wasm.types.FuncType type,
      HostFunction.CallerCallback callback) {
    checkOpen();
    return define(module, name, new Extern.Function(own(HostFunction.create(store, type, callback, target)).function()));
  }

  /** Defines a host function of numbers only ({@link HostFunction.WordCallback}); its exceptions become traps. */
  public ImportNamespace defineWords(String module, String name, FuncType type, HostFunction.WordCallback callback) {
    checkOpen();
    return define(module, name,
        new Extern.Function(own(HostFunction.createWords(store, type, callback, target)).function()));
  }

  /**
   * Takes {@code function}, made for this linker's definitions (its own, or WASI's), to close with
   * it ({@link #close()}).
   *
   * @return {@code function}
   * @throws IllegalStateException if this linker is closed (the function is closed then too)
   */
  public HostFunction own(HostFunction function) {
    if (closed) {
      function.close();
      checkOpen();
    }
    owned.add(Objects.requireNonNull(function, "function"));
    return function;
  }

  /**
   * Closes the handles of the host functions this linker made: each is freed once no live instance
   * imports it (at once if none does), and instantiating here is refused from now on. Idempotent.
   *
   * @throws IllegalStateException if another thread is using the store
   */
  public void close() {
    closed = true;
    while (!owned.isEmpty()) {
      owned.removeLast().close();
    }
  }

  private void checkOpen() {
    if (closed) {
      throw new IllegalStateException("this linker is closed: its host functions can no longer be linked");
    }
  }

  /** Defines every export of {@code instance} under {@code module} (the spec script's {@code register}). */
  public ImportNamespace defineInstance(String module, LoadedInstance instance) {
    instance.exports().forEach((name, extern) -> define(module, name, extern));
    return this;
  }

  /** The definition of {@code module}.{@code name}, or null. */
  public Extern get(String module, String name) {
    Map<String, Extern> names = definitions.get(module);
    return names == null ? null : names.get(name);
  }

  /**
   * The externs for {@code loaded}'s imports, in order.
   *
   * @throws ImportLinkException for an import nothing defines
   */
  public List<Extern> resolve(LoadedModule loaded) {
    List<Extern> externs = new ArrayList<>();
    // A lookup per import, up to 2^20 of them: within the instantiation's deadline, as its own loops.
    InstantiationDeadline deadline = InstantiationDeadline.of(loaded, store);
    for (Import anImport : loaded.info().imports()) {
      deadline.tick();
      Extern extern = get(anImport.module(), anImport.name());
      if (extern == null) {
        throw new ImportLinkException(ImportLinkException.UNKNOWN_IMPORT + ": \"" + anImport.module() + "\" \""
            + anImport.name() + "\"");
      }
      externs.add(extern);
    }
    return externs;
  }

  /**
   * Instantiates {@code module} with its imports resolved here, and runs its start function.
   *
   * <p>If instantiation fails after an element segment wrote the module's functions into an
   * imported table (spec 4.5.4 keeps those writes), the failed instance is kept until the store
   * closes; whatever the order of closing the store and the module, the code stays mapped until
   * then.
   *
   * @throws ImportLinkException if an import is missing or of the wrong type
   * @throws IllegalStateException if this linker is closed
   * @throws dev.kiln.loader.runtime.ModuleInstantiationException if a segment does not fit
   * @throws dev.kiln.loader.runtime.TrapException if the start function traps
   */
  public LoadedInstance instantiate(LoadedModule module) {
    checkOpen();
    return LoadedInstance.instantiate(module, store, resolve(module));
  }
}
