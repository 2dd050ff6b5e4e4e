package dev.kiln.artifact.vm;

import java.util.List;

/**
 * The store context: one native block per store (one thread of execution at a time), reached from
 * every VMContext through its first field ({@link VmLayout#STORE_CONTEXT}). Compiled code, the
 * trampolines and the trap stub read and write it at these fixed offsets; the loader allocates it
 * and reads the trap state back (docs/ARCHITECTURE.md section 4, "Traps without signals" and "Stack
 * overflow").
 *
 * <pre>
 *   offset  field            size  written by                      read by
 *   0       stack_limit      8     array-to-wasm entry (and exit)  every wasm prologue: trap if SP &lt; limit
 *   8       trap_code        4     trap stub                       loader, after an entry returned false
 *   12      (reserved)       4
 *   16      trap_pc          8     trap stub: return address of    loader: backtrace start
 *                                  the call into the stub
 *   24      trap_fp          8     trap stub: rbp/x29 of the       loader: frame-pointer walk start
 *                                  trapping wasm frame
 *   32      entry_sp         8     array-to-wasm entry             trap stub: the SP to unwind to
 *   40      entry_fp         8     array-to-wasm entry             backtrace: where the wasm frames end
 *   48      stack_floor      8     loader, before each entry       array-to-wasm entry
 *   56      max_wasm_stack   8     loader, once                    array-to-wasm entry
 *   64      backtrace_count  4     trap stub                       loader
 *   68      (reserved)       4
 *   72      backtrace        8 x BACKTRACE_CAPACITY                loader: wasm backtrace
 *                                  trap stub: return address of
 *                                  each wasm caller, innermost first
 *   584     epoch_ptr        8     loader, once                    loop headers and entries of calling
 *                                  (the engine's epoch counter)    functions, with epoch interruption
 *   592     epoch_deadline   8     loader (Store#setEpochDeadline) the same: trap if epoch &gt;= deadline
 *   600     fuel_consumed    8     loader (Store#setFuel);         function entries and loop headers
 *                                  code compiled with fuel          with fuel metering: trap if &gt;= 0
 *                                  metering, at calls, returns
 *                                  and its out-of-fuel trap
 *   608     memory_bytes_used     8  loader (instantiation, host    compiled memory.grow: refuse a
 *                                  memories, frees); compiled      grow past the limit
 *                                  memory.grow
 *   616     memory_bytes_limit    8  loader, once (StoreLimits)    the same
 *   624     table_elements_used   8  loader                        loader
 *   632     table_elements_limit  8  loader, once (StoreLimits)    loader
 *   640     type_displays    8     loader, once                    call_indirect, casts
 *   648     gc_heap_base     8     loader (first GC module)        casts: is a word a heap object
 *   656     gc_heap_top      8     loader; compiled allocation     allocation, casts
 *   664     gc_heap_end      8     loader; compiled allocation     allocation (accounted end)
 *   672     gc_heap_limit    8     loader (first GC module)        allocation (reservation end)
 *   680     exception_throw  8     loader, once                    the throw stub
 *   688     resume_pc/sp/fp  24    the unwinder                    the throw stub: where to resume
 *   712     caught_exception 8     the unwinder                    the landing pad
 *   720     pending_exception 8    the runtime (a host's throw)    the wasm-to-array trampoline
 *   728     gc_allocate      8     loader, once                    the GC slow path's trampoline
 *                                  (struct.new, array.new, throw)
 *   736     exit_fp          8     wasm-to-array trampoline: its   the host-call dispatch: where the
 *                                  frame pointer, before the host  suspended activation's wasm frames
 *                                  call                            begin (read and cleared)
 *   744     (size)
 * </pre>
 *
 * <p>The last three fields serve {@link ExecutionLimits} and come after the backtrace so that the
 * offsets of every older field, and the code of every artifact compiled before they existed, stay
 * as they were; compiled code reaches them through one base register with a 32-bit displacement
 * either way. {@code epoch_ptr} points at a u64 that the engine increments from any thread
 * (compiled code only loads it, a naturally aligned 64-bit load, atomic on both targets); {@code
 * fuel_consumed} is signed, minus the fuel left (Wasmtime's {@code VMStoreContext::fuel_consumed}).
 *
 * <p>The store's resource accounts (what its live memories and tables hold, against its limits)
 * live here too, so that memory.grow runs without the runtime: the compiled builtin reads both
 * memory fields and writes {@code memory_bytes_used}. Every writer holds the store's claim (one
 * thread at a time), so plain loads and stores suffice. The table fields sit beside them for the
 * same reason, though only the loader uses them today.
 *
 * <p>The trap stub walks the frame-pointer chain itself, before it unwinds: once the entry has
 * returned false, the JVM reuses the stack the wasm frames occupied, so {@code trap_fp} no longer
 * points at anything the loader could walk. It records at most {@link #BACKTRACE_CAPACITY} callers
 * (a count equal to the capacity means the chain may be longer); together with {@code trap_pc} they
 * are the wasm backtrace, mapped to functions by the loader's pc lookup.
 *
 * <p>An entry computes {@code stack_limit = max(stack_floor, entry SP - max_wasm_stack, previous
 * stack_limit)} (unsigned), so a nested entry (wasm -> host -> wasm) never extends the budget the
 * outer one set; the loader supplies {@code stack_floor} (thread stack low end plus headroom) because
 * only it knows the thread, and the entry supplies the SP because only native code knows it. Each
 * entry saves the previous {@code stack_limit}, {@code entry_sp} and {@code entry_fp} in its own frame
 * and restores them on both the normal and the trap path, so nested entries unwind correctly.
 *
 * <p>All fields are little-endian and naturally aligned (the backtrace array to its 8-byte elements); the block is 16-aligned when allocated.
 */
public final class StoreLayout {
  private StoreLayout() {}

  /** The lowest SP compiled code may use (u64). Must stay at offset 0: prologues load it with no displacement. */
  public static final int STACK_LIMIT = 0;
  /** {@code artifact.tables.TrapCode#code()} of the last trap (u32). */
  public static final int TRAP_CODE = 8;
  /** Return address pushed by the call into the trap stub (u64): just after the trapping site. */
  public static final int TRAP_PC = 16;
  /** Frame pointer of the wasm frame that trapped (u64). */
  public static final int TRAP_FP = 24;
  /** SP of the innermost array-to-wasm entry, pointing at its saved state (u64); 0 outside wasm. */
  public static final int ENTRY_SP = 32;
  /** Frame pointer of the innermost array-to-wasm entry (u64); 0 outside wasm. */
  public static final int ENTRY_FP = 40;
  /**
   * Bytes a function may use below {@code stack_limit} without checking: a leaf (it calls nothing)
   * whose whole frame fits here (its frame record, saved registers, spill slots, and the return
   * address a trap site's call pushes) skips the prologue's check, as Cranelift skips it for leaf
   * functions without a stack frame; its caller's check covered everything above. The loader sets
   * {@code stack_floor} this many bytes above the headroom it promises to keep free, so those bytes
   * never reach it.
   */
  public static final int UNCHECKED_LEAF_FRAME = 512;
  /** Lowest value the stack limit may take on the current thread (u64). */
  public static final int STACK_FLOOR = 48;
  /** Bytes of native stack one outermost entry grants to wasm (u64). */
  public static final int MAX_WASM_STACK = 56;

  /** How many wasm caller return addresses the trap stub recorded (u32). */
  public static final int BACKTRACE_COUNT = 64;
  /** The recorded return addresses (u64 each), innermost caller first. */
  public static final int BACKTRACE = 72;
  /** Capacity of {@link #BACKTRACE} in entries. */
  public static final int BACKTRACE_CAPACITY = 64;

  /** Address of the engine's epoch counter, a u64 (ExecutionLimits: epoch interruption). */
  public static final int EPOCH_PTR = BACKTRACE + 8 * BACKTRACE_CAPACITY;
  /** The epoch at which this store's code traps with {@code INTERRUPT} (u64, compared unsigned). */
  public static final int EPOCH_DEADLINE = EPOCH_PTR + 8;
  /** Fuel consumed, minus the fuel left (i64): code compiled with fuel metering traps once it is {@code >= 0}. */
  public static final int FUEL_CONSUMED = EPOCH_DEADLINE + 8;
  /** Committed bytes of the store's live memories and tables (u64; tables' pages count too, StoreLimits). */
  public static final int MEMORY_BYTES_USED = FUEL_CONSUMED + 8;
  /** The most {@link #MEMORY_BYTES_USED} may reach (u64, StoreLimits#maxMemoryBytes). */
  public static final int MEMORY_BYTES_LIMIT = MEMORY_BYTES_USED + 8;
  /** Elements of the store's live tables (u64). */
  public static final int TABLE_ELEMENTS_USED = MEMORY_BYTES_LIMIT + 8;
  /** The most {@link #TABLE_ELEMENTS_USED} may reach (u64, StoreLimits#maxTableElements). */
  public static final int TABLE_ELEMENTS_LIMIT = TABLE_ELEMENTS_USED + 8;

  /**
   * Address of the engine's type displays (u64): a directory of chunk pointers, each chunk a run of
   * display pointers indexed by runtime type id, each display {@code {u32 depth, u32 ids[depth +
   * 1]}} (the ids of the type's supertype chain from its root to itself). {@code call_indirect} of a
   * non-final type reads it when the callee's id is not the expected one (loader
   * {@code runtime.RuntimeTypes}).
   */
  public static final int TYPE_DISPLAYS = TABLE_ELEMENTS_LIMIT + 8;
  /** A chunk of the type displays' directory holds {@code 1 << TYPE_DISPLAY_CHUNK_BITS} display pointers. */
  public static final int TYPE_DISPLAY_CHUNK_BITS = 10;

  /**
   * The store's GC heap ({@code artifact.gc.ObjectLayout}): the first byte of its reservation
   * (u64), 0 while the store has none. Objects live in {@code [gc_heap_base, gc_heap_top)}.
   */
  public static final int GC_HEAP_BASE = TYPE_DISPLAYS + 8;
  /** Where the next object goes (u64): compiled allocation bumps it. */
  public static final int GC_HEAP_TOP = GC_HEAP_BASE + 8;
  /**
   * The end of the heap's accounted part (u64): bytes below it count in {@link
   * #MEMORY_BYTES_USED}; an allocation past it first accounts more, whole chunks at a time.
   */
  public static final int GC_HEAP_END = GC_HEAP_TOP + 8;
  /** The end of the heap's reservation (u64): no allocation goes past it. */
  public static final int GC_HEAP_LIMIT = GC_HEAP_END + 8;

  /**
   * The runtime's unwinder (u64 function pointer, C ABI {@code int f(vmctx, exception)}), which the
   * throw stub calls ({@link Builtin#THROW}): it walks the frame-pointer chain from {@link #TRAP_PC}
   * and {@link #TRAP_FP}, and returns 1 with the landing pad in the {@code resume_*}
   * fields and the exception in {@link #CAUGHT_EXCEPTION}, or 0 when no wasm frame up to the
   * innermost entry catches.
   */
  public static final int EXCEPTION_THROW = GC_HEAP_LIMIT + 8;
  /** The landing pad the throw stub jumps to (u64; the unwinder). */
  public static final int RESUME_PC = EXCEPTION_THROW + 8;
  /**
   * The stack pointer of the frame that catches (u64; the unwinder): its frame pointer minus its
   * frame's size below it ({@code .kiln.handlers}), where the body keeps it (callee-pops), whatever
   * the frames above it left on the stack.
   */
  public static final int RESUME_SP = RESUME_PC + 8;
  /** The frame pointer of the frame that catches (u64; the unwinder). */
  public static final int RESUME_FP = RESUME_SP + 8;
  /** The exception a landing pad handles (u64 exnref; the unwinder, read first thing by the pad). */
  public static final int CAUGHT_EXCEPTION = RESUME_FP + 8;
  /**
   * The exception a host function threw into its wasm caller (u64 exnref, 0 for none): set by the
   * runtime just before the host function's upcall returns false, read and cleared by the
   * WASM_TO_ARRAY trampoline's failure path, which then throws it from its own frame through the
   * throw stub ({@code codegen.abi.HostCallFailure}).
   */
  public static final int PENDING_EXCEPTION = CAUGHT_EXCEPTION + 8;

  /**
   * The runtime's GC heap slow path (u64 function pointer, {@link Builtin#GC_ALLOCATE}): set by the
   * loader once per store whose code allocates objects, called by that builtin's trampoline.
   */
  public static final int GC_ALLOCATE = PENDING_EXCEPTION + 8;

  /**
   * The frame pointer of the innermost wasm-to-array trampoline (u64; 0 once read): each such
   * trampoline stores its frame pointer here just before it calls the host function, and the
   * runtime's host-call dispatch reads and clears it first thing. Its frame record links to the wasm
   * caller's, so while the host function runs (and perhaps enters wasm of the store again), the
   * suspended activation's wasm frames are the frame-pointer chain from here up to the {@link
   * #ENTRY_FP} of that moment: what the GC heap's collector walks for their references (Wasmtime
   * records the same, {@code last_wasm_exit_fp}). Code compiled before this field existed never
   * writes it: the dispatch then reads 0 and treats that activation as one it cannot walk.
   */
  public static final int EXIT_FP = GC_ALLOCATE + 8;

  /** Size of the block in bytes. */
  public static final int SIZE = (EXIT_FP + 8 + 15) & -16;
  /** Alignment the block is allocated with. */
  public static final int ALIGNMENT = 16;

  private static final List<VmField> FIELDS = List.of(
      new VmField("stack_limit", STACK_LIMIT, 8),
      new VmField("trap_code", TRAP_CODE, 4),
      new VmField("trap_pc", TRAP_PC, 8),
      new VmField("trap_fp", TRAP_FP, 8),
      new VmField("entry_sp", ENTRY_SP, 8),
      new VmField("entry_fp", ENTRY_FP, 8),
      new VmField("stack_floor", STACK_FLOOR, 8),
      new VmField("max_wasm_stack", MAX_WASM_STACK, 8),
      new VmField("backtrace_count", BACKTRACE_COUNT, 4),
      new VmField("backtrace", BACKTRACE, 8 * BACKTRACE_CAPACITY),
      new VmField("epoch_ptr", EPOCH_PTR, 8),
      new VmField("epoch_deadline", EPOCH_DEADLINE, 8),
      new VmField("fuel_consumed", FUEL_CONSUMED, 8),
      new VmField("memory_bytes_used", MEMORY_BYTES_USED, 8),
      new VmField("memory_bytes_limit", MEMORY_BYTES_LIMIT, 8),
      new VmField("table_elements_used", TABLE_ELEMENTS_USED, 8),
      new VmField("table_elements_limit", TABLE_ELEMENTS_LIMIT, 8),
      new VmField("type_displays", TYPE_DISPLAYS, 8),
      new VmField("gc_heap_base", GC_HEAP_BASE, 8),
      new VmField("gc_heap_top", GC_HEAP_TOP, 8),
      new VmField("gc_heap_end", GC_HEAP_END, 8),
      new VmField("gc_heap_limit", GC_HEAP_LIMIT, 8),

      new VmField("exception_throw", EXCEPTION_THROW, 8),
      new VmField("resume_pc", RESUME_PC, 8),
      new VmField("resume_sp", RESUME_SP, 8),
      new VmField("resume_fp", RESUME_FP, 8),
      new VmField("caught_exception", CAUGHT_EXCEPTION, 8),
      new VmField("pending_exception", PENDING_EXCEPTION, 8),
      new VmField("gc_allocate", GC_ALLOCATE, 8),
      new VmField("exit_fp", EXIT_FP, 8));

  /** Every field in offset order, for checking the loader's struct layout field by field. */
  public static List<VmField> fields() {
    return FIELDS;
  }
}
