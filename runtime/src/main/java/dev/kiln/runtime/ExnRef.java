package dev.kiln.runtime;

import dev.kiln.loader.runtime.NativeStore;

/**
 * An exception object of one store (WebAssembly 3.0 spec 2.3.4, an {@code exnref}), as Java holds
 * it: a handle, never the object's address. Wasm gives one out as a result (a {@code catch_ref} or
 * {@code catch_all_ref} clause's exnref, returned); only that store takes it back ({@link Val.Exn}),
 * as an argument where the function takes an {@code exnref}, e.g. to {@code throw_ref} it again. One
 * of another store, or of a closed store, is refused with {@link IllegalArgumentException}. A store
 * keeps its exception objects until it closes (an exnref may sit anywhere in wasm), so the handle
 * needs no table of its own: it holds the store and the word, which Java cannot make up.
 */
public final class ExnRef {
  private final NativeStore store;
  private final long word;

  private ExnRef(NativeStore store, long word) {
    this.store = store;
    this.word = word;
  }

  /** The handle for exception object {@code word} of {@code store} (not 0). */
  static ExnRef of(NativeStore store, long word) {
    return new ExnRef(store, word);
  }

  /**
   * The object's word, for {@code to}.
   *
   * @throws IllegalArgumentException if {@code to} is not the object's store, or that store is closed
   */
  long word(NativeStore to) {
    if (store.isClosed()) {
      throw new IllegalArgumentException("an exnref of " + store + ", which is closed: its exceptions are gone");
    }
    if (to != store) {
      throw new IllegalArgumentException("an exnref of " + store + " given to " + to + ": an exception goes back"
          + " only to the store that made it");
    }
    return word;
  }

  /** The same object of the same store: the handles Java got for it at different times are equal. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ExnRef e && e.store == store && e.word == word;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(word) * 31 + System.identityHashCode(store);
  }

  /** {@code exnref}: the address is not shown, as no address is. */
  @Override
  public String toString() {
    return "exnref";
  }
}
