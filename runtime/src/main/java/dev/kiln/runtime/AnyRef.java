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
 *
 * <p>A handle a host function gets as an argument lasts as long as that call, unless the host
 * {@link #keep}s it (or returns it, or throws it in a {@link WasmThrow}): its slot is freed when the
 * call returns, so a guest passing a fresh object on every call to a host function that ignores it
 * never fills the table, whenever the JVM collects (red team 10 F5). Used later, it is refused.
 */
public final class AnyRef {
  /** Frees the slots of unreachable handles; one thread for the process. */
  private static final Cleaner CLEANER = Cleaner.create();

  private final NativeStore store;
  private final ObjectHandles handles;
  private final int slot;
  private final Kind kind;
  private final CallScope scope;

  /** What the object is. */
  public enum Kind {
    /** A struct. */
    STRUCT,
    /** An array. */
    ARRAY;

    /** The store's name for this kind, which its handle table checks the header against. */
    NativeStore.ObjectKind objectKind() {
      return this == STRUCT ? NativeStore.ObjectKind.STRUCT : NativeStore.ObjectKind.ARRAY;
    }
  }

  private AnyRef(NativeStore store, ObjectHandles handles, int slot, Kind kind) {
    this.store = store;
    this.handles = handles;
    this.slot = slot;
    this.kind = kind;
    this.scope = new CallScope(CLEANER.register(this, new Release(handles, slot)));
  }

  /**
   * A handle for the object {@code word} of {@code store}, of kind {@code kind}.
   *
   * @throws KilnException if the store holds as many objects as its limit allows
   * @throws IllegalArgumentException if the word's header is not of that kind (an exception object)
   */
  static AnyRef of(NativeStore store, long word, Kind kind) {
    ObjectHandles handles = handlesOf(store);
    try {
      return new AnyRef(store, handles, handles.add(word, kind.objectKind()), kind);
    } catch (dev.kiln.loader.runtime.ResourceLimitException e) {
      throw new KilnException(e.getMessage(), e);
    }
  }

  /**
   * The object handle table of {@code store}, made when Java first gets one of its objects (most
   * stores never do), with the store's limit ({@code Store.Builder.maxObjectHandles}).
   */
  static ObjectHandles handlesOf(NativeStore store) {
    return store.attachment(ObjectHandles.class,
        () -> new ObjectHandles(store, store.resources().limits().maxObjectHandles()));
  }

  /**
   * Keeps this handle after the host call it is an argument of returns: it then lasts until it
   * becomes unreachable, as a result's handle does. Nothing to do for any other handle.
   *
   * @return this handle
   * @throws IllegalStateException if the call has already returned, which freed the handle
   */
  public AnyRef keep() {
    scope.keep(this);
    return this;
  }

  /** This handle's {@link CallScope}, for the host call it may be an argument of. */
  CallScope scope() {
    return scope;
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
    scope.requireLive(this, "AnyRef.keep");
    if (store.isClosed()) {
      throw new IllegalArgumentException("a " + this + " of " + store + ", which is closed: its objects are gone");
    }
    if (to != store) {
      throw new IllegalArgumentException("a " + this + " of " + store + " given to " + to + ": an object goes back"
          + " only to the store that made it");
    }
    return handles.word(slot, kind.objectKind());
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
