package dev.kiln.loader.runtime;

import dev.kiln.artifact.Target;
import dev.kiln.loader.exec.Executor;
import dev.kiln.wasm.types.RefType;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The native side of a store ({@code dev.kiln.runtime.Store} wraps one for embedders): the unit of
 * execution that owns one store context, the native block every VMContext of its instances points
 * at ({@link dev.kiln.artifact.vm.StoreLayout}, docs/ARCHITECTURE.md section 4). Compiled code reads
 * the stack limit from it and the trap stub writes the trap state into it; this class prepares each
 * entry and turns a recorded trap into a {@link TrapException}.
 *
 * <p><b>Stack limit and executors.</b> Before each outermost entry the store places the stack floor
 * the entry trampoline derives the stack limit from ({@link StackFloor}: the low end of the thread's
 * stack, or the emulator's, plus {@link #headroom()}). The store owns the {@link Executor} of each
 * target its instances run ({@link #executorFor}, {@link StoreExecutors}).
 *
 * <p><b>One thread at a time.</b> Entries, instantiation and closing claim the store for the
 * current thread ({@link ThreadClaim}: a compare-and-set, or no read-modify-write at all for the
 * thread that had the store last); a second thread gets an {@link
 * IllegalStateException} naming the store and both threads instead of sharing the stack limit and
 * the trap record. A store made {@linkplain #NativeStore(Epoch, RuntimeTypes, long, long,
 * StoreLimits, Thread) confined} to one thread lets that thread alone in, with no fence, and
 * refuses every other with a {@link WrongThreadException}; there a wasm entry claims the store by
 * the depth it counts anyway. Entries nest (wasm -> host -> wasm) on the holding thread ({@link
 * StoreEntries}: the claim's ways in and out, the entry state word, and what an overflow at any of
 * their calls leaves owed). A closed store refuses everything with an {@link
 * IllegalStateException}, and so does, but its close, a store whose GC heap a collection stopped
 * half way left damaged ({@link GcHeap}).
 *
 * <p><b>Lifetimes.</b> The store owns every native object made in it ({@link #adopt}): each one is
 * freed when its {@link Lifetime} says nothing needs it any more, and whatever is left when the
 * store closes (see the package documentation). It also knows the address of every function
 * reference of its objects, so a raw funcref value from Java is checked ({@link
 * #checkFunctionReference}) before compiled code can call through it.
 *
 * <p><b>Epoch deadline and fuel.</b> The context points at an {@link Epoch} (the store's own, or an
 * engine's shared by its stores) and holds the store's epoch deadline and fuel count ({@link
 * EpochDeadlineAndFuel}): {@link #setEpochDeadline}, {@link #setFuel}, {@link #fuel()}.
 *
 * <p><b>The context's memory.</b> The context is Kiln's alone (no embedder object views it), so it
 * comes from the C heap ({@code loader.sys.NativeHeap}), not from a shared arena, whose close
 * would stop every thread of the JVM in a handshake on each store close. What makes the free safe
 * without one: compiled code and the entry path touch the context only under the thread claim,
 * which {@link #close()} takes (so no code of the store runs while it frees), and the accessors
 * other threads may call ({@link #fuel()}, {@link #setEpochDeadline}, ...) read it under the
 * store's lock after checking that the store is open, while {@link #close()} frees it under that
 * lock after marking it closed.
 *
 * <p><b>Its parts.</b> The store wires classes of one job each, taking its lock for them: its
 * entries and claims ({@link StoreEntries}), the native block and its fields ({@link StoreContext}), the
 * stack floor ({@link StackFloor}), the epoch deadline and fuel ({@link EpochDeadlineAndFuel}), the
 * executors ({@link StoreExecutors}), the objects not yet freed ({@link StoreLifetimes}), the
 * registry of function references ({@link FunctionReferenceRegistry}), the type checks of
 * references from Java ({@link ReferenceChecks}), the GC heap and its roots ({@link StoreGc}) and
 * the calls that reach it under the store's lock and claim, with the owner decision and the
 * host-call safepoints ({@link StoreGcAccess}), the code regions of backtraces ({@link
 * StoreCodeRegions}), other packages' per-store state ({@link StoreAttachments}), what a failed
 * entry ends with ({@link TrapReports}) and the order its close frees them in ({@link StoreTeardown}).
 */
public final class NativeStore implements AutoCloseable {
  /** Wasm stack one outermost entry may use, as Wasmtime's default {@code max_wasm_stack}. */
  public static final long DEFAULT_MAX_WASM_STACK = 512 * 1024;
  /**
   * Stack kept free above the thread's low end: the JVM's zones and, above them, room for the first
   * links of the call sites of whatever Java a guest calls at its deepest (host calls, WASI, the
   * collector's slow path; {@code ThreadStack.LINK}, issue 35).
   */
  public static final long DEFAULT_HEADROOM = dev.kiln.loader.sys.ThreadStack.JVM_ZONES
      + dev.kiln.loader.sys.ThreadStack.LINK;

  private static final AtomicLong STORES = new AtomicLong();
  private static final VarHandle NAME;

  static {
    try {
      NAME = java.lang.invoke.MethodHandles.lookup().findVarHandle(NativeStore.class, "name", String.class);
    } catch (ReflectiveOperationException e) {
      throw new ExceptionInInitializerError(e);
    }
  }

  /**
   * "store #N", numbered when first asked for ({@link #toString}): only messages name a store, and
   * a number taken per store was a write to one counter every thread shares (issue 41).
   */
  private volatile String name;
  /** The claim, {@link #entries}' too: closing, a handle's close and making room take it here. */
  private final ThreadClaim claim;
  /** The wasm entries and exits, the entry state word and the claim's ways in and out for them. */
  private final StoreEntries entries;
  /** What {@link #close()} frees, in which order, and how a close a throwable interrupted is finished. */
  private final StoreTeardown teardown;
  /**
   * Host calls that returned (or failed) whose activation is still recorded as waiting: the
   * host-call dispatch counts each here, a field write that cannot overflow, before it calls {@link
   * #hostCallReturned}, which resumes them, so that a {@code StackOverflowError} at the frame of that
   * call leaves the resume owed rather than an activation that never returns, which would refuse
   * every later collection (issue 35). Paid by the next host call's record and collection too.
   * Read and written by the claiming thread only.
   */
  public int hostCallsReturned;
  /** The lifetimes of the objects not yet freed. */
  private final StoreLifetimes lifetimes = new StoreLifetimes();
  /** The VMFuncRef arrays of live objects, for {@link #checkFunctionReference}. */
  private final FunctionReferenceRegistry functionReferences = new FunctionReferenceRegistry(this);
  /** From the C heap, freed by {@link #close()} (see the class documentation). */
  private final StoreContext block;
  /** The store context, {@link #block}'s first part. */
  private final MemorySegment context;
  private final StackFloor stackFloor;
  private final Epoch epoch;
  private final EpochDeadlineAndFuel epochDeadlineAndFuel;
  private final StoreResources resources;
  private final StoreExecutors executors = new StoreExecutors();
  private final RuntimeTypes types;
  private final StoreCodeRegions codeRegions = new StoreCodeRegions();
  private final StoreAttachments attachments = new StoreAttachments();
  /** The store's GC heap, its slow path and roots. */
  private final StoreGc gc;
  private final ReferenceChecks referenceChecks;
  private final TrapReports trapReports;
  /** The store's exception objects and unwinder, made when its first exception-handling code is instantiated. */
  private StoreExceptions exceptions;
  /** The GC heap's calls under the store's lock and claim, the owner decision, the host-call safepoints. */
  private final StoreGcAccess gcAccess;

  /** A store with the default stack budget and headroom, and an epoch counter of its own. */
  public NativeStore() {
    this(new Epoch());
  }

  /** A store with the default stack budget and headroom whose code reads {@code epoch} (an engine's). */
  public NativeStore(Epoch epoch) {
    this(epoch, DEFAULT_MAX_WASM_STACK, DEFAULT_HEADROOM);
  }

  /** A store with an epoch counter of its own and the default limits ({@link StoreLimits#DEFAULTS}). */
  public NativeStore(long maxWasmStack, long headroom) {
    this(new Epoch(), maxWasmStack, headroom);
  }

  /** A store with the default limits ({@link StoreLimits#DEFAULTS}). */
  public NativeStore(Epoch epoch, long maxWasmStack, long headroom) {
    this(epoch, maxWasmStack, headroom, StoreLimits.DEFAULTS);
  }

  /** A store with the default stack budget and headroom, an epoch counter of its own and {@code limits}. */
  public NativeStore(StoreLimits limits) {
    this(new Epoch(), DEFAULT_MAX_WASM_STACK, DEFAULT_HEADROOM, limits);
  }

  /** A store with runtime type ids of its own (an engine of its own). */
  public NativeStore(Epoch epoch, long maxWasmStack, long headroom, StoreLimits limits) {
    this(epoch, new RuntimeTypes(), maxWasmStack, headroom, limits);
  }

  /**
   * @param epoch the counter that code compiled with epoch interruption compares with this store's
   *     deadline ({@link #setEpochDeadline})
   * @param types the runtime type ids of the engine the store belongs to: instances of every store
   *     sharing them give a type one id
   * @param maxWasmStack bytes of native stack an outermost entry grants to wasm
   * @param headroom bytes above the thread's stack low end that wasm never uses
   * @param limits what the store's objects may allocate and how deep host calls may nest
   */
  public NativeStore(Epoch epoch, RuntimeTypes types, long maxWasmStack, long headroom, StoreLimits limits) {
    this(epoch, types, maxWasmStack, headroom, limits, null);
  }

  /**
   * @param epoch the counter that code compiled with epoch interruption compares with this store's
   *     deadline ({@link #setEpochDeadline})
   * @param types the runtime type ids of the engine the store belongs to
   * @param maxWasmStack bytes of native stack an outermost entry grants to wasm
   * @param headroom bytes above the thread's stack low end that wasm never uses
   * @param limits what the store's objects may allocate and how deep host calls may nest
   * @param confinedTo the only thread that may ever claim the store ({@link ThreadClaim#confinedTo}:
   *     no fence per entry, every other thread refused with a {@link WrongThreadException}), or
   *     null for a store any thread may use, one at a time
   */
  public NativeStore(Epoch epoch, RuntimeTypes types, long maxWasmStack, long headroom, StoreLimits limits,
      Thread confinedTo) {
    CallPathClasses.initialise(); // before a guest can run in any store (an engine does it first)
    if (maxWasmStack <= 0 || headroom < 0) {
      throw new IllegalArgumentException("max wasm stack " + maxWasmStack + ", headroom " + headroom);
    }
    this.epoch = java.util.Objects.requireNonNull(epoch, "epoch");
    this.types = java.util.Objects.requireNonNull(types, "types");
    java.util.Objects.requireNonNull(limits, "limits");
    this.claim = confinedTo == null ? new ThreadClaim() : ThreadClaim.confinedTo(confinedTo);
    // Begun only with room to finish: an overflow past the context's allocation would leave it
    // allocated with no store to free it (issue 35).
    dev.kiln.loader.sys.ThreadStack.requireRoom(dev.kiln.loader.sys.ThreadStack.STEP, "making a store");
    this.block = new StoreContext();
    this.stackFloor = new StackFloor(block, headroom);
    this.epochDeadlineAndFuel = new EpochDeadlineAndFuel(block, epoch);
    this.context = block.segment();
    this.resources = new StoreResources(this, limits, context);
    block.initialise(maxWasmStack, epoch, types);
    SuspendedActivations suspended = new SuspendedActivations(context);
    this.gc = new StoreGc(this, context, resources, types, suspended);
    this.gcAccess = new StoreGcAccess(this, gc, lifetimes, suspended);
    this.referenceChecks = new ReferenceChecks(this, types);
    this.trapReports = new TrapReports(this, block, gc, referenceChecks);
    this.entries = new StoreEntries(this, claim, confinedTo, stackFloor, limits.maxHostCallDepth(), lifetimes, gcAccess);
    this.teardown = new StoreTeardown(this, claim, entries, lifetimes, functionReferences, executors, stackFloor,
        resources, block);
  }

  /** What the store's live objects use, and its {@link StoreLimits}. */
  public StoreResources resources() {
    return resources;
  }

  /**
   * The store's exception runtime, its entries installed for code {@code executor} runs (compiled
   * code that throws or catches calls them through the store context).
   *
   * @throws IllegalStateException if exception-handling code of another target runs in the store
   */
  public synchronized StoreExceptions exceptions(Executor executor) {
    checkNotClosed();
    if (exceptions == null) {
      exceptions = new StoreExceptions(context, codeRegions::snapshot, resources.memoryBytes(),
          gc.hostThrowAllocation());
    }
    exceptions.install(executor, block.upcalls());
    return exceptions;
  }

  /**
   * The store's entry in the process's {@link UpcallRegistry}, through which compiled code's upcalls
   * find the store's objects; registered on first use, dropped when the store closes.
   */
  public synchronized StoreUpcalls upcalls() {
    checkNotClosed();
    return block.upcalls();
  }

  /** The store context; its address goes into every VMContext's first field. */
  public MemorySegment context() {
    return context;
  }

  /**
   * The ValRaw array every {@link DirectEntry} of the store passes its arguments and results in
   * ({@link DirectEntry#MAX_SLOTS} slots): one per store, freed with the context, written only by
   * the thread that has claimed the store for the call.
   */
  MemorySegment directCallSlots() {
    return block.directCallSlots();
  }

  /**
   * The scratch block every entry into the store passes its executor ({@link
   * Executor#callArrayEntry}): one per store, freed with the context, written only by the thread
   * that has claimed the store for the entry.
   */
  MemorySegment entryScratch() {
    return block.entryScratch();
  }

  public long headroom() {
    return stackFloor.headroom();
  }

  public synchronized long maxWasmStack() {
    checkNotClosed();
    return block.maxWasmStack();
  }

  /** The current stack limit: 0 outside wasm, else what the innermost entry set. */
  public synchronized long stackLimit() {
    checkNotClosed();
    return block.stackLimit();
  }

  /** The lowest stack limit the next outermost entry on this thread may set (0 before any entry). */
  public synchronized long stackFloor() {
    checkNotClosed();
    return block.stackFloor();
  }

  /** SP saved by the innermost entry: 0 outside wasm. */
  public synchronized long entrySp() {
    checkNotClosed();
    return block.entrySp();
  }

  // ---------------------------------------------------------------- epoch deadline and fuel

  /** The epoch counter this store's code reads; any thread may increment it. */
  public Epoch epoch() {
    return epoch;
  }

  /**
   * Code compiled with epoch interruption traps with {@code INTERRUPT} at its next check once the
   * epoch has advanced {@code ticks} past its current value ({@link EpochDeadlineAndFuel#setDeadline}).
   * Until this is called the deadline is 0, which the first check reaches. Set on the store's
   * thread, before an entry or from a host function.
   *
   * @param ticks increments of the epoch the code may run for, {@code >= 0}
   */
  public synchronized void setEpochDeadline(long ticks) {
    EpochDeadlineAndFuel.checkTicks(ticks);
    checkNotClosed();
    epochDeadlineAndFuel.setDeadline(ticks);
  }

  /** The epoch at which this store's code traps (unsigned). */
  public synchronized long epochDeadline() {
    checkNotClosed();
    return epochDeadlineAndFuel.deadline();
  }

  /**
   * Gives code compiled with fuel metering {@code fuel} units to run on ({@link
   * EpochDeadlineAndFuel#setFuel}); a fresh store has none.
   *
   * @param fuel {@code >= 0}
   */
  public synchronized void setFuel(long fuel) {
    EpochDeadlineAndFuel.checkFuel(fuel);
    checkNotClosed();
    epochDeadlineAndFuel.setFuel(fuel);
  }

  /**
   * Spends {@code units} of fuel on work done for the store outside compiled code ({@link
   * EpochDeadlineAndFuel#spend}).
   *
   * @return false once the fuel is spent (the caller traps with {@code OUT_OF_FUEL}, as code would)
   * @throws IllegalStateException if the store is closed
   */
  public synchronized boolean spendFuel(long units) {
    checkNotClosed();
    return epochDeadlineAndFuel.spend(units);
  }

  /** The fuel left, 0 once spent ({@link EpochDeadlineAndFuel#fuel}). */
  public synchronized long fuel() {
    checkNotClosed();
    return epochDeadlineAndFuel.fuel();
  }

  /** Adds {@code fuel} to {@link #fuel()} (saturating), e.g. to refill a store whose code ran out. */
  public synchronized void addFuel(long fuel) {
    EpochDeadlineAndFuel.checkFuel(fuel);
    checkNotClosed();
    epochDeadlineAndFuel.addFuel(fuel);
  }

  /**
   * The executor that runs code compiled for {@code target} in this store, created on first use.
   *
   * @throws dev.kiln.artifact.IncompatibleArtifactException if this host runs no code of that target
   */
  public synchronized Executor executorFor(Target target) {
    checkNotClosed();
    return executors.executorFor(target);
  }

  /** The limits this store was made with. */
  StoreLimits limits() {
    return resources.limits();
  }

  /**
   * Runs {@code body} with the store claimed for the current thread: instantiation (nothing else
   * may run in the store while an instance is wired into it) and calls from Java (nothing can free
   * the callee between the check that it is open and the entry).
   *
   * @param action what the body does, for the message if another thread holds the store
   * @throws IllegalStateException if another thread is using the store, or it is closed
   */
  public <T> T exclusive(String action, Supplier<T> body) {
    return exclusive(action, "", body);
  }

  /**
   * {@link #exclusive(String, Supplier)} whose action is {@code action} followed by {@code
   * subject} (a module, an instance): the message is built only if it is needed, not on every call.
   */
  public <T> T exclusive(String action, Object subject, Supplier<T> body) {
    return entries.exclusive(action, subject, body);
  }

  /**
   * Refuses to go on unless the current thread holds the store's claim: a GC heap word is current
   * only under the claim it was read under (a collection, which runs only under a claim, moves the
   * objects), so what turns such a word into something that outlives the claim ({@link
   * #objectKind}, {@code ObjectHandles}) runs only under one, together with the read.
   *
   * @param action what the caller wanted to do, for the message
   * @throws IllegalStateException if the current thread does not hold the claim
   */
  public void requireClaim(String action) {
    if (!entries.claimedByCurrentThread()) {
      throw new IllegalStateException(this + ": cannot " + action + " outside the current thread's claim of the"
          + " store (a GC word read outside it may name a moved object)");
    }
  }

  // ---------------------------------------------------------------- lifetimes of the store's objects

  /**
   * Makes {@code name}'s lifetime in this store: {@code free} runs to its end once, when the handle
   * is closed and nothing uses the object any more, or when the store closes. If it throws (a
   * {@code StackOverflowError} at any of its calls too), it is run again later, and must then do
   * only what it left undone ({@link Lifetime#free}).
   *
   * @param pinned whether the object's function references may leave it from the start, so it
   *     lives until the store closes
   * @throws IllegalStateException if the store is closed
   */
  public synchronized Lifetime adopt(String name, Runnable free, boolean pinned) {
    checkNotClosed();
    return lifetimes.adopt(this, name, free, pinned);
  }

  synchronized void use(Lifetime lifetime, Lifetime importer) {
    lifetimes.use(lifetime, importer);
  }

  /**
   * Ends a use of {@code lifetime}: {@code importer}'s, or its handle's if null. Its last use
   * queues it to free, and the queue is freed now unless wasm of the store is on the stack (then
   * at the outermost exit) or the store is closing (its close frees everything).
   */
  void release(Lifetime lifetime, Lifetime importer) {
    synchronized (this) {
      lifetimes.release(lifetime, importer, entries.closed);
      if (!lifetimes.freesQueued() || entries.closed) {
        return;
      }
      if (entries.deferFreesToOutermostExit()) {
        return;
      }
    }
    entries.freeQueued();
  }

  synchronized void pin(Lifetime lifetime) {
    lifetime.markPinned();
  }

  synchronized void holdByHeap(Lifetime lifetime) {
    lifetime.markHeldByHeap();
  }

  /** The VMFuncRef arrays of the store's live objects and their owners, for an owner decision. */
  FunctionReferenceRegistry functionReferences() {
    return functionReferences;
  }

  void closeHandle(Lifetime lifetime) {
    if (lifetime.freeFinished()) {
      return;
    }
    // Begun only with room to finish: closed but not released, the object would stay until the
    // store closes, and a second close() would find it closed (issue 35).
    dev.kiln.loader.sys.ThreadStack.requireRoom(dev.kiln.loader.sys.ThreadStack.STEP, lifetime);
    claim.acquire(this, "close", lifetime);
    try {
      entries.payOwedExits();
      boolean open;
      synchronized (this) {
        open = lifetime.handleOpen();
        lifetime.closeHandleState();
      }
      if (open) {
        release(lifetime, null);
        gcAccess.decideOwnersIfDue();
      } else if (!entries.wasmOnStack() && !entries.closed) {
        entries.freeQueued(); // what a close that a throwable interrupted left to free: this one finishes it
      }
    } finally {
      claim.owed++; // before any call: an overflow in the release leaves it owed, not held (issue 35)
      claim.settleOwed();
    }
  }

  /**
   * Makes the owner decision about the closed instances only the heap keeps now, before an
   * instantiation is refused for want of an instance slot or of room under {@link
   * StoreLimits#maxInstances}: they hold both until a decision frees them. Nothing if wasm of the
   * store is on the stack.
   *
   * @return whether it freed any, so that the refused step is worth one retry
   * @throws IllegalStateException if the current thread does not hold the store's claim
   */
  public boolean decideOwnersToMakeRoom() {
    requireClaim("free the closed instances only its heap keeps");
    return gcAccess.decideOwnersToMakeRoom();
  }

  /**
   * {@link #decideOwnersToMakeRoom} for another store of the engine, whose instantiation the
   * engine's instance pool (shared by its stores) refused while this store's closed instances only
   * its heap keeps may hold slots. A store is collected only by a thread that holds its claim with
   * no wasm of it on the stack; so this takes the claim only if no thread holds it, the current one
   * included ({@link ThreadClaim#tryAcquireToMakeRoom}: a store running wasm, in a host call, or
   * confined to another thread is left alone), and a thread that wants the store meanwhile waits for
   * the decision instead of being refused. Never waits itself, so two stores making room in each
   * other cannot deadlock.
   *
   * @return whether it freed any of them
   */
  public boolean decideOwnersForAnotherStore() {
    if (entries.closed || !gcAccess.worthDecidingToMakeRoom()) {
      return false;
    }
    ThreadClaim.MakingRoom room = claim.tryAcquireToMakeRoom();
    if (room == null) {
      return false;
    }
    try {
      entries.payOwedExits(); // what a holder that ended left owing, as at every claim
      return gcAccess.decideToMakeRoom();
    } finally {
      claim.owed++; // before any call (ThreadClaim#owed)
      try {
        claim.settleOwed();
      } catch (Throwable failed) {
        // This thread uses another store and may never come back to pay what it owes here: the
        // next thread to want the store takes the claim over (a field write, issue 35).
        room.abandoned = true;
        throw failed;
      }
    }
  }

  /**
   * Registers {@code count} VMFuncRefs of {@code owner} starting at address {@code first} (an
   * instance's {@code func_ref} array, a host function's one record), so {@link
   * #checkFunctionReference} accepts them while the owner lives.
   */
  public synchronized void registerFunctionReferences(long first, int count, Lifetime owner) {
    functionReferences.register(first, count, owner);
  }

  /** Undoes {@link #registerFunctionReferences} of the array at {@code first}. */
  public synchronized void unregisterFunctionReferences(long first) {
    functionReferences.unregister(first);
  }

  /**
   * Checks a funcref value that Java hands to this store (a call argument, a table or global
   * write, a host function's result): 0 (null) or the address of a VMFuncRef of a live object of
   * this store. Compiled code calls through such a value without further checks, so a garbage or
   * foreign address would crash the JVM. The owner is pinned: the value may be stored anywhere now.
   *
   * @throws IllegalArgumentException if {@code value} is neither
   */
  public synchronized void checkFunctionReference(long value) {
    functionReferences.check(value);
  }

  /**
   * The owner of the VMFuncRef at {@code value} while one is registered there ({@link
   * #registerFunctionReferences}): what tells a reference Java kept from a freed instance apart
   * from a later one at the same address (a pooled slot reused).
   */
  public synchronized java.util.Optional<Lifetime> functionReferenceOwner(long value) {
    return functionReferences.owner(value);
  }

  /**
   * {@link #checkFunctionReference(long)}, and that the value has type {@code expected} (closed:
   * its heap type abstract or canonical): not null where the type is non-nullable, and a function
   * whose own type is a subtype of a concrete heap type (spec 3.0 3.3.x), since compiled code
   * ({@code call_ref}) trusts a reference's static type without a check.
   *
   * @throws IllegalArgumentException if the value is not one of the store's, or not of that type
   */
  public void checkFunctionReference(long value, RefType expected) {
    referenceChecks.checkFunctionReference(value, expected);
  }

  /**
   * Checks a reference Java hands to this store (a call argument, a table or global write) against
   * the precise type it is written as, which compiled code trusts (spec 3.0 3.3.x: a value of
   * {@code (ref ht)} is never null, one of a bottom heap type {@code none}/{@code noextern}/{@code
   * nofunc}/{@code noexn} is always null): a reference of the func hierarchy as {@link
   * #checkFunctionReference(long, RefType)} does; a struct or array by its header's type id; any
   * other reference, opaque to the store (an externref, a word of the any hierarchy), only against
   * those two rules. The hierarchy comes from the precise type, never from {@code kind}: the
   * artifact represents a concrete struct or array type as a funcref (wasm.types.RefType.kind).
   *
   * @param kind the value's type as the API sees it
   * @param value the reference's bits, 0 for null
   * @param precise the slot's precise type (closed: its heap type abstract or canonical)
   * @throws IllegalArgumentException if the type forbids the value
   */
  public void checkReference(dev.kiln.artifact.info.ValType kind, long value, dev.kiln.wasm.types.ValueType precise) {
    referenceChecks.checkReference(kind, value, precise);
  }

  /** Whether one of the store's {@link ObjectHandles} holds {@code word} now ({@link ReferenceChecks}). */
  synchronized boolean heldByHandle(long word) {
    return attachments.attachmentOrNull(ObjectHandles.class) instanceof ObjectHandles handles && handles.holds(word);
  }

  /** {@link StoreGcAccess#inGcHeap}. */
  public boolean inGcHeap(long word) {
    return gcAccess.inGcHeap(word);
  }

  /** Whether {@link #close()} has run. */
  public boolean isClosed() {
    return entries.closed;
  }

  void checkNotClosed() {
    if (entries.closed) {
      throw closedException();
    }
  }

  IllegalStateException closedException() {
    return new IllegalStateException(this + " is closed");
  }

  /** Why an entry into a store whose GC heap a collection left damaged is refused ({@link GcHeap#requireIntact}). */
  IllegalStateException heapDamagedException() {
    return gc.damagedException();
  }

  /**
   * Refuses to let a host function return into the wasm frames waiting for it once a collection
   * (one the host function's own call into the store made) left the store's GC heap damaged: those
   * frames hold words of the heap that no longer mean what they did, so the call fails (a trap no
   * wasm handler catches, {@link #hostFailed}) instead ({@link GcHeap}, "A collection stopped half
   * way"). Called by the host-call dispatch on the thread that holds the store.
   *
   * @throws IllegalStateException naming the store and what stopped the collection
   */
  public void requireHeapIntact() {
    entries.requireHeapIntact();
  }

  /**
   * The store's name. Without a lock (messages are built under other objects' monitors): two
   * threads naming a new store at once may both take a number, and one name is kept.
   */
  @Override
  public String toString() {
    String known = name;
    if (known != null) {
      return known;
    }
    String fresh = "store #" + STORES.incrementAndGet();
    return NAME.compareAndSet(this, null, fresh) ? fresh : name;
  }

  /** {@link RuntimeTypes#hostId}: the runtime id of a host function's type {@code type}. */
  public int typeId(dev.kiln.wasm.types.FuncType type) {
    return types.hostId(type);
  }

  /** The runtime type ids of the engine this store belongs to ({@link RuntimeTypes}). */
  public RuntimeTypes types() {
    return types;
  }

  /** The registered code regions, an immutable list replaced on each change ({@link #registerCode}). */
  List<CodeRegion> codeRegions() {
    return codeRegions.snapshot();
  }

  /** The store's wasm entries and exits and their claims ({@link StoreEntries}). */
  StoreEntries entries() {
    return entries;
  }

  /** The store's exception runtime if {@link #exceptions} has made it, else null. */
  StoreExceptions exceptionsIfMade() {
    return exceptions;
  }

  /**
   * Registers {@code region} (a module's mapped code) for backtraces: a trap's return addresses are
   * resolved against every region of the store, since wasm frames of several modules can be on the
   * stack (imports calling into other instances). Registered once per instance; see {@link
   * #unregisterCode}.
   */
  public synchronized void registerCode(CodeRegion region) {
    codeRegions.register(region);
  }

  /** Undoes one {@link #registerCode} of {@code region}. */
  public synchronized void unregisterCode(CodeRegion region) {
    codeRegions.unregister(region);
  }

  /**
   * The store's one {@code type} object, made by {@code factory} on first use: state other packages
   * keep per store (the host-call switchboard, the registry of live instances) without this package
   * knowing them.
   */
  public synchronized <T> T attachment(Class<T> type, java.util.function.Supplier<? extends T> factory) {
    return attachments.attachment(this, type, factory);
  }

  /**
   * Makes {@code value} the store's {@code type} object, as {@link #attachment} would with a factory
   * giving it: for an object the caller has already (the engine's instance pool), with no lambda.
   *
   * @throws IllegalStateException if the store has a {@code type} object already
   */
  public synchronized <T> void attach(Class<T> type, T value) {
    attachments.attach(this, type, value);
  }

  /**
   * The store's {@link TagRegistry}, made on first use: the tags its instances hold and those its
   * live exception objects name, the latter charged to the store's memory limit.
   */
  public synchronized TagRegistry tagRegistry() {
    if (attachments.attachmentOrNull(TagRegistry.class) instanceof TagRegistry tags) {
      return tags;
    }
    TagRegistry tags = new TagRegistry(resources.memoryBytes());
    attachments.attach(this, TagRegistry.class, tags);
    return tags;
  }

  /** The store's {@link TagRegistry} if {@link #tagRegistry} made it, else null. */
  synchronized TagRegistry tagRegistryIfMade() {
    return (TagRegistry) attachments.attachmentOrNull(TagRegistry.class);
  }

  /**
   * At the start of an instantiation, makes the collection a close makes when one is due ({@link
   * StoreGcAccess#decideOwnersIfDue}): instances closed by a host function are freed at the exit
   * of the call, where no collection may run (the call's results are words no root names).
   *
   * @throws IllegalStateException if the current thread does not hold the store's claim
   */
  public void collectIfDue() {
    requireClaim("collect its garbage");
    gcAccess.decideOwnersIfDue();
  }

  /**
   * Undoes the {@link TagRegistry#register}s of a freed instance's tags: each stays while another
   * live instance holds it, and past that while the heap holds objects, until a collection finds no
   * live exception object of it ({@link TagRegistry#release}). Each leaves {@code tags} once
   * released, from the end (a removal that allocates nothing), so a free that threw half way
   * releases only the rest when retried, never a tag twice (issue 35).
   */
  public synchronized void releaseTags(java.util.List<? extends ExceptionTag> tags) {
    TagRegistry registry = tagRegistry();
    boolean objectsMayNameThem = gc.holdsObjects();
    for (int last = tags.size() - 1; last >= 0; last--) {
      registry.release(tags.get(last), objectsMayNameThem);
      tags.remove(last);
    }
  }

  /** The store's {@code type} object, if {@link #attachment} made one. */
  public synchronized <T> java.util.Optional<T> attached(Class<T> type) {
    return java.util.Optional.ofNullable(type.cast(attachments.attachmentOrNull(type)));
  }

  /**
   * Closes {@code resource} when the store closes, after its objects are freed and before the
   * executors and the store context: state other packages keep per store (the host-call entries),
   * and whatever an embedder wants gone with the store.
   *
   * @throws IllegalStateException if the store is closed
   */
  public synchronized void closeWithStore(AutoCloseable resource) {
    checkNotClosed();
    teardown.closeWithStore(java.util.Objects.requireNonNull(resource, "resource"));
  }

  /** {@link StoreGcAccess#ensureGcHeap}. */
  public void ensureGcHeap() {
    gcAccess.ensureGcHeap();
  }

  /** {@link StoreGcAccess#installGcSlowPath}. */
  public void installGcSlowPath(Executor executor) {
    gcAccess.installGcSlowPath(executor);
  }

  /** {@link StoreGcAccess#hostCallEntered}: the host-call dispatch's first call. */
  public void hostCallEntered(long values, int[] referenceSlots) {
    gcAccess.hostCallEntered(values, referenceSlots);
  }

  /**
   * The host calls {@link #hostCallEntered} recorded and the caller counted in {@link
   * #hostCallsReturned} returned, or failed: their activations run again.
   */
  public void hostCallReturned() {
    gcAccess.hostCallReturned();
  }

  /** {@link StoreGcAccess#pauses}. */
  public GcPauses.Snapshot gcPauses() {
    return gcAccess.pauses();
  }

  /** {@link StoreGcAccess#collections}. */
  public long gcCollections() {
    return gcAccess.collections();
  }

  /** {@link StoreGcAccess#refusals}. */
  public long gcRefusals() {
    return gcAccess.refusals();
  }

  /** {@link StoreGcAccess#registerGcRoots(GcRoots, Lifetime)} for roots of no instance. */
  public AutoCloseable registerGcRoots(GcRoots roots) {
    return gcAccess.registerGcRoots(roots, (Lifetime) null);
  }

  /** {@link StoreGcAccess#registerGcRoots(GcRoots, Lifetime)} for roots of the instance {@code owner}. */
  public AutoCloseable registerGcRoots(GcRoots roots, Lifetime owner) {
    return gcAccess.registerGcRoots(roots, owner);
  }

  /** {@link StoreGcAccess#registerGcRoots(GcRoots, Lifetime, java.lang.foreign.Arena)}. */
  public void registerGcRoots(GcRoots roots, Lifetime owner, java.lang.foreign.Arena arena) {
    gcAccess.registerGcRoots(roots, owner, arena);
  }

  /** {@link StoreGcAccess#collectGarbage}. */
  public long collectGarbage(long[] held, boolean verify) {
    return gcAccess.collectGarbage(held, verify);
  }

  /** {@link StoreGcAccess#verifyHeap}. */
  public int verifyHeap(long[] held) {
    return gcAccess.verifyHeap(held);
  }

  /** What a reference word is to this store (a script runner's, a debugger's view; compiled code has its own test). */
  public enum ObjectKind {
    /** Not an object of this store's heap: null, an i31, a function or host reference. */
    NONE,
    /** A struct (spec 3.0 2.3.3), of the any hierarchy. */
    STRUCT,
    /** An array, of the any hierarchy. */
    ARRAY,
    /** An exception object (spec 3.0 2.3.4), of the exn hierarchy: never a value of any other. */
    EXCEPTION
  }

  /** {@link StoreGcAccess#objectKind}. */
  public ObjectKind objectKind(long word) {
    return gcAccess.objectKind(word);
  }

  /** {@link StoreGcAccess#objectKindOfWordFromJava}. */
  ObjectKind objectKindOfWordFromJava(long word) {
    return gcAccess.objectKindOfWordFromJava(word);
  }

  /** {@link StoreGcAccess#allocateObject}. */
  public long allocateObject(long bytes) {
    return gcAccess.allocateObject(bytes);
  }

  /**
   * Tells the store which throwables of a host function are wasm exceptions (WebAssembly 3.0
   * section 4.5.3: the host may throw an exception of any tag of the store into its caller):
   * {@code translator} gives the exception to throw, or null for any other failure. The API layer
   * sets it once (its {@code WasmThrow}); the loader knows no API type.
   */
  public void hostExceptions(java.util.function.BiFunction<Throwable, NativeStore, ThrownException> translator) {
    trapReports.hostExceptions(translator);
  }

  /**
   * Tells the store how the embedding layer gives out an exception no wasm frame caught: {@code
   * maker} makes its view ({@link ThrownException#view}) when the exception is read from its object,
   * under the same claim, the one time its payload's GC words are certainly current (a collection on
   * another thread may move the objects as soon as the claim is let go).
   */
  public void thrownViews(java.util.function.Function<ThrownException, Object> maker) {
    trapReports.thrownViews(maker);
  }

  /**
   * A host function called from wasm threw {@code failure}, just before its upcall returns {@code
   * false}: a wasm exception ({@link #hostExceptions}) of a tag of this store becomes the pending
   * exception its trampoline throws into the wasm caller ({@code codegen.abi.HostCallFailure});
   * anything else, or one that cannot be thrown (a tag of another store, a payload not of the
   * tag's type, no room under the memory limit), is recorded as the host's failure, which no wasm
   * frame can catch.
   *
   * <p>Whatever the translation throws is recorded in place of the exception it could not throw,
   * an {@link Error} too (a {@code StackOverflowError} or {@code OutOfMemoryError} while converting
   * the payload, an {@code AssertionError} of the translator): it runs inside the upcall, where it
   * was swallowed, and the entry then trapped with no cause at all. Nothing is left pending: the
   * object is made and set pending last ({@link StoreExceptions#throwFromHost}), and any trap's
   * entry clears the pending word ({@link #recordedTrap}); see {@link TrapReports}.
   */
  public void hostFailed(Throwable failure) {
    trapReports.hostFailed(failure);
  }

  /**
   * Records why a host function called from wasm failed, just before its upcall returns {@code
   * false}; the entry that unwinds because of it throws this instead of the generic host trap (a
   * {@link TrapException} of a nested entry with its code and cause and this entry's frames after its own,
   * anything else as the cause of a HOST_FUNCTION_FAILED trap).
   */
  public void recordHostFailure(Throwable failure) {
    trapReports.recordHostFailure(failure);
  }

  /**
   * The trap the trap stub recorded, after an entry returned false. Its frames are resolved when
   * {@link TrapException#backtrace()} is first asked for, against the code regions registered now: a trap
   * that nobody inspects costs no lookups.
   */
  TrapException recordedTrap() {
    return trapReports.recordedTrap();
  }

  /**
   * Frees every object of the store still alive (in reverse order of creation, whatever uses or
   * pins it: nothing of the store can run again), the resources handed to {@link #closeWithStore},
   * the executors and the store context. Idempotent.
   *
   * <p>A store confined to a thread that has terminated may be closed by any thread, one of them
   * ({@link ThreadClaim#acquireToClose}): otherwise nothing could ever free it.
   *
   * @throws IllegalStateException if wasm is running in the store (on this thread or another)
   * @throws WrongThreadException if the store is confined to another thread that is alive (closed or not)
   */
  @Override
  public void close() {
    teardown.close();
  }
}
