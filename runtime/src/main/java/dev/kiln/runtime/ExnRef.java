package dev.kiln.runtime;

import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.ObjectHandles;
import java.lang.ref.Cleaner;

/**
 * An exception object of one store (WebAssembly 3.0 spec 2.3.4, an {@code exnref}), as Java holds
 * it: a handle, never the object's address. Wasm gives one out as a result (a {@code catch_ref} or
 * {@code catch_all_ref} clause's exnref, returned); only that store takes it back ({@link Val.Exn}),
 * as an argument where the function takes an {@code exnref}, e.g. to {@code throw_ref} it again. One
 * of another store, or of a closed store, is refused with {@link IllegalArgumentException}.
 *
 * <p>Exception objects live in the store's GC heap and are reclaimed once nothing reaches them, so
 * the handle is a slot of the store's object handle table, as an {@link AnyRef} is: the slot keeps
 * the object alive and follows it when a collection moves it, and is freed once the handle is
 * unreachable. A handle a host function gets as an argument lasts as long as that call, unless the
 * host {@link #keep}s it (or returns it, or throws it in a {@link WasmThrow}), as an {@link AnyRef}
 * argument does (red team 10 F5). Used later, it is refused.
 */
public final class ExnRef {
  private static final Cleaner CLEANER = Cleaner.create();

  private final NativeStore store;
  private final ObjectHandles handles;
  private final int slot;
  private final CallScope scope;

  private ExnRef(NativeStore store, ObjectHandles handles, int slot) {
    this.store = store;
    this.handles = handles;
    this.slot = slot;
    this.scope = new CallScope(CLEANER.register(this, new Release(handles, slot)));
  }

  /**
   * The handle for exception object {@code word} of {@code store} (not 0).
   *
   * @throws KilnException if the store holds as many objects as its limit allows
   * @throws IllegalArgumentException if the word's header is not an exception object's (a struct or array)
   */
  static ExnRef of(NativeStore store, long word) {
    ObjectHandles handles = AnyRef.handlesOf(store);
    int slot;
    try {
      slot = handles.add(word, NativeStore.ObjectKind.EXCEPTION);
    } catch (dev.kiln.loader.runtime.ResourceLimitException e) {
      throw new KilnException(e.getMessage(), e);
    }
    try {
      store.exceptionHeldByJava(word); // its tag is carried only once the header proved it an exception
    } catch (RuntimeException e) {
      handles.release(slot);
      throw e;
    }
    return new ExnRef(store, handles, slot);
  }

  /**
   * Keeps this handle after the host call it is an argument of returns: it then lasts until it
   * becomes unreachable, as a result's handle does. Nothing to do for any other handle.
   *
   * @return this handle
   * @throws IllegalStateException if the call has already returned, which freed the handle
   */
  public ExnRef keep() {
    scope.keep(this);
    return this;
  }

  /** This handle's {@link CallScope}, for the host call it may be an argument of. */
  CallScope scope() {
    return scope;
  }

  /**
   * The object's word, for {@code to}.
   *
   * @throws IllegalArgumentException if {@code to} is not the object's store, or that store is closed,
   *     or this handle was a host call's argument that the call did not keep
   */
  long word(NativeStore to) {
    scope.requireLive(this, "ExnRef.keep");
    if (store.isClosed()) {
      throw new IllegalArgumentException("an exnref of " + store + ", which is closed: its exceptions are gone");
    }
    if (to != store) {
      throw new IllegalArgumentException("an exnref of " + store + " given to " + to + ": an exception goes back"
          + " only to the store that made it");
    }
    return handles.word(slot, NativeStore.ObjectKind.EXCEPTION);
  }

  /**
   * The same object of the same store: the handles Java got for it at different times are equal
   * (their slots follow the object through collections alike).
   */
  @Override
  public boolean equals(Object o) {
    return o instanceof ExnRef e && e.store == store && (e.slot == slot || !store.isClosed()
        && handles.sameObject(slot, e.slot));
  }

  /** The store's alone: the object's address changes when a collection moves it. */
  @Override
  public int hashCode() {
    return System.identityHashCode(store);
  }

  /** {@code exnref}: the address is not shown, as no address is. */
  @Override
  public String toString() {
    return "exnref";
  }

  /** Frees the slot; holds no reference to the handle, so the handle can become unreachable. */
  private record Release(ObjectHandles handles, int slot) implements Runnable {
    @Override
    public void run() {
      handles.release(slot);
    }
  }
}
