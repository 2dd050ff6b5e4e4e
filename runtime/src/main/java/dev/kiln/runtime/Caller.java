package dev.kiln.runtime;

import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.sys.ThreadStack;
import java.util.Optional;

/**
 * What a host function sees of the wasm code that called it: the calling instance's exports. A
 * host function reaches the guest's memory through it, as WASI does with the export {@code
 * "memory"}, without the embedder wiring the memory in after instantiation. Valid during the call
 * only: once the call returns, its methods throw {@link IllegalStateException}, and a {@link Memory}
 * it gave follows the rule of an export's handle (it works while the instance is open). During the
 * call the instance may already be closed by the embedder and still run (through an importer), so
 * until then its memory works while the instance is not freed (red team 28 O1: a kept caller gave a
 * working memory of a closed instance after its call had returned).
 */
public final class Caller {
  private final dev.kiln.loader.host.CallingInstance caller;
  /** Set by the thread that made the call when it returns; read by any thread that kept this. */
  private volatile boolean callEnded;

  Caller(dev.kiln.loader.host.CallingInstance caller) {
    this.caller = caller;
  }

  /** The host call this was given to has returned. */
  void endCall() {
    callEnded = true;
  }

  /** Whether the host call this was given to is still running. */
  boolean duringCall() {
    return !callEnded;
  }

  private void requireDuringCall(String what) {
    if (callEnded) {
      throw new IllegalStateException("Caller." + what + ": a Caller is valid only during the host call it was"
          + " given to, and that call has returned");
    }
  }

  /**
   * The calling instance's exported memory {@code name}. A later {@code memory.grow} may move its
   * bytes, so ask again on each call rather than keeping the segment.
   *
   * @param name the export name, by convention {@code "memory"}
   * @return the memory, or empty if the caller exports no memory of that name (or the function was
   *     called from Java)
   * @throws IllegalStateException if the call has returned
   */
  public Optional<Memory> memory(String name) {
    ThreadStack.requireRoomToLink("Caller.memory");
    requireDuringCall("memory");
    return caller.export(name).flatMap(e -> e instanceof Extern.Memory m
        ? Optional.of(new Memory(m.memory(), HandleOrigin.caller(caller.instance().orElseThrow().lifetime(), this)))
        : Optional.empty());
  }

  /**
   * The calling instance's exported function {@code name}, e.g. to call back into the guest (its
   * allocator).
   *
   * @param name the export name
   * @return the function, or empty if there is none of that name
   * @throws IllegalStateException if the call has returned
   */
  public Optional<Func> func(String name) {
    ThreadStack.requireRoomToLink("Caller.func");
    requireDuringCall("func");
    return caller.export(name).flatMap(e -> e instanceof Extern.Function f
        ? Optional.of(new Func(f.function())) : Optional.empty());
  }
}
