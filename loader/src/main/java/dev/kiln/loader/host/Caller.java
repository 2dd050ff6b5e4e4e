package dev.kiln.loader.host;

import dev.kiln.loader.func.FunctionInstance;
import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.instance.Instance;
import java.lang.foreign.MemorySegment;
import java.util.Optional;

/**
 * What a host function sees of the wasm code that called it: the calling {@link Instance}, resolved
 * from the caller vmctx the array call passes ({@code bool (callee_vmctx, caller_vmctx, ValRaw*,
 * size_t)}, ARCHITECTURE.md section 4). A host function reaches the guest's memory through it, as
 * WASI does with the export "memory" (the WASI ABI's convention), without the embedder wiring the
 * memory in after instantiation. A call from Java ({@link FunctionInstance#call}) has no calling
 * instance: {@link #NONE}.
 *
 * <p>Valid during the call only: the instance may be closed once the call returns.
 */
public final class Caller {
  /** No calling instance: the function was called from Java. */
  public static final Caller NONE = new Caller(null);

  private final Instance instance;

  Caller(Instance instance) {
    this.instance = instance;
  }

  /** The calling instance, empty for a call from Java. */
  public Optional<Instance> instance() {
    return Optional.ofNullable(instance);
  }

  /**
   * The calling instance's export {@code name}. It works even if the embedder has closed the
   * instance: its code is running, through an instance that imported it, so it is still alive.
   */
  public Optional<Extern> export(String name) {
    return instance == null ? Optional.empty() : instance.liveExport(name);
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
    return instance == null ? "caller: Java" : "caller: " + instance;
  }
}
