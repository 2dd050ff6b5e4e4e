package dev.kiln.wasi;

import dev.kiln.artifact.Target;
import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.Import;
import dev.kiln.artifact.info.ValType;
import dev.kiln.loader.exec.HostTarget;
import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.host.CallingInstance;
import dev.kiln.loader.host.HostFunction;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.link.ImportNamespace;
import dev.kiln.loader.memory.MemoryInstance;
import dev.kiln.loader.runtime.NativeStore;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The {@value WasiFunction#MODULE} imports of one guest as loader host functions: one {@link
 * HostFunction} per {@link WasiFunction}, whose callback takes the wasm arguments as words
 * ({@link HostFunction.WordCallback}), calls the function with the guest's memory, and returns the
 * errno as an i32.
 *
 * <p>The memory is the calling instance's: each host function sees its {@link CallingInstance}, and WASI
 * takes the caller's export "memory" (the WASI ABI's convention), or its first memory if it exports
 * none. Which memory that is is looked up once per calling instance, its bytes on every call, so a
 * memory.grow that moved the memory is seen at once, and one host serves whichever instance calls
 * it. A call from Java has no caller: it uses the memory set with {@link #useMemory} / {@link
 * #useMemoryOf}, empty until set; functions that need none
 * (proc_exit, sched_yield, fd_close...) work without, the others return {@link
 * dev.kiln.wasi.abi.Errno#FAULT}.
 */
public final class WasiHost implements AutoCloseable {
  private final WasiPreview1 wasi;
  private final Map<String, HostFunction> functions = new LinkedHashMap<>();
  private volatile Supplier<MemorySegment> memory;
  /**
   * The last calling instance and the memory WASI uses in it. An instance's exports never change,
   * so the memory is looked up once per caller, not on every call: the lookup searches the exports
   * by name, which was a third of a WASI call while the JVM still interprets it
   * (docs/history/performance-journal.md, "Host calls before the JIT"). The memory's bytes are
   * still taken on each call, since a memory.grow may move them.
   */
  private volatile CallerMemory lastCaller;

  private record CallerMemory(LoadedInstance instance, MemoryInstance memory, boolean checksEpoch) {}

  /** The store's epoch deadline, for the waits of calls from code that checks it. */
  private final StoreDeadline deadline;

  /** Eight bytes no guest sees, where {@link #prepareFirstWrite}'s call stores its count. */
  private static final MemorySegment SCRATCH = Arena.global().allocate(8, 8);

  /** Whether a {@link #prepareFirstWrite} has run in this process: its work is the JVM's, done once. */
  private static volatile boolean firstWritePrepared;

  /** {@link #typeOf} of each {@link WasiFunction}, by ordinal, made ready once for every store's host functions. */
  private static final HostFunction.Signature[] SIGNATURES = java.util.Arrays.stream(WasiFunction.values())
      .map(f -> HostFunction.Signature.of(typeOf(f))).toArray(HostFunction.Signature[]::new);

  private WasiHost(WasiPreview1 wasi, NativeStore store) {
    this.wasi = wasi;
    this.deadline = new StoreDeadline(store);
    wasi.context().waitLimit(deadline);
  }

  /** Creates every WASI preview1 host function of {@code wasi} in {@code store}. */
  public static WasiHost create(NativeStore store, WasiPreview1 wasi) {
    return create(store, wasi, HostTarget.current().orElseThrow(() -> new IllegalStateException(
        "this host (" + System.getProperty("os.arch") + ") runs no Kiln target")));
  }

  /**
   * As {@link #create(NativeStore, WasiPreview1)}, callable from code of {@code target} (an AArch64 guest
   * on an x86-64 host calls them from the emulator).
   */
  public static WasiHost create(NativeStore store, WasiPreview1 wasi, Target target) {
    return create(store, wasi, target, name -> true);
  }

  /**
   * Creates the host functions of {@code wasi} whose import names {@code wanted} accepts (e.g. the
   * module's imports, {@link #importedBy}). They share the store's one upcall entry, so each costs
   * only its native blocks; creating fewer saves the class loading of the functions never called.
   */
  public static WasiHost create(NativeStore store, WasiPreview1 wasi, Predicate<String> wanted) {
    return create(store, wasi, HostTarget.current().orElseThrow(() -> new IllegalStateException(
        "this host (" + System.getProperty("os.arch") + ") runs no Kiln target")), wanted);
  }

  /** As {@link #create(NativeStore, WasiPreview1, Predicate)}, callable from code of {@code target}. */
  public static WasiHost create(NativeStore store, WasiPreview1 wasi, Target target, Predicate<String> wanted) {
    WasiHost host = new WasiHost(wasi, store);
    for (WasiFunction f : WasiFunction.values()) {
      if (wanted.test(f.importName())) {
        host.functions.put(f.importName(),
            HostFunction.createWords(store, SIGNATURES[f.ordinal()],
                (CallingInstance caller, long[] args) -> f.invoke(wasi, host.memoryOf(caller), args), target));
      }
    }
    if (!firstWritePrepared && host.functions.containsKey(WasiFunction.FD_WRITE.importName())) {
      host.prepareFirstWrite();
      firstWritePrepared = true;
    }
    return host;
  }

  /**
   * Calls fd_write once, on descriptor 1 with no buffers and {@link #SCRATCH} as the memory: it
   * writes nothing a guest or a reader of its output sees, and leaves the JVM having resolved and
   * initialised what the guest's first print runs through. In a fresh process that work otherwise
   * falls inside the guest's first fd_write, its run's first line of output (0.3 ms of it:
   * docs/history/performance-journal.md, "The first fd_write"). Once per process: a store per
   * request (issue 41) would otherwise pay a host call for it each time.
   */
  private void prepareFirstWrite() {
    WasiFunction.FD_WRITE.invoke(wasi, SCRATCH, new long[] {1, 0, 0, 0});
  }

  /**
   * Closes the guest's descriptors once every one of its host functions is freed (their linker is
   * closed and no live instance imports them, or the store closed): nothing can call them any more,
   * and the files a guest opened and never closed must not stay open with the store (issue 35).
   */
  private void closeFilesWhenFreed() {
    int[] live = {functions.size()};
    if (live[0] == 0) {
      wasi.close();
      return;
    }
    for (HostFunction f : functions.values()) {
      f.function().owner().whenFreed(() -> {
        if (--live[0] == 0) {
          wasi.close();
        }
      });
    }
  }

  /**
   * Defines every WASI preview1 function of a new guest configured by {@code config} in {@code
   * linker} under {@value WasiFunction#MODULE}; they are freed when the linker is closed and no
   * live instance imports them, or when the store closes, and the guest's descriptors with them. The functions find the guest's memory through their caller, so nothing is wired in
   * after instantiating.
   *
   * @throws IOException if a preopened directory cannot be opened
   */
  public static WasiHost define(ImportNamespace linker, WasiConfig config) throws IOException {
    return define(linker, config, name -> true);
  }

  /**
   * As {@link #define(ImportNamespace, WasiConfig)}, for the functions {@code wanted} accepts (e.g. the
   * names a module imports from {@value WasiFunction#MODULE}: {@link #importedBy}).
   */
  public static WasiHost define(ImportNamespace linker, WasiConfig config, Predicate<String> wanted)
      throws IOException {
    WasiHost host = create(linker.store(), new WasiPreview1(config), linker.target(), wanted);
    host.closeFilesWhenFreed();
    host.functions.forEach((name, f) -> linker.define(WasiFunction.MODULE, name, new Extern.Function(linker.own(f).function())));
    return host;
  }

  /**
   * For calls from Java (which have no calling instance): takes the memory from {@code instance}'s
   * export "memory", or its first defined memory if it exports none. Calls from wasm do not need it;
   * they use their caller's memory.
   */
  public void useMemoryOf(LoadedInstance instance) {
    MemoryInstance m = guestMemory(instance);
    if (m != null) {
      useMemory(m::segment);
    }
  }

  /** The names {@code imports} take from {@value WasiFunction#MODULE}. */
  public static Predicate<String> importedBy(List<Import> imports) {
    Set<String> names = new HashSet<>();
    for (Import i : imports) {
      if (i.module().equals(WasiFunction.MODULE)) {
        names.add(i.name());
      }
    }
    return names::contains;
  }

  /** The core-wasm type of {@code f}: i32/i64 parameters, an i32 errno result unless proc_exit. */
  public static FuncType typeOf(WasiFunction f) {
    List<ValType> params = new ArrayList<>();
    for (int i = 0; i < f.arity(); i++) {
      params.add(f.isI64(i) ? ValType.I64 : ValType.I32);
    }
    return new FuncType(params, f.returnsErrno() ? List.of(ValType.I32) : List.of());
  }

  /** For calls from Java (no calling instance): where the memory is found on each call. */
  public void useMemory(Supplier<MemorySegment> memory) {
    this.memory = memory;
  }

  public WasiPreview1 wasi() {
    return wasi;
  }

  /** The host function for import {@code name} of module {@value WasiFunction#MODULE}. */
  public Optional<FunctionInstance> function(String name) {
    return Optional.ofNullable(functions.get(name)).map(HostFunction::function);
  }

  /** Every function by import name. */
  public Map<String, FunctionInstance> functions() {
    Map<String, FunctionInstance> out = new LinkedHashMap<>();
    functions.forEach((name, f) -> out.put(name, f.function()));
    return Collections.unmodifiableMap(out);
  }

  /**
   * The calling instance's memory as {@link #useMemoryOf} would pick it, else the Java fallback;
   * also arms the call's deadline: the store's, if the caller's code checks the epoch.
   */
  private MemorySegment memoryOf(CallingInstance caller) {
    Optional<LoadedInstance> instance = caller.instance();
    if (instance.isPresent()) {
      CallerMemory known = lastCaller;
      if (known == null || known.instance() != instance.get()) {
        known = new CallerMemory(instance.get(), guestMemory(instance.get()),
            StoreDeadline.checksEpoch(instance.get()));
        lastCaller = known;
      }
      deadline.enter(known.checksEpoch());
      return known.memory() == null ? MemorySegment.NULL : known.memory().segment();
    }
    deadline.enter(false);
    Supplier<MemorySegment> source = memory;
    return source == null ? MemorySegment.NULL : source.get();
  }

  /** {@code instance}'s export "memory" (the WASI ABI's convention), else its first defined memory. */
  private static MemoryInstance guestMemory(LoadedInstance instance) {
    if (instance.liveExport("memory").orElse(null) instanceof Extern.Memory m) {
      return m.memory();
    }
    return instance.module().info().memories().isEmpty() ? null : instance.definedMemory(0);
  }

  /** Frees the host functions' native blocks and closes the guest's descriptors. */
  @Override
  public void close() {
    functions.values().forEach(HostFunction::close);
    wasi.close();
  }
}
