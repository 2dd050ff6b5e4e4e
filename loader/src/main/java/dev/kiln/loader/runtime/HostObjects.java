package dev.kiln.loader.runtime;

import java.lang.foreign.Arena;
import java.util.function.BiFunction;

/**
 * Makes a memory, table or global of the host's: its native memory in a shared arena of its own,
 * which a new {@link Lifetime} in the store closes when the object is freed (the handle closed and
 * no importer left, or the store closed). One arena per object keeps freeing it one arena close.
 */
public final class HostObjects {
  private HostObjects() {}

  /**
   * The object {@code make} builds in a new arena with a new lifetime named {@code name}; if
   * {@code make} fails, both are freed.
   *
   * @throws IllegalStateException if the store is closed
   */
  public static <T> T create(Store store, String name, BiFunction<Arena, Lifetime, T> make) {
    Arena arena = Arena.ofShared();
    Lifetime lifetime;
    try {
      lifetime = store.adopt(name, arena::close, false);
    } catch (RuntimeException | Error e) {
      arena.close();
      throw e;
    }
    try {
      return make.apply(arena, lifetime);
    } catch (RuntimeException | Error e) {
      lifetime.close();
      throw e;
    }
  }
}
