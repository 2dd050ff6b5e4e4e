package dev.kiln.loader.runtime;

import dev.kiln.loader.sys.SharedArenaClose;
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
   * @throws IllegalStateException if the store is closed, or another thread is using it
   */
  public static <T> T create(NativeStore store, String name, BiFunction<Arena, Lifetime, T> make) {
    // Under the store's claim: a memory or table takes from the store's accounts, which compiled
    // code changes on the claiming thread (StoreResources).
    return store.exclusive("create a " + name, () -> createClaimed(store, name, make));
  }

  private static <T> T createClaimed(NativeStore store, String name, BiFunction<Arena, Lifetime, T> make) {
    Arena arena = Arena.ofShared();
    Lifetime lifetime;
    try {
      // Closed once: a free that threw after the close is finished without closing it again (Lifetime#free).
      lifetime = store.adopt(name, () -> SharedArenaClose.closeIfOpen(arena, name), false);
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
