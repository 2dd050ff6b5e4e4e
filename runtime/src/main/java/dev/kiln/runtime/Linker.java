package dev.kiln.runtime;

import dev.kiln.artifact.info.Import;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.sys.ThreadStack;
import dev.kiln.wasi.WasiFunction;
import dev.kiln.wasi.WasiHost;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;

/**
 * Definitions by two-level import name ({@code module}, {@code name}) in one {@link Store}, and
 * instantiation of modules against them (WebAssembly 2.0 section 4.5.4: each import is resolved by
 * its names; a missing one is "unknown import", a mistyped one "incompatible import type"). Host
 * functions are Java lambdas, typed ({@link #func(String, String, Class, Object)}) or over {@link
 * Val}s ({@link #func(String, String, FuncType, HostFunc)}); WASI preview1 is one call ({@link
 * #wasi}); another instance's exports are one call too ({@link #instance}).
 *
 * <pre>{@code
 * Linker linker = new Linker(store);
 * linker.func("env", "add", IntBinaryOperator.class, (a, b) -> a + b);
 * Instance instance = linker.instantiate(module);
 * }</pre>
 *
 * <p>What a host function throws makes the calling wasm code trap; the {@link Trap}'s cause is the
 * exception. Not thread-safe: a store runs on one thread at a time anyway.
 *
 * <p>The host functions a linker defines ({@link #func}, {@link #wasi}) live in its store until the
 * linker is closed and no live instance imports them (instances keep calling what they imported),
 * or until the store closes, and count against {@link Store.Builder#maxHostFunctions} meanwhile: in
 * a long-lived store, close a linker made per request ({@code try (Linker linker = new
 * Linker(store)) {...}}), which also closes the files its WASI guest left open once its instances
 * are gone.
 */
public final class Linker implements AutoCloseable {
  private final Store store;
  private final dev.kiln.loader.link.ImportNamespace linker;

  /**
   * A linker with no definitions, for instances of {@code store}.
   *
   * @param store the store whose instances and host functions it makes
   */
  public Linker(Store store) {
    this.store = Objects.requireNonNull(store, "store");
    // Host functions are made for the engine's target: emulated AArch64 code calls them too.
    this.linker = new dev.kiln.loader.link.ImportNamespace(store.internal(), Conversions.target(store.engine().target()));
  }

  /**
   * Defines {@code module}.{@code name} as a host function whose body gets and returns {@link Val}s
   * and sees its {@link Caller} (the calling instance's memory, say). Its type has numbers, vectors,
   * {@code funcref}, {@code externref} and references of the exn hierarchy ({@code exnref}, {@code
   * (ref exn)}, {@code nullexnref}); each reference it returns is checked against its precise type,
   * and a refused one makes the calling code trap.
   *
   * @param module the import's first name
   * @param name the import's second name
   * @param type the function type the importing module must declare
   * @param body the Java code
   * @return this linker
   * @throws IllegalArgumentException if {@code type} has another reference type (of the any
   *     hierarchy, or a defined type)
   */
  public Linker func(String module, String name, FuncType type, HostFunc body) {
    ThreadStack.requireRoomToLink("Linker.func");
    Objects.requireNonNull(body, "body");
    dev.kiln.wasm.types.FuncType hostType = Conversions.hostType(type);
    List<dev.kiln.wasm.types.ValueType> params = hostType.paramTypes();
    List<dev.kiln.wasm.types.ValueType> results = hostType.resultTypes();
    Failures.translated(() -> linker.defineFunction(module, name, hostType,
        (dev.kiln.loader.host.CallingInstance caller, java.util.List<dev.kiln.loader.runtime.WasmValue> args) -> {
          List<Val> vals = Conversions.vals(args, params, store.internal());
          scopeToCall(vals);
          Caller during = new Caller(caller);
          try {
            // each result against its slot's type: an ExnRef or an anyref is no externref (red team 14 F3)
            List<Val> out = body.call(during, vals);
            return out == null ? null // refused by the loader, as any host function's null
                : Conversions.wasmValues(out, results, store.internal(), "host function result", "its type's result");
          } catch (Trap trap) {
            throw trap.asHostFailure();
          } catch (WasmThrow thrown) {
            // converted after the call returns (NativeStore.hostFailed): its objects must outlive it
            thrown.payload().forEach(Linker::keep);
            throw thrown;
          } finally {
            during.endCall();
            vals.forEach(Linker::endCall);
          }
        }));
    return this;
  }

  /**
   * The object handles made for a host call's arguments last as long as the call unless the host
   * keeps them ({@link AnyRef#keep}, {@link ExnRef#keep}): a guest passing fresh objects to a host
   * function that ignores them must not fill the store's handle table until the JVM happens to
   * collect (red team 10 F5). One the host returns is checked after the call's end released it
   * (loader.runtime.ObjectHandles#holds counts it until the slot is reused).
   */
  private static void scopeToCall(List<Val> args) {
    for (Val v : args) {
      CallScope scope = scope(v);
      if (scope != null) {
        scope.scopeToCall();
      }
    }
  }

  private static void keep(Val value) {
    switch (value) {
      case Val.Gc g -> g.object().keep();
      case Val.Exn e -> e.exception().keep();
      default -> { }
    }
  }

  private static void endCall(Val value) {
    CallScope scope = scope(value);
    if (scope != null) {
      scope.endCall();
    }
  }

  /** The call scope of an object handle's value, null for any other value. */
  private static CallScope scope(Val value) {
    return switch (value) {
      case Val.Gc g -> g.object().scope();
      case Val.Exn e -> e.exception().scope();
      default -> null;
    };
  }

  /**
   * Defines {@code module}.{@code name} as a host function whose body is a plain Java lambda of a
   * functional interface that stands for its type, as in {@link Instance#func(String, Class)}: e.g.
   * {@code IntBinaryOperator} for {@code (i32 i32) -> (i32)}, {@code LongConsumer} for {@code (i64)
   * -> ()}, {@code Runnable} for {@code () -> ()}.
   *
   * @param <T> the interface
   * @param module the import's first name
   * @param name the import's second name
   * @param signature the interface
   * @param body the lambda
   * @return this linker
   * @throws IllegalArgumentException if the interface stands for no wasm type
   */
  public <T> Linker func(String module, String name, Class<T> signature, T body) {
    ThreadStack.requireRoomToLink("Linker.func");
    dev.kiln.loader.host.HostFunction.WordCallback words = Signatures.host(signature, Objects.requireNonNull(body, "body"));
    Failures.translated(() -> linker.defineWords(module, name, Conversions.funcType(Signatures.type(signature)),
        (caller, args) -> {
          try {
            return words.call(caller, args);
          } catch (Trap trap) {
            throw trap.asHostFailure();
          }
        }));
    return this;
  }

  /**
   * Defines {@code module}.{@code name} as {@code func} (another instance's export, or a host
   * function), shared: calls from the importer run it with its own instance.
   *
   * @param module the import's first name
   * @param name the import's second name
   * @param func a function of this linker's store
   * @return this linker
   */
  public Linker define(String module, String name, Func func) {
    ThreadStack.requireRoomToLink("Linker.define");
    linker.define(module, name, new Extern.Function(func.internal()));
    return this;
  }

  /**
   * Defines {@code module}.{@code name} as {@code memory} (another instance's export), shared: the
   * importer reads and writes the very same bytes.
   *
   * @param module the import's first name
   * @param name the import's second name
   * @param memory a memory of this linker's store
   * @return this linker
   */
  public Linker define(String module, String name, Memory memory) {
    ThreadStack.requireRoomToLink("Linker.define");
    linker.define(module, name, new Extern.Memory(memory.internal()));
    return this;
  }

  /**
   * Defines {@code module}.{@code name} as {@code global} (another instance's export), shared.
   *
   * @param module the import's first name
   * @param name the import's second name
   * @param global a global of this linker's store
   * @return this linker
   */
  public Linker define(String module, String name, Global global) {
    ThreadStack.requireRoomToLink("Linker.define");
    linker.define(module, name, new Extern.Global(global.internal()));
    return this;
  }

  /**
   * Defines {@code module}.{@code name} as {@code table} (another instance's export), shared.
   *
   * @param module the import's first name
   * @param name the import's second name
   * @param table a table of this linker's store
   * @return this linker
   */
  public Linker define(String module, String name, Table table) {
    ThreadStack.requireRoomToLink("Linker.define");
    linker.define(module, name, new Extern.Table(table.internal()));
    return this;
  }

  /**
   * Defines every export of {@code instance} under the module name {@code module}, so other modules
   * import its functions, memories, tables and globals (the very same ones, shared).
   *
   * @param module the first name the importers use
   * @param instance an instance of this linker's store
   * @return this linker
   */
  public Linker instance(String module, Instance instance) {
    ThreadStack.requireRoomToLink("Linker.instance");
    linker.defineInstance(module, instance.internal());
    return this;
  }

  /**
   * Defines every WASI preview1 function ({@code wasi_snapshot_preview1}) for one guest configured by
   * {@code options}; the store frees them when it closes. The functions find the guest's memory
   * through their caller (its export {@code "memory"}), so nothing is wired in after instantiating.
   * Run the guest by calling its {@code _start}; its {@code proc_exit} ends that call with a {@link
   * WasiExit} carrying the status.
   *
   * @param options the guest's arguments, environment, streams and preopens
   * @return this linker
   * @throws UncheckedIOException if a preopened directory cannot be opened
   */
  public Linker wasi(WasiOptions options) {
    ThreadStack.requireRoomToLink("Linker.wasi");
    try {
      WasiHost.define(linker, options.config());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot preopen " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw Failures.translate(e);
    }
    return this;
  }

  /**
   * As {@link #wasi(WasiOptions)}, but only the WASI functions {@code module} imports are made
   * (nothing for the others, and nothing at all for a module importing none): a one-module program,
   * such as a command-line run, then pays for no host function it never calls. Another module
   * instantiated here later finds only these.
   *
   * @param options the guest's arguments, environment, streams and preopens
   * @param module the module whose WASI imports to define
   * @return this linker
   * @throws UncheckedIOException if a preopened directory cannot be opened
   */
  public Linker wasi(WasiOptions options, WasmModule module) {
    ThreadStack.requireRoomToLink("Linker.wasi");
    // The module info's imports, not module.imports(): those convert every import's type (issue 41).
    List<Import> imports = module.loaded().info().imports();
    if (imports.stream().noneMatch(i -> i.module().equals(WasiFunction.MODULE))) {
      return this;
    }
    try {
      WasiHost.define(linker, options.config(), WasiHost.importedBy(imports));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot preopen " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw Failures.translate(e);
    }
    return this;
  }

  /**
   * Instantiates {@code module}: resolves its imports here, allocates its memories, tables and
   * globals, applies its data and element segments and runs its start function.
   *
   * @param module a module of the store's engine's target
   * @return the instance, living in this linker's store
   * @throws KilnException if an import is missing or of another type, or a segment does not fit
   * @throws Trap if the start function traps
   * @throws IllegalArgumentException if the module was made for another target than the store's
   */
  public Instance instantiate(WasmModule module) {
    ThreadStack.requireRoomToLink("Linker.instantiate");
    if (module.engine().target() != store.engine().target()) {
      throw new IllegalArgumentException("the module's code is for " + module.engine().target()
          + ", the store's engine runs " + store.engine().target());
    }
    return new Instance(Failures.translated(() -> linker.instantiate(module.loaded())));
  }

  /**
   * Closes the host functions this linker defined: each is freed once no live instance imports it
   * (an instance made here keeps calling its imports), and the files its WASI guests left open are
   * closed with the last of them. Instantiating here is refused afterwards. Idempotent.
   *
   * @throws IllegalStateException if another thread is using the store
   */
  @Override
  public void close() {
    ThreadStack.requireRoomToLink("Linker.close");
    linker.close();
  }
}
