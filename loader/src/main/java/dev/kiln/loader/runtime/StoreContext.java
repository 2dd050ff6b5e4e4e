package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.loader.exec.Executor;
import dev.kiln.loader.sys.NativeHeap;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;

/**
 * The native block of a {@link NativeStore}: the store context compiled code and the trap stub read
 * and write ({@link StoreLayout}, docs/ARCHITECTURE.md section 4), followed by the direct-call slots
 * and the entries' scratch block, and the typed reads and writes of its fields the loader makes. The
 * block comes from the C heap ({@code loader.sys.NativeHeap}) and is freed by {@link #free()}; when
 * each field may be touched (under the store's claim or lock) is the store's business.
 */
final class StoreContext {
  /** Whether {@link #free} has given the block back. */
  private boolean freed;

  /** The store context as the loader sees it; a test checks it against {@link StoreLayout}. */
  static final StructLayout LAYOUT = MemoryLayout.structLayout(
      JAVA_LONG.withName("stack_limit"),
      JAVA_INT.withName("trap_code"),
      MemoryLayout.paddingLayout(4),
      JAVA_LONG.withName("trap_pc"),
      JAVA_LONG.withName("trap_fp"),
      JAVA_LONG.withName("entry_sp"),
      JAVA_LONG.withName("entry_fp"),
      JAVA_LONG.withName("stack_floor"),
      JAVA_LONG.withName("max_wasm_stack"),
      JAVA_INT.withName("backtrace_count"),
      MemoryLayout.paddingLayout(4),
      MemoryLayout.sequenceLayout(StoreLayout.BACKTRACE_CAPACITY, JAVA_LONG).withName("backtrace"),
      JAVA_LONG.withName("epoch_ptr"),
      JAVA_LONG.withName("epoch_deadline"),
      JAVA_LONG.withName("fuel_consumed"),
      JAVA_LONG.withName("memory_bytes_used"),
      JAVA_LONG.withName("memory_bytes_limit"),
      JAVA_LONG.withName("table_elements_used"),
      JAVA_LONG.withName("table_elements_limit"),
      JAVA_LONG.withName("type_displays"),
      JAVA_LONG.withName("gc_heap_base"),
      JAVA_LONG.withName("gc_heap_top"),
      JAVA_LONG.withName("gc_heap_end"),
      JAVA_LONG.withName("gc_heap_limit"),
      JAVA_LONG.withName("exception_throw"),
      JAVA_LONG.withName("resume_pc"),
      JAVA_LONG.withName("resume_sp"),
      JAVA_LONG.withName("resume_fp"),
      JAVA_LONG.withName("caught_exception"),
      JAVA_LONG.withName("pending_exception"),
      JAVA_LONG.withName("gc_allocate"),
      JAVA_LONG.withName("exit_fp"),
      MemoryLayout.paddingLayout(8)).withByteAlignment(StoreLayout.ALIGNMENT); // up to StoreLayout.SIZE, 16-byte granules

  private static final VarHandle STACK_LIMIT = handle("stack_limit");
  private static final VarHandle TRAP_CODE = handle("trap_code");
  /**
   * What {@code trap_code} holds while no trap stub has written it since it was last read: no
   * {@link TrapCode} (all are 0..255). An entry that fails with this still there ran no trap stub:
   * its callee was a host function called from Java directly ({@link TrapReports#recordedTrap}).
   */
  private static final int NO_TRAP_RECORDED = -1;
  private static final VarHandle PENDING_EXCEPTION = handle("pending_exception");
  private static final VarHandle TRAP_PC = handle("trap_pc");
  private static final VarHandle BACKTRACE_COUNT = handle("backtrace_count");
  private static final long BACKTRACE_OFFSET =
      LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("backtrace"));
  private static final VarHandle ENTRY_SP = handle("entry_sp");
  private static final VarHandle STACK_FLOOR = handle("stack_floor");
  private static final VarHandle MAX_WASM_STACK = handle("max_wasm_stack");
  private static final VarHandle EPOCH_PTR = handle("epoch_ptr");
  private static final VarHandle EPOCH_DEADLINE = handle("epoch_deadline");
  private static final VarHandle FUEL_CONSUMED = handle("fuel_consumed");
  private static final VarHandle TYPE_DISPLAYS = handle("type_displays");

  /** Where the direct-call slots start in the context's block: after the context, 16-byte aligned. */
  private static final long DIRECT_CALL_SLOTS_OFFSET = (LAYOUT.byteSize() + 15) & ~15L;
  /** Where the entries' scratch block starts: after the direct-call slots (a multiple of 16 bytes). */
  private static final long ENTRY_SCRATCH_OFFSET = DIRECT_CALL_SLOTS_OFFSET + (long) DirectEntry.MAX_SLOTS * ValRaw.SIZE;
  /**
   * Where the store's slot in {@link UpcallRegistry} is (a 32-bit word after the scratch block; -1
   * while the store has none): the loader's own, compiled code never reads it.
   */
  static final long UPCALL_SLOT_OFFSET = ENTRY_SCRATCH_OFFSET + Executor.SCRATCH_BYTES;

  private final MemorySegment context;
  /** The slot word at {@link #UPCALL_SLOT_OFFSET}. */
  private final MemorySegment upcallSlot;
  private final MemorySegment directCallSlots;
  private final MemorySegment entryScratch;
  /** The store's entry in {@link UpcallRegistry}, made on first use; null until then. */
  private StoreUpcalls upcalls;

  /** Allocates the block; {@link #initialise} fills the context's fields. */
  StoreContext() {
    MemorySegment block = NativeHeap.allocate(UPCALL_SLOT_OFFSET + JAVA_INT.byteSize());
    this.upcallSlot = block.asSlice(UPCALL_SLOT_OFFSET, JAVA_INT.byteSize());
    upcallSlot.set(JAVA_INT, 0, -1);
    this.context = block.asSlice(0, LAYOUT.byteSize());
    this.directCallSlots = block.asSlice(DIRECT_CALL_SLOTS_OFFSET, (long) DirectEntry.MAX_SLOTS * ValRaw.SIZE);
    this.entryScratch = block.asSlice(ENTRY_SCRATCH_OFFSET, Executor.SCRATCH_BYTES);
  }

  private static VarHandle handle(String name) {
    return LAYOUT.varHandle(MemoryLayout.PathElement.groupElement(name));
  }

  /**
   * The fields a new store sets before any entry: its stack budget, no trap recorded, the epoch
   * counter its code reads, the runtime types' displays and no host-call exit frame.
   */
  void initialise(long maxWasmStack, Epoch epoch, RuntimeTypes types) {
    MAX_WASM_STACK.set(context, 0L, maxWasmStack);
    TRAP_CODE.set(context, 0L, NO_TRAP_RECORDED);
    EPOCH_PTR.set(context, 0L, epoch.address());
    TYPE_DISPLAYS.set(context, 0L, types.displaysAddress());
    context.set(JAVA_LONG, StoreLayout.EXIT_FP, 0L);
  }

  /** The store context itself. */
  MemorySegment segment() {
    return context;
  }

  /** {@link NativeStore#directCallSlots()}: in the context's block, after the context. */
  MemorySegment directCallSlots() {
    return directCallSlots;
  }

  /** {@link NativeStore#entryScratch()}: in the context's block, after the direct-call slots. */
  MemorySegment entryScratch() {
    return entryScratch;
  }

  /**
   * The store's entry in {@link UpcallRegistry}, registered on first use (the store's first host
   * function, exception-handling or GC code); under the store's lock.
   */
  StoreUpcalls upcalls() {
    if (upcalls == null) {
      upcalls = UpcallRegistry.register(context.address(), upcallSlot);
    }
    return upcalls;
  }

  long maxWasmStack() {
    return (long) MAX_WASM_STACK.get(context, 0L);
  }

  long stackLimit() {
    return (long) STACK_LIMIT.get(context, 0L);
  }

  long stackFloor() {
    return (long) STACK_FLOOR.get(context, 0L);
  }

  void stackFloor(long floor) {
    STACK_FLOOR.set(context, 0L, floor);
  }

  long entrySp() {
    return (long) ENTRY_SP.get(context, 0L);
  }

  long epochDeadline() {
    return (long) EPOCH_DEADLINE.get(context, 0L);
  }

  void epochDeadline(long deadline) {
    EPOCH_DEADLINE.set(context, 0L, deadline);
  }

  /** Fuel consumed, negative while fuel is left (code compiled with fuel metering counts up to 0). */
  long fuelConsumed() {
    return (long) FUEL_CONSUMED.get(context, 0L);
  }

  void fuelConsumed(long consumed) {
    FUEL_CONSUMED.set(context, 0L, consumed);
  }

  /** The pending exception's word (0: none), cleared. */
  long takePendingException() {
    long pending = (long) PENDING_EXCEPTION.get(context, 0L);
    PENDING_EXCEPTION.set(context, 0L, 0L);
    return pending;
  }

  /** Whether a trap stub has written the trap record since it was last taken. */
  boolean trapRecorded() {
    return (int) TRAP_CODE.get(context, 0L) != NO_TRAP_RECORDED;
  }

  /** The trap record (code, pc, backtrace) as written by the trap stub, cleared. */
  TrapException takeRawTrap() {
    int raw = (int) TRAP_CODE.get(context, 0L);
    TRAP_CODE.set(context, 0L, NO_TRAP_RECORDED);
    // No lambda: a direct call's trap comes here at whatever depth the embedder called from, where
    // a call site's first link could fail for good (issue 35)
    java.util.Optional<TrapCode> known = TrapCode.fromCode(raw);
    if (known.isEmpty()) {
      throw new IllegalStateException("compiled code reported unknown trap code " + raw);
    }
    TrapCode code = known.get();
    int count = Math.min((int) BACKTRACE_COUNT.get(context, 0L), StoreLayout.BACKTRACE_CAPACITY);
    long[] callers = new long[Math.max(0, count)];
    for (int i = 0; i < callers.length; i++) {
      callers[i] = context.get(JAVA_LONG, BACKTRACE_OFFSET + 8L * i);
    }
    return new TrapException(code, (long) TRAP_PC.get(context, 0L), callers);
  }

  /**
   * Frees the whole block; nothing may touch it afterwards. Once: a close that was interrupted after
   * it calls it again (issue 35).
   */
  void free() {
    if (!freed) {
      if (upcalls != null) {
        // First: no upcall finds the store once its context is gone, and nothing process-wide
        // keeps its objects (red team 24 F1).
        UpcallRegistry.unregister(upcalls);
      }
      NativeHeap.free(context);
      freed = true; // a field write once the block is gone: nothing between can throw
    }
  }
}
