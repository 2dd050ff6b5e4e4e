package dev.kiln.loader.table;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.info.TableType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.tables.TrapCode;
import dev.kiln.artifact.vm.TableStorage;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.pool.TableSlot;
import dev.kiln.loader.runtime.Described;
import dev.kiln.loader.runtime.HostObjects;
import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.ModuleInstantiationException;
import dev.kiln.loader.runtime.ResourceLimitException;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.StoreResources;
import dev.kiln.loader.sys.Protection;
import dev.kiln.loader.sys.VirtualMemory;
import dev.kiln.wasm.types.RefType;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * One table (WebAssembly 2.0 section 4.2.7): its slots and the {@code {base, length}} definition
 * record compiled code reads ({@link VmLayout#TABLE_BASE}). The definition lives where its owner
 * put it: inline in the defining instance's VMContext, or in memory of its own for a table the
 * host creates; an importing VMContext's {@code table[i].import} points at {@link
 * #definitionAddress()}.
 *
 * <p>The slots live in an address-space reservation ({@link VirtualMemory}) sized for the table's
 * maximum (capped), committed as the table grows, so {@code base} never moves; below slot 0 sits the
 * header described in {@link TableStorage}. In a lazily initialised funcref table a slot holds 0
 * until first read, then the tagged value ({@code ref | INIT_BIT}); {@link #get} resolves such a
 * slot from the image exactly as the compiled lazy-init builtin does. Every write here leaves the
 * slot initialised, so {@code set/fill/copy/init/grow} never expose a stale image entry.
 *
 * <p>Raw values are what wasm code sees: a VMFuncRef address or 0 for a funcref, the host's 64-bit
 * handle or 0 for an externref. A funcref that Java writes ({@link #set}, {@link #grow}, {@link
 * #fill}, {@link #createHost}) must be one of the store's ({@link NativeStore#checkFunctionReference}):
 * compiled code calls through it unchecked. Compiled code's own writes come through the table
 * builtins ({@code ...FromWasm}, {@link #copy}, {@link #init}), whose values are already the store's.
 * An externref is opaque (compiled code never dereferences it), so any value is accepted.
 *
 * <p><b>What a table costs its store.</b> A guest makes the host allocate a table's slots: at
 * instantiation (its minimum), by {@code table.grow}, and through the embedder's {@link #createHost}
 * and {@link #grow}. Each table takes from two of its store's budgets ({@code StoreLimits}): its
 * elements from the table-element limit, and the bytes it has committed (header and slots, whole
 * pages, as the kernel backs them) from the same byte limit as linear memories. One byte limit for
 * both is what makes {@code kiln run --max-memory} a bound on what a guest can make the host
 * allocate: with the element limit alone, a guest under a 1 MiB memory limit could still commit
 * 8 bytes per element in every table it has (20 tables of 2^24 funcrefs: 2.5 GiB), and a limit
 * counted in elements says nothing to an embedder who thinks in bytes. The whole pages are counted,
 * not {@code 8 * size}, so that a store's many small or empty tables (each has a header page) are
 * paid for too. A {@code table.grow} whose elements or bytes do not fit returns -1 (the spec lets
 * it fail for any reason, WebAssembly 2.0 section 4.4.6.6); a minimum that does not fit fails the
 * instantiation with a {@link ResourceLimitException}. The lazy-init image ({@link LazyImage}) is
 * the module's, shared by all its instances and bounded by the module's own element segments
 * ({@code module.TableInitPlan}), so no store pays for it.
 *
 * <p><b>Lifetime.</b> The slots and the definition record live in the owner's arena: a defined table
 * lives as long as its instance, a host table ({@link #createHost}) has a {@link Lifetime} of its own
 * in its store. A pooled table ({@link #createPooled}) has its slots in a pool slot's region instead,
 * which the pool empties for the slot's next instance once the owner is freed. Java access after the
 * owner is freed throws {@link IllegalStateException}.
 */
public final class TableInstance implements AutoCloseable {
  /** Slots a table may reserve without a declared maximum (the reservation caps growth). */
  static final long DEFAULT_RESERVED_SLOTS = 1L << 24;
  /** The largest table Kiln creates (a minimum beyond it is a resource limit, not a trap). */
  static final long MAX_SLOTS = 1L << 28;

  /**
   * A funcref table's lazy-initialisation image (see {@link TableStorage}).
   *
   * @param image u32 per initial slot, escape index + 1 or 0 for null (must outlive the table)
   * @param funcRefs address of the owning instance's VMFuncRef 0
   */
  public record LazyImage(MemorySegment image, long funcRefs) {
    public LazyImage {
      Objects.requireNonNull(image, "image");
      if (image.byteSize() % TableStorage.IMAGE_ENTRY_SIZE != 0) {
        throw new IllegalArgumentException("image of " + image.byteSize() + " bytes is not whole u32 entries");
      }
    }

    long length() {
      return image.byteSize() / TableStorage.IMAGE_ENTRY_SIZE;
    }
  }

  private final TableType type;
  /** The precise element type in closed form (spec 3.0 4.5.2: what import matching compares). */
  private final RefType referenceType;
  private final MemorySegment definition;
  private final Lifetime owner;
  /** Whether the table is the host's own ({@link #createHost}), closed by {@link #close()}. */
  private final boolean hostTable;
  private final StoreResources resources;
  private final VirtualMemory reservation;
  private final MemorySegment slots;
  private final long maxSlots;
  private final boolean lazy;
  /** The pool slot the slots are in, or null for a reservation of the table's own. */
  private final TableSlot pooled;
  /** For a pooled table: the owner's arena raw views are scoped to (made on first use); else null. */
  private final Supplier<Arena> viewArena;
  private long committedBytes;
  private long size;

  /**
   * A table whose slots are in a reservation of its own in {@code arena} ({@code pooled} null), or
   * in a pool's {@code pooled} slot of {@code poolElements} elements, whose region outlives the
   * table: then what the table takes from its store is given back by {@link #releasePooled}, and
   * the raw slots an embedder sees are scoped to {@code viewArena}, the owner's.
   */
  private TableInstance(TableType type, RefType referenceType, MemorySegment definition, LazyImage image, Arena arena,
      TableSlot pooled, long poolElements, Supplier<Arena> viewArena, Lifetime owner, boolean hostTable) {
    this.type = type;
    this.referenceType = Objects.requireNonNull(referenceType, "referenceType");
    this.definition = definition;
    this.owner = Objects.requireNonNull(owner, "owner");
    this.hostTable = hostTable;
    this.lazy = image != null && type.elementType() == ValType.FUNCREF;
    this.pooled = pooled;
    this.viewArena = viewArena;
    long min = type.limits().min();
    // Limits are u64 (a 64-bit table's reach 2^64-1): a maximum of 2^63 or more bounds nothing Kiln
    // can create, so it counts as none.
    long declaredMax = type.limits().max().orElse(Long.MAX_VALUE);
    if (declaredMax < 0) {
      declaredMax = Long.MAX_VALUE;
    }
    if (Long.compareUnsigned(min, MAX_SLOTS) > 0) {
      throw new ModuleInstantiationException("table of " + Long.toUnsignedString(min)
          + " elements exceeds Kiln's limit of " + MAX_SLOTS);
    }
    this.resources = owner.store().resources();
    // Made into a string only if something refuses the table (Described)
    Described what = new Described("table", min, "elements");
    if (pooled != null) {
      // A pool is a promise about sizes: a table larger than its slots is refused, not given
      // memory from elsewhere; growth stops at the slot's size (-1, spec 4.4.6.6).
      if (min > poolElements) {
        throw new ModuleInstantiationException("table of " + min + " elements exceeds the instance pool's "
            + poolElements + "-element limit per table");
      }
      this.maxSlots = Math.min(declaredMax, poolElements);
      this.reservation = pooled.region();
      this.slots = reservation.segment().asSlice(TableStorage.HEADER_SIZE);
      resources.add(StoreResources.Kind.TABLE, what);
      try {
        resources.takeAddressSpaceShare(reservation.size(), what);
      } catch (RuntimeException | Error e) {
        resources.remove(StoreResources.Kind.TABLE);
        throw e;
      }
      try {
        resources.tableElements().take(min, what);
        this.size = min;
        commitOrRefuse(min, what);
      } catch (RuntimeException | Error e) {
        releasePooled();
        throw e;
      }
    } else {
      long reserved = Math.max(min, Math.min(declaredMax, DEFAULT_RESERVED_SLOTS));
      this.maxSlots = Math.min(reserved, declaredMax);
      resources.add(StoreResources.Kind.TABLE, what, arena);
      long reservationBytes = TableStorage.HEADER_SIZE + reserved * TableStorage.SLOT_SIZE + VirtualMemory.pageSize();
      resources.reserveAddressSpace(reservationBytes, what, arena);
      this.reservation = VirtualMemory.reserve(reservationBytes, arena);
      // Whatever the table has grown to and committed is given back when its owner's arena closes.
      StoreResources.whenClosed(arena, () -> {
        resources.tableElements().release(size);
        resources.memoryBytes().release(committedBytes);
      });
      this.slots = reservation.segment().asSlice(TableStorage.HEADER_SIZE);
      // The minimum's elements and pages (header included), before anything is written: a table
      // that does not fit is one line naming the limit it passes.
      resources.tableElements().take(min, what);
      this.size = min; // held from here on; what the close gives back
      commitOrRefuse(min, what);
    }
    MemorySegment header = reservation.segment();
    int h = TableStorage.HEADER_SIZE;
    if (lazy) {
      // An empty image (a host table) has address 0 and length 0: every slot past it is null.
      header.set(JAVA_LONG, h + TableStorage.IMAGE, image.image().address());
      header.set(JAVA_LONG, h + TableStorage.IMAGE_LENGTH, image.length());
      header.set(JAVA_LONG, h + TableStorage.FUNC_REFS, image.funcRefs());
      header.set(JAVA_LONG, h + TableStorage.FLAGS, TableStorage.FLAG_LAZY);
    }
    definition.set(JAVA_LONG, VmLayout.TABLE_BASE, slots.address());
    definition.set(JAVA_LONG, VmLayout.TABLE_LENGTH, 0);
  }

  /**
   * A defined table of instance {@code owner} in a pool's {@code slot} (no mapping made), of at most
   * {@code poolElements} elements, counted against the store as {@link #create} counts (one table,
   * its slot's address space against the store's share, its elements and committed pages) until
   * {@link #releasePooled}; otherwise as {@link #create}. The slot's pages read as zero (the pool
   * emptied them when their last table was freed). Raw views of its slots ({@link #storedSlots})
   * are scoped to {@code viewArena}, an arena of the owner made on first use and closed when it is
   * freed, so a view kept past the instance fails instead of reading the slot's next table.
   *
   * @throws ModuleInstantiationException if the minimum is larger than the pool's tables may be
   * @throws ResourceLimitException if the store may not have one more table, its address space,
   *     elements or bytes
   */
  public static TableInstance createPooled(TableType type, RefType referenceType, MemorySegment definition,
      LazyImage image, TableSlot slot, long poolElements, Supplier<Arena> viewArena, Lifetime owner) {
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(slot, "slot");
    Objects.requireNonNull(viewArena, "viewArena");
    if (definition.byteSize() < VmLayout.TABLE_DEFINITION_SIZE) {
      throw new IllegalArgumentException("definition record needs " + VmLayout.TABLE_DEFINITION_SIZE + " bytes");
    }
    TableInstance table = new TableInstance(type, referenceType, definition, image, null, slot, poolElements,
        viewArena, owner, false);
    table.initialise(type.limits().min(), 0);
    return table;
  }

  /**
   * Gives back what a pooled table took from its store (elements, committed bytes, its slot's
   * address space, the table itself): once, when its owner is freed, before the slot is reset.
   */
  public void releasePooled() {
    if (pooled == null) {
      throw new IllegalStateException("not a pooled table");
    }
    resources.tableElements().release(size);
    resources.memoryBytes().release(committedBytes);
    resources.giveBackAddressSpaceShare(reservation.size());
    resources.remove(StoreResources.Kind.TABLE);
    size = 0;
    committedBytes = 0;
  }

  /**
   * Creates a table of {@code owner}'s (a defined table of an instance) whose slots live in {@code
   * arena} and whose definition record is {@code definition} (16 bytes, for example the defining
   * instance's {@code table[i].base}), sized to its minimum. Without an image, or for an externref
   * table, every slot starts as {@code initRaw}; with one, the table is lazy: slots start
   * uninitialised and resolve from the image on first read ({@code initRaw} must then be 0, since
   * the image already says what each slot holds).
   */
  public static TableInstance create(TableType type, MemorySegment definition, long initRaw, LazyImage image, Arena arena,
      Lifetime owner) {
    return create(type, plainReference(type), definition, initRaw, image, arena, owner);
  }

  /**
   * {@link #create(TableType, MemorySegment, long, LazyImage, Arena, Lifetime)} for a table whose
   * precise element type, in closed form, is {@code referenceType}.
   */
  public static TableInstance create(TableType type, RefType referenceType, MemorySegment definition, long initRaw,
      LazyImage image, Arena arena, Lifetime owner) {
    Objects.requireNonNull(type, "type");
    if (definition.byteSize() < VmLayout.TABLE_DEFINITION_SIZE) {
      throw new IllegalArgumentException("definition record needs " + VmLayout.TABLE_DEFINITION_SIZE + " bytes");
    }
    TableInstance table = new TableInstance(type, referenceType, definition, image, arena, null, 0, null, owner, false);
    table.initialise(type.limits().min(), initRaw);
    return table;
  }

  /**
   * A table of the host's in {@code store}, with a definition record of its own; every slot starts
   * as {@code initRaw}. {@code lazyTagged} gives a funcref table the slot representation of code
   * compiled with table-lazy-init (tagged slots, no image), so such code can import it. It lives
   * until {@link #close()} and its last importer, or the store, is gone.
   *
   * @throws IllegalArgumentException if {@code initRaw} is not a function reference of the store
   */
  public static TableInstance createHost(NativeStore store, TableType type, long initRaw, boolean lazyTagged) {
    Objects.requireNonNull(type, "type");
    if (type.elementType() == ValType.FUNCREF) {
      store.checkFunctionReference(initRaw);
    }
    return HostObjects.create(store, "host table (" + type + ")", (arena, lifetime) -> {
      TableInstance table = new TableInstance(type, plainReference(type), arena.allocate(VmLayout.TABLE_DEFINITION_SIZE, 16),
          lazyTagged ? new LazyImage(MemorySegment.NULL, 0) : null, arena, null, 0, null, lifetime, true);
      table.initialise(type.limits().min(), initRaw);
      // the guest may store GC objects in it: a root of the store's collections while it lives
      store.registerGcRoots(table::relocateSlots, lifetime, arena);
      return table;
    });
  }

  /**
   * Fills the new table's {@code min} slots, whose elements and pages the constructor took, and
   * publishes its size to compiled code.
   */
  private void initialise(long min, long initRaw) {
    if (lazy && initRaw == 0) {
      // Uninitialised (0) until first read: the image (if any) says what each slot holds. The
      // zeroes are written once here (a memset, no per-slot work) so that the kernel backs the
      // pages now, not one page fault per 512 slots inside wasm code's first uses; a strict table
      // pays the same faults here while its slots are filled.
      slots.asSlice(0, min * TableStorage.SLOT_SIZE).fill((byte) 0);
      publishSize(min);
    } else {
      fillFrom(0, min, initRaw);
    }
  }

  /** The instance or host lifetime the table's memory belongs to: what an importer uses. */
  public Lifetime owner() {
    return owner;
  }

  /** The store the table belongs to; only instances of this store may import it. */
  public NativeStore store() {
    return owner.store();
  }

  /** Where the table's {@code {base, length}} record is: what an importer's {@code table[i].import} holds. */
  public long definitionAddress() {
    return definition.address();
  }

  /** The precise element type, its heap type canonical: a host table's is funcref or externref. */
  public RefType referenceType() {
    return referenceType;
  }

  private static RefType plainReference(TableType type) {
    return type.elementType() == ValType.FUNCREF ? RefType.FUNCREF : RefType.EXTERNREF;
  }

  public TableType type() {
    return type;
  }

  /**
   * Whether the slots use the lazy representation (a funcref table of code compiled with
   * table-lazy-init). Code compiled with the other setting must not import this table: linking
   * checks this against the importer's setting.
   */
  public boolean lazy() {
    return lazy;
  }

  /** Address of slot 0 (the definition's {@code base}); never changes. */
  public long base() {
    return slots.address();
  }

  /** The current number of elements. */
  public long size() {
    return size;
  }

  /**
   * Replaces every slot up to the current length with {@code relocate} applied to it: a GC
   * collection moved the objects ({@code runtime.GcRoots}). {@code relocate} leaves every word that
   * is not an object of the heap as it is (null, an i31, a function reference, a host handle), so no
   * slot needs its type looked at. A lazy table's written slot is relocated untagged and tagged
   * again: the artifact represents a concrete struct or array type as a funcref, so a table of
   * {@code (ref null $s)} is lazy too and its tagged slots hold heap objects (a tagged word passed as
   * it is would be neither kept alive nor followed: apifuzz N1, {@code ConcreteTypedTableRootTest}).
   * No word of a lazy table has bit 0 set for another reason: an i31 cannot be a value of its
   * element type.
   */
  public void relocateSlots(java.util.function.LongUnaryOperator relocate) {
    long length = definition.get(JAVA_LONG, VmLayout.TABLE_LENGTH);
    for (long i = 0; i < length; i++) {
      long stored = slots.getAtIndex(JAVA_LONG, i);
      long moved = lazy && (stored & TableStorage.INIT_BIT) != 0
          ? relocate.applyAsLong(stored & ~TableStorage.INIT_BIT) | TableStorage.INIT_BIT
          : relocate.applyAsLong(stored);
      slots.setAtIndex(JAVA_LONG, i, moved);
    }
  }

  /** The value of slot {@code index}, resolving an uninitialised lazy slot first. */
  public long get(long index) {
    owner.checkAlive();
    checkIndex(index);
    return untag(resolved(index));
  }

  /**
   * Stores {@code rawValue} in slot {@code index}.
   *
   * @throws IllegalArgumentException if a funcref is not one of the store's
   */
  public void set(long index, long rawValue) {
    checkFromJava(rawValue);
    setFromWasm(index, rawValue);
  }

  /** Stores {@code rawValue}, a value of the module's element segments, in slot {@code index}. */
  public void setFromWasm(long index, long rawValue) {
    owner.checkAlive();
    checkIndex(index);
    slots.setAtIndex(JAVA_LONG, index, tag(rawValue));
  }

  /**
   * {@code table.grow} (spec 4.4.6.6) from Java: as {@link #growFromWasm}, with {@code rawInit}
   * checked like {@link #set}'s value, under the store's claim (as every change of the store's
   * accounts, see {@code StoreResources}).
   *
   * @throws IllegalStateException if another thread is using the store
   */
  public long grow(long delta, long rawInit) {
    checkFromJava(rawInit);
    return owner.store().exclusive("grow a table", () -> growFromWasm(delta, rawInit));
  }

  /**
   * {@code table.grow} (spec 4.4.6.6): appends {@code delta} (unsigned) slots holding {@code rawInit}
   * and returns the old size, or -1 if the table cannot grow that far (the table is unchanged): past
   * its maximum, or past what its store's table-element or byte limit has left (StoreLimits: the
   * spec lets grow fail for any reason). Nothing is committed or written before both are taken.
   */
  public long growFromWasm(long delta, long rawInit) {
    owner.checkAlive();
    long old = size;
    if (delta < 0 || delta > maxSlots - old) {
      return -1;
    }
    if (!resources.tableElements().tryTake(delta)) {
      return -1;
    }
    boolean committed;
    try {
      committed = commit(old + delta);
    } catch (RuntimeException | Error e) {
      resources.tableElements().release(delta);
      throw e;
    }
    if (!committed) {
      resources.tableElements().release(delta);
      return -1;
    }
    fillFrom(old, old + delta, rawInit);
    return old;
  }

  /**
   * Makes the table {@code newSize} slots long, slots {@code from} on holding {@code rawInit}: their
   * elements and pages were already taken from the store's resources.
   */
  private void fillFrom(long from, long newSize, long rawInit) {
    long stored = tag(rawInit);
    if (stored != 0) {
      for (long i = from; i < newSize; i++) {
        slots.setAtIndex(JAVA_LONG, i, stored);
      }
    }
    publishSize(newSize);
  }

  /** {@code table.fill} from Java: as {@link #fillFromWasm}, with {@code rawValue} checked like {@link #set}'s. */
  public void fill(long index, long rawValue, long count) {
    checkFromJava(rawValue);
    fillFromWasm(index, rawValue, count);
  }

  /**
   * A reference Java writes must fit the precise element type (a funcref must be the store's); the
   * owner must not have been freed.
   */
  private void checkFromJava(long rawValue) {
    owner.checkAlive();
    owner.store().checkReference(type.elementType(), rawValue, referenceType);
  }

  /**
   * {@code table.fill} (spec 4.4.6.7): {@code count} slots from {@code index} become {@code rawValue}.
   *
   * @throws IndexOutOfBoundsException (trap TABLE_OUT_OF_BOUNDS) if the range leaves the table
   */
  public void fillFromWasm(long index, long rawValue, long count) {
    owner.checkAlive();
    checkRange(index, count);
    long stored = tag(rawValue);
    for (long i = 0; i < count; i++) {
      slots.setAtIndex(JAVA_LONG, index + i, stored);
    }
  }

  /**
   * {@code table.copy} (spec 4.4.6.8) from {@code source}: overlapping ranges copy as if through a
   * temporary. Source slots are resolved first, so an uninitialised slot of a lazy table copies as
   * the value its image gives it, never as "uninitialised" into a slot whose image entry differs.
   */
  public void copy(long dstIndex, TableInstance source, long srcIndex, long count) {
    owner.checkAlive();
    source.owner.checkAlive();
    source.checkRange(srcIndex, count);
    checkRange(dstIndex, count);
    if (source == this && dstIndex > srcIndex) {
      for (long i = count - 1; i >= 0; i--) {
        slots.setAtIndex(JAVA_LONG, dstIndex + i, tag(untag(resolved(srcIndex + i))));
      }
    } else {
      for (long i = 0; i < count; i++) {
        slots.setAtIndex(JAVA_LONG, dstIndex + i, tag(source.untag(source.resolved(srcIndex + i))));
      }
    }
  }

  /**
   * {@code table.init} (spec 4.4.6.9): copies {@code count} raw values of {@code items} from
   * {@code srcIndex} (8 bytes each, as element segment records hold them).
   */
  public void init(long dstIndex, MemorySegment items, long srcIndex, long count) {
    owner.checkAlive();
    long available = items.byteSize() / TableStorage.SLOT_SIZE;
    if (srcIndex < 0 || count < 0 || srcIndex > available || count > available - srcIndex) {
      throw outOfBounds("element segment range [" + srcIndex + ", +" + count + ") of " + available);
    }
    checkRange(dstIndex, count);
    for (long i = 0; i < count; i++) {
      slots.setAtIndex(JAVA_LONG, dstIndex + i, tag(items.getAtIndex(JAVA_LONG, srcIndex + i)));
    }
  }

  /** The slot as stored, after resolving it if it is an uninitialised lazy slot. */
  private long resolved(long index) {
    long raw = slots.getAtIndex(JAVA_LONG, index);
    if (raw != 0 || !lazy) {
      return raw;
    }
    raw = resolveFromImage(index);
    slots.setAtIndex(JAVA_LONG, index, raw);
    return raw;
  }

  /** What the compiled lazy-init builtin computes: the tagged value slot {@code index} starts with. */
  private long resolveFromImage(long index) {
    MemorySegment header = reservation.segment();
    int h = TableStorage.HEADER_SIZE;
    long imageLength = header.get(JAVA_LONG, h + TableStorage.IMAGE_LENGTH);
    if (index >= imageLength) {
      return TableStorage.INIT_BIT;
    }
    MemorySegment image = MemorySegment.ofAddress(header.get(JAVA_LONG, h + TableStorage.IMAGE))
        .reinterpret(imageLength * TableStorage.IMAGE_ENTRY_SIZE);
    long entry = Integer.toUnsignedLong(image.getAtIndex(JAVA_INT, index));
    if (entry == 0) {
      return TableStorage.INIT_BIT;
    }
    long funcRefs = header.get(JAVA_LONG, h + TableStorage.FUNC_REFS);
    return (funcRefs + (entry - 1) * VmLayout.FUNC_REF_SIZE) | TableStorage.INIT_BIT;
  }

  /** The slot value as stored for {@code raw}: tagged in a lazy table. */
  private long tag(long raw) {
    return lazy ? raw | TableStorage.INIT_BIT : raw;
  }

  private long untag(long stored) {
    return lazy ? stored & ~TableStorage.INIT_BIT : stored;
  }

  /** The slots as stored (tagged in a lazy table; 0 = not yet initialised), for tests and tools. */
  public MemorySegment storedSlots() {
    owner.checkAlive();
    MemorySegment stored = slots.asSlice(0, size * TableStorage.SLOT_SIZE);
    // A pooled table's region outlives it (the next instance of the slot writes there): the view
    // closes with the owner, as a pooled memory's does.
    return viewArena == null ? stored : stored.reinterpret(viewArena.get(), null);
  }

  /**
   * The bytes this table has committed (its header and slots, whole pages), which it holds against
   * its store's byte limit ({@code StoreLimits#maxMemoryBytes}) until its owner is freed.
   */
  public long committedBytes() {
    return committedBytes;
  }

  /**
   * Commits the pages {@code slotCount} slots need, their bytes taken from the store's byte limit;
   * {@code false} (nothing taken or committed) if they do not fit.
   */
  private boolean commit(long slotCount) {
    long more = bytesToCommit(slotCount);
    if (!resources.memoryBytes().tryTake(more)) {
      return false;
    }
    protect(more);
    return true;
  }

  /**
   * As {@link #commit}, for a new table ({@code what}).
   *
   * @throws ResourceLimitException naming the store's byte limit if the pages do not fit
   */
  private void commitOrRefuse(long slotCount, Object what) {
    long more = bytesToCommit(slotCount);
    resources.memoryBytes().take(more, what);
    protect(more);
  }

  /** How many bytes past those already committed {@code slotCount} slots need. */
  private long bytesToCommit(long slotCount) {
    long needed = VirtualMemory.pageAlign(TableStorage.HEADER_SIZE + slotCount * TableStorage.SLOT_SIZE);
    return Math.max(0, needed - committedBytes);
  }

  /** Commits the next {@code more} bytes, already taken from the store; given back if that fails. */
  private void protect(long more) {
    if (more == 0) {
      return;
    }
    try {
      if (pooled != null) {
        pooled.commit(committedBytes + more);
      } else {
        reservation.protect(committedBytes, more, Protection.READ_WRITE);
      }
    } catch (RuntimeException | Error e) {
      resources.memoryBytes().release(more);
      throw e;
    }
    committedBytes += more;
  }

  private void publishSize(long newSize) {
    size = newSize;
    definition.set(JAVA_LONG, VmLayout.TABLE_LENGTH, newSize);
  }

  private void checkIndex(long index) {
    if (index < 0 || index >= size) {
      throw outOfBounds("index " + Long.toUnsignedString(index) + " of a table of " + size);
    }
  }

  private void checkRange(long index, long count) {
    if (index < 0 || count < 0 || index > size || count > size - index) {
      throw outOfBounds("range [" + Long.toUnsignedString(index) + ", +" + Long.toUnsignedString(count)
          + ") of a table of " + size);
    }
  }

  private static TableOutOfBoundsException outOfBounds(String what) {
    return new TableOutOfBoundsException(what);
  }

  /** A table access outside the table: the trap {@link TrapCode#TABLE_OUT_OF_BOUNDS} when wasm did it. */
  public static final class TableOutOfBoundsException extends IndexOutOfBoundsException {
    private static final long serialVersionUID = 1L;

    TableOutOfBoundsException(String message) {
      super(message);
    }

    public TrapCode trapCode() {
      return TrapCode.TABLE_OUT_OF_BOUNDS;
    }
  }

  /**
   * Closes the handle of a host table ({@link #createHost}): it is freed once no instance imports
   * it. A table an instance defines lives as long as the instance, so here nothing happens.
   */
  @Override
  public void close() {
    if (hostTable) {
      owner.close();
    }
  }
}
