package dev.kiln.runtime;

import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.ObjectHandles;
import java.lang.ref.Cleaner;
import java.util.Locale;

/**
 * A struct or array of one store's GC heap (WebAssembly 3.0 spec 2.3.3), as Java holds it: a slot
 * of the store's object handle table, never the object's address. Only that store takes it back
 * ({@link Val.Gc}), as an argument, a global or a table element of a type the object has; one of
 * another store, or of a closed store, is refused with {@link IllegalArgumentException}. The slot
 * is freed when this object becomes unreachable; a store holds at most {@link
 * Store.Builder#maxObjectHandles} at once, so a guest returning fresh objects cannot make the host
 * keep them without bound.
 */
public final class AnyRef {
  /** Frees the slots of unreachable handles; one thread for the process. */
  private static final Cleaner CLEANER = Cleaner.create();

  private final NativeStore store;
  private final ObjectHandles handles;
  private final int slot;
  private final Kind kind;

  /** What the object is. */
  public enum Kind {
    /** A struct. */
    STRUCT,
    /** An array. */
    ARRAY
  }

  private AnyRef(NativeStore store, ObjectHandles handles, int slot, Kind kind) {
    this.store = store;
    this.handles = handles;
    this.slot = slot;
    this.kind = kind;
    CLEANER.register(this, new Release(handles, slot));
  }

  /**
   * A handle for the object {@code word} of {@code store}, of kind {@code kind}.
   *
   * @throws KilnException if the store holds as many objects as its limit allows
   */
  static AnyRef of(NativeStore store, long word, Kind kind) {
    ObjectHandles handles = handlesOf(store);
    try {
      return new AnyRef(store, handles, handles.add(word), kind);
    } catch (dev.kiln.loader.runtime.ResourceLimitException e) {
      throw new KilnException(e.getMessage(), e);
    }
  }

  /** The object handle table of {@code store}, made with the default limit if its Store did not make it. */
  static ObjectHandles handlesOf(NativeStore store) {
    return store.attachment(ObjectHandles.class,
        () -> new ObjectHandles(store.toString(), ObjectHandles.DEFAULT_LIMIT));
  }

  /**
   * Whether the object is a struct or an array.
   *
   * @return the kind
   */
  public Kind kind() {
    return kind;
  }

  /**
   * The object's word, for {@code to}.
   *
   * @throws IllegalArgumentException if {@code to} is not the object's store, or that store is closed
   */
  long word(NativeStore to) {
    if (store.isClosed()) {
      throw new IllegalArgumentException("a " + this + " of " + store + ", which is closed: its objects are gone");
    }
    if (to != store) {
      throw new IllegalArgumentException("a " + this + " of " + store + " given to " + to + ": an object goes back"
          + " only to the store that made it");
    }
    return handles.word(slot);
  }

  /** The type's short name and the slot's number in its store, e.g. {@code structref#3}. */
  @Override
  public String toString() {
    return kind.name().toLowerCase(Locale.ROOT) + "ref#" + (slot + 1);
  }

  /** Frees the slot; holds no reference to the handle, so the handle can become unreachable. */
  private record Release(ObjectHandles handles, int slot) implements Runnable {
    @Override
    public void run() {
      handles.release(slot);
    }
  }
}
