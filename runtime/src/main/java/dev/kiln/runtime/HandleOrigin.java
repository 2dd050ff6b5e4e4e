package dev.kiln.runtime;

import dev.kiln.loader.runtime.Lifetime;
import java.util.function.Supplier;

/**
 * The instance a {@link Global}, {@link Table} or {@link Memory} handle was reached through, and
 * the rule every operation of the handle follows: it works while that instance's handle and its
 * store are open, and otherwise throws {@link IllegalStateException} naming what is closed. The
 * rule is the instance's, not the object's: a global, table or memory an instance imported and
 * re-exports lives on in its exporter, but the handle reached through the closed importer is
 * closed with it, as its functions are ({@link Func}, whose owner is the instance it was exported
 * from).
 *
 * <p>The check and the operation run under the store's claim ({@code NativeStore#exclusive}),
 * which {@link Instance#close()} and {@link Store#close()} also take, so a close on another thread
 * cannot come between them: the operation either runs before the close or throws after it.
 *
 * <p>A handle a host function gets from its {@link Caller} is reached through the instance whose
 * code is running: that instance may be closed by the embedder and still run (through an
 * importer), so while that call runs such a handle asks only that the instance is not freed; once
 * the call has returned, it follows an export's rule (red team 28 O1).
 *
 * @param call the host call whose {@link Caller} gave the handle, or null for an export's handle
 */
record HandleOrigin(Lifetime instance, Caller call) {

  /** A handle of an export of an open instance. */
  static HandleOrigin export(Lifetime instance) {
    return new HandleOrigin(instance, null);
  }

  /** A handle of an export of the instance that called a host function, through its {@code call}. */
  static HandleOrigin caller(Lifetime instance, Caller call) {
    return new HandleOrigin(instance, call);
  }

  /**
   * Runs {@code operation} under the store's claim once the origin is checked.
   *
   * @param action what the operation does, for the message if another thread holds the store
   * @throws IllegalStateException if the instance or its store is closed, or another thread is
   *     using the store
   */
  <T> T access(String action, Supplier<T> operation) {
    return instance.store().exclusive(action, () -> {
      if (call != null && call.duringCall()) {
        instance.checkAlive();
      } else {
        instance.checkOpen();
      }
      return operation.get();
    });
  }

  /** {@link #access} for an operation without a result. */
  void run(String action, Runnable operation) {
    access(action, () -> {
      operation.run();
      return null;
    });
  }
}
