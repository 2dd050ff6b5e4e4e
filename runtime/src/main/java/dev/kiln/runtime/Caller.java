package dev.kiln.runtime;

import dev.kiln.loader.instance.Extern;
import dev.kiln.loader.sys.ThreadStack;
import java.util.Optional;

/**
 * What a host function sees of the wasm code that called it: the calling instance's exports. A
 * host function reaches the guest's memory through it, as WASI does with the export {@code
 * "memory"}, without the embedder wiring the memory in after instantiation. Valid during the call
 * only.
 */
public final class Caller {
  private final dev.kiln.loader.host.CallingInstance caller;

  Caller(dev.kiln.loader.host.CallingInstance caller) {
    this.caller = caller;
  }

  /**
   * The calling instance's exported memory {@code name}. A later {@code memory.grow} may move its
   * bytes, so ask again on each call rather than keeping the segment.
   *
   * @param name the export name, by convention {@code "memory"}
   * @return the memory, or empty if the caller exports no memory of that name (or the function was
   *     called from Java)
   */
  public Optional<Memory> memory(String name) {
    ThreadStack.requireRoomToLink("Caller.memory");
    return caller.export(name).flatMap(e -> e instanceof Extern.Memory m
        ? Optional.of(new Memory(m.memory(), HandleOrigin.caller(caller.instance().orElseThrow().lifetime())))
        : Optional.empty());
  }

  /**
   * The calling instance's exported function {@code name}, e.g. to call back into the guest (its
   * allocator).
   *
   * @param name the export name
   * @return the function, or empty if there is none of that name
   */
  public Optional<Func> func(String name) {
    ThreadStack.requireRoomToLink("Caller.func");
    return caller.export(name).flatMap(e -> e instanceof Extern.Function f
        ? Optional.of(new Func(f.function())) : Optional.empty());
  }
}
