package dev.kiln.loader.runtime;

import java.util.ArrayList;
import java.util.List;

/**
 * How a {@link NativeStore} closes ({@link NativeStore#close()}): it takes the claim to close, is
 * refused while wasm of the store runs, marks the store closed, then frees every object still
 * alive, the resources handed to it to close with the store ({@link #closeWithStore}, which it
 * keeps), the exception runtime, the executors, the stack floor's record and, last, the store
 * context. It owns that order and what a close a throwable interrupted left: each step is done
 * once, so the next close finishes the rest (issue 35, red team 22 F3), and {@link #closeFinished}
 * says whether one did. The store's other parts are given to it when the store is made; the
 * store's lock is taken on the store, as the store's own methods take it.
 */
final class StoreTeardown {
  private final NativeStore store;
  private final ThreadClaim claim;
  private final StoreEntries entries;
  private final StoreLifetimes lifetimes;
  private final FunctionReferenceRegistry functionReferences;
  private final StoreExecutors executors;
  private final StackFloor stackFloor;
  private final StoreResources resources;
  /** From the C heap, freed last (see {@link NativeStore}'s documentation, "The context's memory"). */
  private final StoreContext block;
  /** Resources handed to the store to free when it closes, in the order received. */
  private final List<AutoCloseable> closeWithStore = new ArrayList<>();
  /** Whether {@link #close()} has freed everything: a close that something interrupted has not. */
  private volatile boolean closeFinished;

  StoreTeardown(NativeStore store, ThreadClaim claim, StoreEntries entries, StoreLifetimes lifetimes,
      FunctionReferenceRegistry functionReferences, StoreExecutors executors, StackFloor stackFloor,
      StoreResources resources, StoreContext block) {
    this.store = store;
    this.claim = claim;
    this.entries = entries;
    this.lifetimes = lifetimes;
    this.functionReferences = functionReferences;
    this.executors = executors;
    this.stackFloor = stackFloor;
    this.resources = resources;
    this.block = block;
  }

  /** {@link NativeStore#closeWithStore}: closes {@code resource} when the store closes; under the store's lock. */
  void closeWithStore(AutoCloseable resource) {
    closeWithStore.add(resource);
  }

  /** {@link NativeStore#close()}. */
  void close() {
    claim.requireOwnerToClose(store, "close it");
    if (closeFinished) {
      return;
    }
    claim.acquireToClose(store, "close it");
    try {
      if (closeFinished) {
        return;
      }
      entries.payOwedExits();
      if (entries.wasmOnStack()) {
        throw new IllegalStateException(store + " is running wasm; it cannot be closed from inside a call");
      }
      entries.markClosed();
      freeEverything();
    } finally {
      claim.owed++; // before any call: an overflow in the release leaves it owed, not held (issue 35)
      claim.settleOwed();
    }
  }

  /**
   * {@link #close()}'s frees, once the store is closed to everything else. Each step is done once:
   * an object leaves the queue to free, a resource the list, only once it was freed, and the rest
   * is idempotent, so a close that a throwable interrupted (a {@code StackOverflowError} at any of
   * its calls too) is finished by the next {@link #close()} rather than leaving the store closed and
   * never freed (issue 35, red team 22 F3). What fails is tried again by the next close; the steps
   * after it run all the same, and the first failure is thrown at the end.
   */
  private void freeEverything() {
    // Started only with room to finish each step: the resources' closes are the JDK's arena
    // closes, whose cleanups an overflow would leave half run (each object's free checks too).
    dev.kiln.loader.sys.ThreadStack.requireRoom(dev.kiln.loader.sys.ThreadStack.STEP, store);
    synchronized (store) {
      lifetimes.queueAllToClose();
      entries.clearFreesForExit();
      functionReferences.clear();
    }
    Throwable failure = lifetimes.freeQueuedToClose();
    // In reverse order of registration, each leaving the list once it closed (a closed resource is
    // never closed again); one that threw stays for the next close.
    for (int i = closeWithStore.size() - 1; i >= 0; i--) {
      try {
        closeWithStore.get(i).close();
        closeWithStore.remove(i);
      } catch (Throwable e) { // an Error too (issue 35)
        failure = failure != null ? failure : e;
      }
    }
    StoreExceptions exceptions = store.exceptionsIfMade();
    if (exceptions != null) {
      exceptions.free();
    }
    executors.close();
    stackFloor.forget();
    synchronized (store) {
      // After every free above (their cleanups give back to the budgets in the context) and under
      // the lock the accessors of other threads check `closed` under. A free tried again later
      // gives nothing back to the freed context (StoreResources#contextFreed).
      resources.contextFreed();
      block.free();
      closeFinished = failure == null;
    }
    if (failure instanceof Error e) {
      throw e;
    } else if (failure != null) {
      // One line with the reason: a view in use says what to do (SharedArenaClose)
      throw new IllegalStateException("cannot free a resource of " + store + ": " + failure.getMessage(), failure);
    }
  }
}
