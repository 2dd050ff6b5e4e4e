package dev.kiln.artifact.vm;

import java.util.List;

/**
 * Runtime functions compiled code calls through the VMContext. The ordinal is the builtin's index:
 * the index of its {@code builtin(i)} pointer slot in the VMContext and of its {@link
 * dev.kiln.artifact.FuncKey#wasmToBuiltinTrampoline} and {@link dev.kiln.artifact.FuncKey#builtin}
 * keys. The numbering is part of the artifact format: never renumber, only add at the end.
 *
 * <p>A builtin has one of two call shapes ({@link CallShape}):
 *
 * <ul>
 *   <li>{@link CallShape#VIA_TRAMPOLINE}: compiled code calls the builtin's WASM_TO_BUILTIN
 *       trampoline (a PC-relative call inside {@code .text}) with the wasm calling convention
 *       {@code (callee vmctx, caller vmctx, params...)}; the trampoline loads the pointer from
 *       {@link VmLayout#builtin(Builtin)} and calls it with the platform C ABI as {@code results
 *       f(vmctx, params...)}. For runtime functions that need the instance (the table builtins).
 *   <li>{@link CallShape#C_DIRECT}: no trampoline and no vmctx. Compiled code loads the pointer
 *       from the builtin's slot and calls it indirectly with the wasm calling convention, passing
 *       the C function's first parameter as the callee vmctx and its second as the caller vmctx,
 *       the rest as ordinary parameters. Each ISA's wasm convention puts those in the C ABI's first
 *       integer argument registers (System V AMD64 rdi, rsi, rdx, rcx; AAPCS64 x0-x3), its first
 *       integer result in the C ABI's result register (rax; x0) and has the C ABI's callee-saved
 *       set, so that call is a C call {@code f(params...)}: the loader can store a C library
 *       function itself (memmove, memset, mprotect) in the slot. Such a builtin has at least two
 *       parameters, all I64, and at most one result, an I32 (a C {@code int}: only its low 32
 *       bits are defined).
 *   <li>{@link CallShape#COMPILED}: code in {@code .text} compiled from IR (see the constant).
 * </ul>
 *
 * <p>Wasm instructions cheap enough to inline (memory.size is a load and a shift) have no builtin.
 */
public enum Builtin {
  /**
   * {@code memory.grow} (spec 4.4.7), COMPILED: {@code (definition: i64, delta pages: i64) -> i64}
   * after the vmctx pair, where {@code definition} is the address of the memory's {@code {base,
   * length, max_length}} record ({@link VmLayout#MEMORY_BASE}); the old size in pages, or -1 when
   * the memory cannot grow by {@code delta} (the memory keeps its size). The whole grow is machine
   * code: the record's maximum, the store's memory account ({@link StoreLayout#MEMORY_BYTES_USED}),
   * {@link #MEMORY_PROTECT} on the new pages, then the account and the record's length. The base
   * never moves (docs/ARCHITECTURE.md section 4: memories are reservations committed on grow).
   */
  MEMORY_GROW("memory_grow", CallShape.COMPILED, List.of(ValueKind.I64, ValueKind.I64),
      List.of(ValueKind.I64)),
  /**
   * Raises a trap from compiled code that has no inline trap stub:
   * {@code (vmctx, trap code: i32) -> ()}, never returns; records the code (an {@code
   * artifact.tables.TrapCode} byte) in the store context and unwinds to the innermost entry.
   */
  TRAP("trap", CallShape.VIA_TRAMPOLINE, List.of(ValueKind.I32), List.of()),
  /**
   * The byte move behind {@code memory.copy} and {@code memory.init} (spec 4.4.7.11-12), C_DIRECT
   * with C's {@code memmove} shape: {@code (destination address, source address, length)}, copying
   * {@code length} bytes as if through a temporary buffer (overlap in either direction allowed).
   * The addresses are absolute (a memory's base plus the wasm address, or a data segment record's
   * base plus the offset) and compiled code has checked both ranges first (trapping before any
   * byte is written), so the move never fails, and one builtin serves copies between any two
   * memories and from any segment. The loader stores libc's {@code memmove} (or the executor's
   * equivalent) in the slot.
   */
  MEMORY_COPY("memory_copy", CallShape.C_DIRECT,
      List.of(ValueKind.I64, ValueKind.I64, ValueKind.I64), List.of()),
  /**
   * The byte store behind {@code memory.fill} (spec 4.4.7.10), C_DIRECT with C's {@code memset}
   * shape: {@code (destination address, byte, length)}; the byte is the wasm i32 zero-extended
   * (memset reads an int and stores its low 8 bits). Range checked by compiled code first, as for
   * {@link #MEMORY_COPY}; the loader stores libc's {@code memset} (or the executor's equivalent).
   */
  MEMORY_FILL("memory_fill", CallShape.C_DIRECT,
      List.of(ValueKind.I64, ValueKind.I64, ValueKind.I64), List.of()),
  /**
   * {@code table.grow} (spec 4.4.6.6): {@code (vmctx, table: i32, delta: i64, init: i64) -> i64},
   * the old length, or -1 when the table cannot grow by {@code delta} (unchanged then). Updates the
   * table's {@code length}; its base never moves.
   */
  TABLE_GROW("table_grow", CallShape.VIA_TRAMPOLINE,
      List.of(ValueKind.I32, ValueKind.I64, ValueKind.I64), List.of(ValueKind.I64)),
  /**
   * {@code table.fill} (spec 4.4.6.7): {@code (vmctx, table: i32, index: i64, value: i64, count:
   * i64) -> i32}, 0 when done, 1 when the range leaves the table (nothing written; compiled code
   * traps {@code table_oob}).
   */
  TABLE_FILL("table_fill", CallShape.VIA_TRAMPOLINE,
      List.of(ValueKind.I32, ValueKind.I64, ValueKind.I64, ValueKind.I64), List.of(ValueKind.I32)),
  /**
   * {@code table.copy} (spec 4.4.6.8): {@code (vmctx, dst table << 32 | src table: i64, dst: i64,
   * src: i64, count: i64) -> i32} status as {@link #TABLE_FILL} (two indices share one argument so
   * the call fits the four register parameters every trampoline passes).
   */
  TABLE_COPY("table_copy", CallShape.VIA_TRAMPOLINE,
      List.of(ValueKind.I64, ValueKind.I64, ValueKind.I64, ValueKind.I64), List.of(ValueKind.I32)),
  /**
   * {@code table.init} (spec 4.4.6.9): {@code (vmctx, table << 32 | element segment: i64, dst: i64,
   * src: i64, count: i64) -> i32} status as {@link #TABLE_FILL}; copies from the segment's record
   * {@link VmLayout#elementSegment} (length 0 once dropped).
   */
  TABLE_INIT("table_init", CallShape.VIA_TRAMPOLINE,
      List.of(ValueKind.I64, ValueKind.I64, ValueKind.I64, ValueKind.I64), List.of(ValueKind.I32)),
  /**
   * The slow path of reading a lazily initialised funcref table slot, COMPILED: {@code (base: i64,
   * index: i64) -> i64} after the vmctx pair, the slot's tagged value, computed from the table's
   * image in O(1) and stored ({@link TableStorage}). No runtime call, no search.
   */
  TABLE_LAZY_INIT("table_lazy_init", CallShape.COMPILED,
      List.of(ValueKind.I64, ValueKind.I64), List.of(ValueKind.I64)),
  /**
   * Makes committed the pages {@link #MEMORY_GROW} adds, C_DIRECT with POSIX {@code mprotect}'s
   * shape: {@code (page-aligned address, length, protection bits) -> 0, or -1 on failure}. The
   * loader stores libc's {@code mprotect} (or the executor's equivalent) in the slot; only the
   * compiled memory.grow calls it, always with {@code PROT_READ | PROT_WRITE}.
   */
  MEMORY_PROTECT("memory_protect", CallShape.C_DIRECT,
      List.of(ValueKind.I64, ValueKind.I64, ValueKind.I64), List.of(ValueKind.I32)),
  /**
   * Throws an exception object ({@code throw}, {@code throw_ref}; spec 4.4.8.3-4): {@code (vmctx,
   * exception: i64) -> ()}, never returns. Its WASM_TO_BUILTIN entry is the throw stub (like {@link
   * #TRAP}'s): it records the throwing frame, asks the runtime ({@link StoreLayout#EXCEPTION_THROW})
   * which frame catches, and resumes that frame's landing pad, or raises the {@code
   * uncaught_exception} trap when no wasm frame up to the entry catches.
   */
  THROW("throw", CallShape.VIA_TRAMPOLINE, List.of(ValueKind.I64), List.of()),
  /**
   * The GC heap's slow path ({@code struct.new}, {@code array.new}, {@code throw}'s exception object
   * and the rest when the bump would
   * pass {@link StoreLayout#GC_HEAP_END}): {@code (vmctx, bytes: i64) -> i64}, the address of
   * {@code bytes} zeroed bytes for a new object, or 0 when the heap has no room for them within the
   * store's memory limit even after a collection (compiled code then traps {@code
   * gc_heap_exhausted}). It may collect: the call is a safepoint whose stack map names the caller's
   * spilled references, and its trampoline records its own frame pointer in {@link
   * StoreLayout#TRAP_FP} ({@link #recordsFrame()}) so the runtime can walk the wasm frames above it.
   */
  GC_ALLOCATE("gc_allocate", CallShape.VIA_TRAMPOLINE, List.of(ValueKind.I64), List.of(ValueKind.I64));

  /** {@code PROT_READ | PROT_WRITE} (POSIX sys/mman.h; 1 | 2 on Linux): what a grow commits with. */
  public static final int PROTECT_READ_WRITE = 3;

  /** How many builtins exist. */
  public static final int COUNT = values().length;

  /**
   * How many builtins have a pointer slot in the VMContext: those before {@link #THROW}, the
   * size of the VMContext's builtin array. The later ones read their pointer from the store context
   * (one per store, not per instance), so adding them moved no VMContext offset and left the code
   * of every module that does not use them as it was.
   */
  public static final int SLOTTED = 10;

  private static final Builtin[] VALUES = values();

  /** How compiled code reaches a builtin; see the class documentation. */
  public enum CallShape {
    /** Through its WASM_TO_BUILTIN trampoline, as {@code f(vmctx, params...)}. */
    VIA_TRAMPOLINE,
    /** By an indirect call of the slot's pointer, as {@code f(params...)}, no vmctx. */
    C_DIRECT,
    /**
     * Code in {@code .text} under {@code FuncKey.builtin}, compiled from IR by the ISA's backend and
     * called directly (PC-relative) with the wasm calling convention {@code (vmctx, caller vmctx,
     * params...)}; no trampoline, and its VMContext slot is not used.
     */
    COMPILED
  }

  /** The machine-level type of a builtin parameter or result. */
  public enum ValueKind {
    I32,
    I64
  }

  private final String text;
  private final CallShape shape;
  private final List<ValueKind> params;
  private final List<ValueKind> results;

  Builtin(String text, CallShape shape, List<ValueKind> params, List<ValueKind> results) {
    if (shape == CallShape.C_DIRECT && (params.size() < 2 || params.contains(ValueKind.I32)
        || results.size() > 1 || results.contains(ValueKind.I64))) {
      throw new IllegalArgumentException(text + ": a C_DIRECT builtin takes at least two I64s and returns at most an I32");
    }
    this.text = text;
    this.shape = shape;
    this.params = params;
    this.results = results;
  }

  /** The name used in symbols and diagnostics ({@code memory_grow}). */
  public String text() {
    return text;
  }

  /** The builtin index: VMContext slot and FuncKey index. */
  public int index() {
    return ordinal();
  }

  /** How compiled code calls this builtin. */
  public CallShape shape() {
    return shape;
  }

  /**
   * Whether this builtin has a WASM_TO_BUILTIN trampoline of its own: every {@link
   * CallShape#VIA_TRAMPOLINE} builtin but {@link #TRAP} and {@link #THROW}, whose entries under that
   * key are the trap and throw stubs.
   */
  public boolean hasTrampoline() {
    return shape == CallShape.VIA_TRAMPOLINE && this != TRAP && this != THROW;
  }

  /**
   * Whether this builtin's trampoline stores its own frame pointer in the store context's {@link
   * StoreLayout#TRAP_FP} before the call: the runtime function then finds the wasm frames above it
   * (the frame record's caller link and return address), which a collection needs for their stack
   * maps. Only {@link #GC_ALLOCATE}: every other trampoline stays as it was.
   */
  public boolean recordsFrame() {
    return this == GC_ALLOCATE;
  }

  /** Whether this builtin's pointer is in the VMContext ({@link #SLOTTED}) rather than the store context. */
  public boolean slotted() {
    return ordinal() < SLOTTED;
  }

  /** The store context offset of an unslotted builtin's pointer ({@link #slotted()} false). */
  public int storeSlot() {
    return switch (this) {
      case THROW -> StoreLayout.EXCEPTION_THROW;
      case GC_ALLOCATE -> StoreLayout.GC_ALLOCATE;
      default -> throw new IllegalStateException(text + " has a VMContext slot");
    };
  }

  /**
   * The parameters: after the leading vmctx pointer for {@link CallShape#VIA_TRAMPOLINE}, all of
   * them for {@link CallShape#C_DIRECT}.
   */
  public List<ValueKind> params() {
    return params;
  }

  public List<ValueKind> results() {
    return results;
  }

  static {
    for (Builtin b : VALUES) {
      if ((b.ordinal() < SLOTTED) != (b.ordinal() < THROW.ordinal())) {
        throw new ExceptionInInitializerError("SLOTTED must count the builtins before throw");
      }
    }
  }

  /** The builtin of {@code index}, or throws for an index no builtin has. */
  public static Builtin ofIndex(int index) {
    if (index < 0 || index >= VALUES.length) {
      throw new IllegalArgumentException("no builtin has index " + index);
    }
    return VALUES[index];
  }
}
