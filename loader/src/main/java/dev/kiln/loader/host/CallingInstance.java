package dev.kiln.loader.host;

import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.LoadedInstance;
import dev.kiln.loader.instance.LiveInstances;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * What a host function sees of the wasm code that called it: the calling {@link LoadedInstance}, resolved
 * from the caller vmctx the array call passes ({@code bool (callee_vmctx, caller_vmctx, ValRaw*,
 * size_t)}, docs/ARCHITECTURE.md section 4). A host function reaches the guest's memory through it,
 * as WASI does with the export "memory" (the WASI ABI's convention), without the embedder wiring
 * the memory in after instantiation. A call from Java ({@link FunctionInstance#call}) has no
 * calling instance: {@link #NONE}.
 *
 * <p>The instance is looked up (a hash lookup by vmctx) when the body first asks for it, not for
 * every call: most host functions never do. Valid during the call only: the instance may be closed
 * once the call returns. The API's {@code dev.kiln.runtime.Caller} wraps one for host functions
 * defined through it.
 */
public final class CallingInstance {
  /** No calling instance: the function was called from Java. */
  public static final CallingInstance NONE = new CallingInstance(null, 0);

  /** Where the caller vmctx is looked up; null for {@link #NONE}. */
  private final LiveInstances instances;
  private final long vmctx;
  private LoadedInstance instance;
  private boolean looked;

  CallingInstance(LiveInstances instances, long vmctx) {
    this.instances = instances;
    this.vmctx = vmctx;
  }

  /** The calling instance, empty for a call from Java or from code of no registered instance. */
  public Optional<LoadedInstance> instance() {
    return Optional.ofNullable(resolved());
  }

  private LoadedInstance resolved() {
    if (!looked) {
      instance = instances == null ? null : instances.at(vmctx);
      looked = true;
    }
    return instance;
  }

  /**
   * The calling instance's export {@code name}. It works even if the embedder has closed the
   * instance: its code is running, through an instance that imported it, so it is still alive.
   */
  public Optional<Extern> export(String name) {
    LoadedInstance caller = resolved();
    return caller == null ? Optional.empty() : caller.liveExport(name);
  }

  /**
   * The bytes of the calling instance's exported memory {@code name}, as they are now: a later
   * memory.grow may move them, so a host function asks again on each call rather than keeping them.
   */
  public Optional<MemorySegment> memory(String name) {
    return export(name).flatMap(e -> e instanceof Extern.Memory m
        ? Optional.of(m.memory().segment()) : Optional.empty());
  }

  @Override
  public String toString() {
    LoadedInstance caller = resolved();
    return caller == null ? "caller: Java" : "caller: " + caller;
  }
}
