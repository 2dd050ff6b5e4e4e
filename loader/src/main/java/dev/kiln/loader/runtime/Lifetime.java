package dev.kiln.loader.runtime;

import java.util.Objects;

/**
 * How long one native object of a {@link NativeStore} lives: an instance, a host function, or a memory,
 * table or global the host made. The object is freed when its handle is closed and its last user is
 * gone, or when the store closes, whichever comes first (see the package documentation for why).
 *
 * <ul>
 *   <li>The <b>handle</b> is the embedder's: {@link #close()} closes it. A closed object can no
 *       longer be called or imported from Java ({@link #checkOpen()}), but what already links to it
 *       keeps working.
 *   <li>A <b>user</b> is an instance that imported something of the object ({@link #use}, undone
 *       by {@link #release} when that instance is freed): its VMContext holds addresses inside the
 *       object (import records, memory, table and global pointers). Which instances they are is
 *       kept, so that an owner decision can tell a closed object only closed candidates use.
 *   <li><b>Pinned</b> ({@link #pin()}): the object's function references may be held by something
 *       nobody counts (a table slot, a global, a Java {@code long}), so it lives until the store
 *       closes.
 *   <li><b>Held by the heap</b> ({@link #holdByHeap()}): the object's function references may sit
 *       in objects of the store's GC heap, and from there in anything a collection traces (a table
 *       slot, a global), but nowhere else; closed and without users other than such closed
 *       objects, it lives until a collection finds none of them reachable and none of its users
 *       reached ({@link StoreGc}'s owner decision, {@link StoreLifetimes#candidates}).
 * </ul>
 *
 * <p>State changes happen under the store's lock; {@link #isOpen()} and {@link #isAlive()} are
 * volatile reads for the checks on every call.
 */
public final class Lifetime {
  /** {@link #handleOpen} read as a plain field, under the store's claim ({@link #checkOpenUnderClaim}). */
  private static final java.lang.invoke.VarHandle HANDLE_OPEN;

  static {
    try {
      HANDLE_OPEN = java.lang.invoke.MethodHandles.lookup().findVarHandle(Lifetime.class, "handleOpen", boolean.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  private final NativeStore store;
  private final String name;
  /**
   * The object's free action; null once it ran to the end, so that what outlives the object and
   * still names this lifetime (a tag kept for a live exception, a Java handle) does not keep the
   * freed object's Java graph reachable through it (red team 20: a kept tag held a freed instance's
   * whole graph, ten times what the store's memory limit was charged for it). Kept until then: an
   * action that threw (a {@code StackOverflowError} at any of its calls) is run again by the next
   * {@link #free}, and does only what it left (issue 35: dropped before it ran, an interrupted free
   * lost the object's pool slot for good).
   */
  private Runnable free;
  /** False once the handle is closed or the object freed (whichever comes first). */
  private volatile boolean handleOpen = true;
  /** True once the free has begun: the object may be partly freed, and is no longer alive. */
  private volatile boolean freed;
  /** Whether {@link #free} is on the stack: what it frees may release this object again. */
  private boolean freeing;
  /** True once {@link #free} has run everything to its end. */
  private volatile boolean freeFinished;
  /** The handle counts as one user until it is closed. */
  private int users = 1;
  /** The instances counted among {@link #users}, once per import (the handle is not among them). */
  // Made at the first import: most objects are imported by nobody, and issue 41 counts each
  // instance cycle's allocation (CycleAllocationTest).
  private java.util.List<Lifetime> importers = java.util.List.of();
  private boolean pinned;
  private boolean heldByHeap;
  /** What other owners of per-object state ask to run when the object is freed ({@link #whenFreed}). */
  private java.util.List<Runnable> alsoOnFree = java.util.List.of();
  /** How many of {@link #alsoOnFree} have run (each counted once it returned). */
  private int alsoOnFreeRan;

  Lifetime(NativeStore store, String name, Runnable free, boolean pinned) {
    this.store = store;
    this.name = Objects.requireNonNull(name, "name");
    this.free = Objects.requireNonNull(free, "free");
    this.pinned = pinned;
  }

  /** The store the object belongs to. */
  public NativeStore store() {
    return store;
  }

  /** Whether the embedder's handle is open: the object may be called and imported. */
  public boolean isOpen() {
    // One volatile read for the check on every call (issue 42): free() clears handleOpen too.
    return handleOpen;
  }

  /** Whether the object's native memory still exists (it may be closed but still in use). */
  public boolean isAlive() {
    return !freed;
  }

  /** @throws IllegalStateException naming the object if its handle is closed */
  public void checkOpen() {
    if (!isOpen()) {
      throw new IllegalStateException(name + " is closed");
    }
  }

  /**
   * {@link #checkOpen()} for the thread holding the store's claim ({@link DirectEntry}'s calls): the
   * flag is cleared only under the claim ({@link NativeStore#closeHandle}, and {@link #free()}, which
   * runs at the store's close, its outermost exit or an owner decision, each holding it), so the
   * claim orders that write before this read and a plain read sees it. A volatile read is a barrier
   * the JIT cannot move the call's other loads across (issue 42).
   *
   * @throws IllegalStateException naming the object if its handle is closed
   */
  void checkOpenUnderClaim() {
    if (!(boolean) HANDLE_OPEN.get(this)) {
      throw new IllegalStateException(name + " is closed");
    }
  }

  /** @throws IllegalStateException naming the object if it was freed */
  public void checkAlive() {
    if (freed) {
      throw new IllegalStateException(name + " was freed (closed, and no instance uses it any more)");
    }
  }

  /**
   * Counts a new user: {@code importer}, an instance of the same store that imports from the object.
   *
   * @throws IllegalStateException if the object is closed (nothing new may link to it)
   */
  public void use(Lifetime importer) {
    store.use(this, importer);
  }

  /** Ends one {@link #use} of {@code importer}; the last user of a closed object frees it. */
  public void release(Lifetime importer) {
    store.release(this, importer);
  }

  /**
   * Runs {@code action} when the object is freed, after its own free action (at once if it was
   * freed already): how state kept elsewhere for the object, such as the public API's function
   * handles of its references, leaves with it instead of staying until the store closes. The
   * action runs on the freeing thread, which holds the store's claim but not its lock; a free that
   * was interrupted runs it when it is finished.
   */
  public void whenFreed(Runnable action) {
    java.util.Objects.requireNonNull(action, "action");
    synchronized (this) {
      if (!freed || free != null || alsoOnFreeRan < alsoOnFree.size()) {
        java.util.List<Runnable> actions = new java.util.ArrayList<>(alsoOnFree);
        actions.add(action);
        alsoOnFree = actions;
        return;
      }
    }
    action.run();
  }

  /** Keeps the object until the store closes: its function references may be anywhere now. */
  public void pin() {
    store.pin(this);
  }

  /**
   * Keeps the object, once closed and unused, until a collection finds none of its function
   * references reachable: they can have left it only into objects of the store's GC heap.
   */
  public void holdByHeap() {
    store.holdByHeap(this);
  }

  /**
   * Closes the handle: the object is freed now if nothing uses it and it is not pinned, at the end
   * of the current wasm call if one is running on this thread, else when its last user goes or the
   * store closes. Idempotent.
   *
   * @throws IllegalStateException if another thread is using the store
   */
  public void close() {
    store.closeHandle(this);
  }

  @Override
  public String toString() {
    return name;
  }

  // ---------------------------------------------------------------- state, under the store's lock

  boolean handleOpen() {
    return handleOpen;
  }

  void closeHandleState() {
    handleOpen = false;
  }

  boolean freed() {
    return freed;
  }

  /** Whether {@link #free} has run to its end: nothing of the object is left to free. */
  boolean freeFinished() {
    return freeFinished;
  }

  void addUser(Lifetime importer) {
    users++;
    if (importers.isEmpty()) {
      importers = new java.util.ArrayList<>(2);
    }
    importers.add(Objects.requireNonNull(importer, "importer"));
  }

  void removeUser(Lifetime importer) {
    users--;
    importers.remove(importer);
  }

  /** Ends the handle's use: {@link #close()} did. */
  void removeHandleUser() {
    users--;
  }

  /** The instances that use the object, once per import. */
  java.util.List<Lifetime> importers() {
    return importers;
  }

  boolean pinned() {
    return pinned;
  }

  boolean heldByHeap() {
    return heldByHeap;
  }

  void markPinned() {
    pinned = true;
  }

  void markHeldByHeap() {
    heldByHeap = true;
  }

  /** A collection found none of the object's function references reachable: the heap lets it go. */
  void releaseFromHeap() {
    heldByHeap = false;
  }

  /** Whether nothing keeps the object any more. */
  boolean unused() {
    return users == 0 && !pinned && !heldByHeap;
  }

  /**
   * Runs the free action to its end, then what {@link #whenFreed} added, each once. A free that
   * threw (any throwable, at any call) is finished by the next call, which runs only what is left:
   * the action is dropped, and each added one counted, only once it returned, and the action
   * itself does again none of what it finished (its owner's contract, {@link NativeStore#adopt}).
   * A call while a free of the object is on the stack returns at once.
   */
  void free() {
    if (freeing) {
      return;
    }
    Runnable action;
    synchronized (this) {
      handleOpen = false;
      freed = true;
      action = free;
    }
    freeing = true;
    try {
      if (action != null) {
        action.run();
        free = null; // a field write once it returned: nothing between can throw
      }
      while (true) {
        Runnable next;
        synchronized (this) {
          if (alsoOnFreeRan == alsoOnFree.size()) {
            alsoOnFree = java.util.List.of();
            alsoOnFreeRan = 0;
            freeFinished = true;
            return;
          }
          next = alsoOnFree.get(alsoOnFreeRan);
        }
        next.run();
        alsoOnFreeRan++;
      }
    } finally {
      freeing = false;
    }
  }
}
