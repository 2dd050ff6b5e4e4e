package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import dev.kiln.artifact.info.FuncType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.exec.Executor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One wasm function's entry, prepared once and called many times with its arguments' bits: the
 * ARRAY_TO_WASM trampoline's address, the callee's vmctx and the store's ValRaw array for direct
 * calls ({@link NativeStore#directCallSlots}, docs/ARCHITECTURE.md section 4) are resolved when it is made, so a call writes the arguments,
 * enters the store and runs the trampoline, with no value objects, no list and no arena per call
 * (what {@code FunctionInstance.call} allocates each time).
 *
 * <p>Only for functions whose parameters and results are all numbers (i32, i64, f32, f64): every
 * bit pattern is a valid number, so whatever a caller writes into a slot is a value the guest may
 * see. A reference parameter's bits would be an address the code dereferences, so such functions
 * are refused here and called through {@code FunctionInstance.call}, which checks each reference.
 *
 * <p>The argument slots are written after the store is claimed, so two threads cannot interleave
 * their arguments: the second one's claim fails before it writes anything. A nested call of any
 * direct entry of the store (wasm, a host function, an entry again) reuses the array safely: the trampoline has
 * read its arguments into registers before any nested call, and writes its results after the
 * nested one returned.
 */
public final class DirectEntry {
  /** The most arguments or results the slots hold; beyond it a function is called the usual way. */
  public static final int MAX_SLOTS = 64;

  /**
   * Every address: the calls of up to four arguments write their words and read the result at
   * {@link #slotsAddress} through this constant segment, so that an access is one store or load,
   * with no test of a segment's class, size, read-only flag or session, and the compiled call path
   * stays under the size past which HotSpot inlines no caller's call of it (issue 42). The slots'
   * own segment tested nothing these accesses need: its session is the global one (the store frees
   * the block when it closes, which it refuses while an entry is in it), and the offsets, constant
   * and below four slots, are inside its {@link #MAX_SLOTS} slots whatever the function.
   */
  private static final MemorySegment ALL = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
  /** A slot's low eight bytes, as {@link ValRaw} reads and writes an i64. */
  private static final ValueLayout.OfLong WORD = JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final NativeStore store;
  private final Executor executor;
  /** The store's entries ({@link StoreEntries}): an entry and its exit are theirs, held here, one read nearer. */
  private final StoreEntries entries;
  /** {@link StoreEntries#idleState} of {@link #executor}, worked out once for every entry. */
  private final long idleState;
  private final Lifetime owner;
  /**
   * The trampoline's address as the segment the executor passes to the downcall, made once: one
   * made per call is an allocation wherever the JIT does not inline the whole call path (a deep
   * enough caller: seen at 40 bytes a call through a typed handle, issue 42).
   */
  private final MemorySegment trampoline;
  private final long vmctx;
  private final int params;
  private final int results;
  /** The slots the trampoline reads and writes: the more of parameters and results. */
  private final int slots;
  private final MemorySegment values;
  /** {@link #values}' address: the first slot. */
  private final long slotsAddress;
  private final MemorySegment scratch;

  /**
   * @param owner the lifetime of the instance the function's VMFuncRef lives in
   * @param type the function's type: numbers only, at most {@link #MAX_SLOTS} of each
   * @param executor the store's executor for the code's instruction set
   * @param trampoline the function's ARRAY_TO_WASM trampoline
   * @param vmctx the function's instance's VMContext, which belongs to {@code owner}'s store
   * @throws IllegalArgumentException if the type has a non-numeric value or too many
   */
  public DirectEntry(Lifetime owner, FuncType type, Executor executor, long trampoline, long vmctx) {
    if (!supports(type)) {
      throw new IllegalArgumentException("a direct entry takes numbers only (at most " + MAX_SLOTS + "), not " + type);
    }
    if (trampoline == 0 || vmctx == 0) {
      throw new IllegalArgumentException("null trampoline or vmctx");
    }
    this.owner = Objects.requireNonNull(owner, "owner");
    this.store = owner.store();
    this.executor = Objects.requireNonNull(executor, "executor");
    this.entries = store.entries();
    this.idleState = StoreEntries.idleState(executor);
    // The same check EntryInvoker makes: the prologues compare SP with the limit of the store the
    // callee vmctx names, which must be the store this entry claims.
    long storeOfCallee = MemorySegment.ofAddress(vmctx).reinterpret(VmLayout.POINTER_SIZE)
        .get(JAVA_LONG, VmLayout.STORE_CONTEXT);
    if (storeOfCallee != store.context().address()) {
      throw new IllegalArgumentException("the function's vmctx belongs to another store");
    }
    this.trampoline = MemorySegment.ofAddress(trampoline);
    this.vmctx = vmctx;
    this.params = type.params().size();
    this.results = type.results().size();
    this.slots = Math.max(params, results);
    // The store's slots, not an array of the entry's own: an automatic arena per entry registered
    // a cleaner on the JVM's one shared cleaner list, a lock every thread making a typed handle
    // queued on (issue 41). The store is claimed for the whole call, so nothing else writes them.
    this.values = store.directCallSlots();
    this.slotsAddress = values.address();
    this.scratch = store.entryScratch();
  }

  /** Whether a function of {@code type} can have a direct entry. */
  public static boolean supports(FuncType type) {
    // Asked for each typed handle made (an instance per request makes one per cycle): loops, not
    // stream pipelines, which allocated half a dozen objects per call.
    return type.params().size() <= MAX_SLOTS && type.results().size() <= MAX_SLOTS
        && allNumeric(type.params()) && allNumeric(type.results());
  }

  private static boolean allNumeric(java.util.List<ValType> types) {
    for (int i = 0; i < types.size(); i++) {
      if (!numeric(types.get(i))) {
        return false;
      }
    }
    return true;
  }

  private static boolean numeric(ValType t) {
    return t == ValType.I32 || t == ValType.I64 || t == ValType.F32 || t == ValType.F64;
  }

  /**
   * Calls a function of no parameters.
   *
   * @return the first result's bits (an i32 or f32 in the low 32), 0 if there is none
   */
  public long call() {
    requireArity(0);
    return enterAndRun(0, 0, 0, 0, 0);
  }

  /** Calls a function of one parameter ({@link #call()}). */
  public long call(long a0) {
    requireArity(1);
    return enterAndRun(1, a0, 0, 0, 0);
  }

  /** Calls a function of two parameters ({@link #call()}). */
  public long call(long a0, long a1) {
    requireArity(2);
    return enterAndRun(2, a0, a1, 0, 0);
  }

  /** Calls a function of three parameters ({@link #call()}). */
  public long call(long a0, long a1, long a2) {
    requireArity(3);
    return enterAndRun(3, a0, a1, a2, 0);
  }

  /** Calls a function of four parameters ({@link #call()}). */
  public long call(long a0, long a1, long a2, long a3) {
    requireArity(4);
    return enterAndRun(4, a0, a1, a2, a3);
  }

  /**
   * Calls the function with any number of arguments and copies every result's bits.
   *
   * @param args one word per parameter
   * @param out at least one word per result
   */
  public void call(long[] args, long[] out) {
    requireArity(args.length);
    if (out.length < results) {
      throw new IllegalArgumentException("the function has " + results + " results, room for " + out.length);
    }
    enter();
    try {
      for (int i = 0; i < args.length; i++) {
        ValRaw.setI64(values, i, args[i]);
      }
      if (!run()) {
        throw store.recordedTrap(); // under the claim, as EntryInvoker's
      }
      for (int i = 0; i < results; i++) {
        out[i] = ValRaw.getI64(values, i);
      }
    } finally {
      entries.exitsOwed++; // before the call: an overflow at its frame leaves the exit owed (StoreEntries#makeOwedExits)
      entries.makeOwedExits();
    }
  }

  private void requireArity(int given) {
    if (given != params) {
      throw new IllegalArgumentException("the function takes " + params + " arguments, got " + given);
    }
  }

  /** Claims the store (failing before any slot is written if another thread holds it). */
  private void enter() {
    entries.enter(executor, idleState);
    try {
      owner.checkOpenUnderClaim();
    } catch (Throwable e) { // a StackOverflowError too: the entry must not outlive the call (issue 35)
      entries.exitsOwed++; // before the call: an overflow at its frame leaves the exit owed (StoreEntries#makeOwedExits)
      entries.makeOwedExits();
      throw e;
    }
  }

  /**
   * Enters the store, writes the first {@code count} of the arguments, runs the entry and ends the
   * claim. The entry and the handler that ends it are in this one frame with no call between them:
   * a {@code StackOverflowError} at the frame of any call after the entry, the arguments' writes
   * included, reaches the handler (issue 35, red team 22 F1: the writes before the try leaked the
   * claim and the depth for good). It calls the executor itself rather than through a helper: each
   * level of Java calls between a caller and the downcall counts against how deep the JIT inlines
   * (HotSpot's {@code MaxInlineLevel}), and past that depth what the JDK allocates per downcall is
   * no longer scalar-replaced (with the errno-capturing shape entries had before {@link
   * Executor#callDirectEntry}, the capture block's slice: 40 bytes of garbage a call, issue 42).
   */
  private long enterAndRun(int count, long a0, long a1, long a2, long a3) {
    enter();
    try {
      long at = slotsAddress;
      if (count > 0) {
        ALL.set(WORD, at, a0);
      }
      if (count > 1) {
        ALL.set(WORD, at + ValRaw.SIZE, a1);
      }
      if (count > 2) {
        ALL.set(WORD, at + 2 * ValRaw.SIZE, a2);
      }
      if (count > 3) {
        ALL.set(WORD, at + 3 * ValRaw.SIZE, a3);
      }
      if (!executor.callDirectEntry(trampoline, vmctx, at, slots, scratch)) {
        // under the claim: the trap record and an uncaught exception's payload words are the store's
        throw store.recordedTrap();
      }
      return results == 0 ? 0 : ALL.get(WORD, at);
    } finally {
      entries.exitsOwed++; // before the call: an overflow at its frame leaves the exit owed (StoreEntries#makeOwedExits)
      entries.makeOwedExits();
    }
  }

  private boolean run() {
    return executor.callDirectEntry(trampoline, vmctx, values.address(), slots, scratch);
  }
}
