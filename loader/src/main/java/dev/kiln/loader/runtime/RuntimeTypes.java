package dev.kiln.loader.runtime;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.vm.StoreLayout;
import dev.kiln.wasm.types.CanonicalType;
import dev.kiln.wasm.types.FuncType;
import dev.kiln.wasm.types.HeapType;
import dev.kiln.wasm.types.RefType;
import dev.kiln.wasm.types.ValueType;
import dev.kiln.wasm.types.TypeRegistry;
import dev.kiln.wasm.types.TypeSection;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An engine's runtime type ids (WebAssembly 3.0 spec 3.2.2 "closed types", 4.5.2 "matching"): every
 * canonical type ({@link TypeRegistry}, iso-recursive equivalence) gets one u32 id, the same in every
 * module and instance of the stores that share this object, so a VMFuncRef's {@code type_id} names
 * its function's type wherever the reference goes. Written for every composite type: GC's struct
 * and array types take ids and displays here as function types do.
 *
 * <p>Each id has a <em>display</em>: the ids of its supertype chain from the root to itself, so
 * {@code a <: b} is {@code depth(a) >= depth(b) && display(a)[depth(b)] == id(b)}, two loads and two
 * compares whatever the depth (subtyping is declared, single inheritance, spec 3.0 3.2.x "sub"). The
 * displays live in native memory reachable from every store context ({@link
 * StoreLayout#TYPE_DISPLAYS}): {@code call_indirect} of a non-final type reads the callee's display
 * when its id is not the expected one. Compiled code reaches display {@code id} as {@code
 * directory[id >> CHUNK_BITS][id & (CHUNK - 1)]}: the directory and each chunk are allocated once and
 * never move, so a display published to one thread stays valid while others add types. The memory
 * lives as long as this object; every store sharing it keeps it reachable.
 */
public final class RuntimeTypes {
  /** Display pointers per chunk, as a power of two (compiled code indexes with the same constant). */
  public static final int CHUNK_BITS = StoreLayout.TYPE_DISPLAY_CHUNK_BITS;
  private static final int CHUNK = 1 << CHUNK_BITS;
  private static final int CHUNKS = 1 << 12;
  /** The most types one engine gives ids to. */
  public static final int MAX_TYPES = CHUNK * CHUNKS;

  private final Arena arena = Arena.ofAuto();
  private final MemorySegment directory = arena.allocate((long) CHUNKS * 8, 8);
  /** Ids by canonical type: read without a lock, written under this object's monitor. */
  private final Map<CanonicalType, Integer> ids = new ConcurrentHashMap<>();
  /**
   * Each id's canonical type and display, indexed by id: replaced by a larger copy under the
   * monitor when full, an entry written before its id is put in {@link #ids} (see {@link #byId}).
   */
  private volatile Registered[] registered = new Registered[16];
  /** How many ids are given; written under the monitor. */
  private int count;
  /** {@link #hostId}'s answers. */
  private final Map<FuncType, Integer> hostIds = new ConcurrentHashMap<>();

  /**
   * The embedding API's value of each id's type (its {@code FuncType}), by id, null until first
   * asked ({@link #apiType}): elements written under the monitor, the array republished through
   * the volatile field after each write.
   */
  private volatile Object[] apiTypes = new Object[16];

  /**
   * The embedding API's value for the type of {@code id} ({@code dev.kiln.runtime.FuncType}: a
   * function handle's type), made by {@code make} on the first request and kept for the engine's
   * lifetime, so that a handle per instance (issue 41: an instance per request) builds no type.
   * Two threads asking first may both make it; one value is kept. The API is the only caller, so
   * one value per id suffices.
   */
  public Object apiType(int id, ApiTypeMaker make) {
    Object[] known = apiTypes;
    Object value = id >= 0 && id < known.length ? known[id] : null;
    return value != null ? value : keepApiType(id, make.make(this, id));
  }

  /** Makes the API's value of a type ({@link #apiType}); given the types, so that it captures nothing. */
  @FunctionalInterface
  public interface ApiTypeMaker {
    Object make(RuntimeTypes types, int id);
  }

  private synchronized Object keepApiType(int id, Object value) {
    Object[] known = apiTypes;
    if (id >= known.length) {
      known = java.util.Arrays.copyOf(known, Math.max(id + 1, 2 * known.length));
    }
    if (known[id] == null) {
      known[id] = value;
    }
    apiTypes = known;
    return known[id];
  }

  /** An id's canonical type and its display, as written to native memory. */
  private record Registered(CanonicalType type, int[] display) {}

  /** The directory's address, what {@link StoreLayout#TYPE_DISPLAYS} holds. */
  long displaysAddress() {
    return directory.address();
  }

  /**
   * The id of {@code type}, given to it (and to its supertypes) on first use.
   *
   * <p>Every instantiation asks for the ids of its module's types, on whichever thread makes the
   * instance (issue 41: an instance per request on many threads), so a type that has an id is
   * found without a lock: only giving a new id takes this object's monitor, once per type and
   * engine. A lookup that finds the id sees its display too, since {@link #register} stores the
   * entry before the id is published in the concurrent map (whose put happens-before a get that
   * sees it).
   */
  public int id(CanonicalType type) {
    Integer known = ids.get(type);
    return known != null ? known : register(type);
  }

  private synchronized int register(CanonicalType type) {
    Integer known = ids.get(type);
    if (known != null) {
      return known;
    }
    // The chain up to the first type with an id, registered root first; iterative, as a chain is
    // as long as the module made it.
    Deque<CanonicalType> chain = new ArrayDeque<>();
    for (CanonicalType t = type; t != null && !ids.containsKey(t); t = supertype(t)) {
      chain.push(t);
    }
    int id = -1;
    while (!chain.isEmpty()) {
      id = registerOne(chain.pop());
    }
    return id;
  }

  /** The runtime id of each of {@code section}'s types, by type index. */
  public int[] ids(TypeSection section) {
    int[] out = new int[section.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = id(section.matcher().canonical(i));
    }
    return out;
  }

  /**
   * The id of function type {@code type} as a host function has it: final, without supertypes, its
   * own recursion group, its references of abstract heap types only (e.g. {@code (func (param
   * exnref) (result (ref exn)))}), the id every module of the engine gives that type.
   *
   * @throws IllegalArgumentException if a reference names a type index
   */
  public int hostId(FuncType type) {
    Integer known = hostIds.get(type);
    if (known == null) {
      for (ValueType t : type.paramTypes()) {
        requireAbstract(t, type);
      }
      for (ValueType t : type.resultTypes()) {
        requireAbstract(t, type);
      }
      known = id(TypeRegistry.shared().canonicalize(TypeSection.of(List.of(type)))[0]);
      hostIds.putIfAbsent(type, known);
    }
    return known;
  }

  private static void requireAbstract(ValueType t, FuncType in) {
    if (t instanceof RefType r && !(r.heap() instanceof HeapType.Abstract)) {
      throw new IllegalArgumentException("a host function's type names no defined type: " + in);
    }
  }

  /**
   * The canonical type of {@code id}.
   *
   * @throws IndexOutOfBoundsException if no type has that id
   */
  public CanonicalType type(int id) {
    return byId(id).type();
  }

  /**
   * Parameter {@code index} of the function type of id {@code id}, closed (its heap type abstract
   * or canonical): what a value passed to a function of that type must match.
   */
  public ValueType paramType(int id, int index) {
    CanonicalType t = type(id);
    ValueType p = ((FuncType) t.subType().composite()).paramTypes().get(index);
    return p instanceof RefType r ? new RefType(r.nullable(), t.group().resolve(r.heap())) : p;
  }

  /**
   * Result {@code index} of the function type of id {@code id}, closed: what a value the function
   * returns is (the API describes and converts a reference result by it).
   */
  public ValueType resultType(int id, int index) {
    CanonicalType t = type(id);
    ValueType r = ((FuncType) t.subType().composite()).resultTypes().get(index);
    return r instanceof RefType ref ? new RefType(ref.nullable(), t.group().resolve(ref.heap())) : r;
  }

  /** Whether the type of id {@code actual} is a subtype of {@code expected} (spec 3.0 3.3.x, declared chains). */
  public boolean isSubtype(int actual, CanonicalType expected) {
    Integer wanted = ids.get(expected);
    if (wanted == null || actual < 0) {
      return false;
    }
    Registered registeredActual = registeredOrNull(actual);
    if (registeredActual == null) {
      return false;
    }
    int[] display = registeredActual.display();
    int depth = byId(wanted).display().length - 1;
    return display.length > depth && display[depth] == wanted;
  }

  /**
   * The entry of id {@code id}. Ids reach a caller through {@link #ids} (whose put follows the
   * entry's write) or through native memory an instance wrote after asking {@link #id}, on a thread
   * that may not have synchronised with the registering one: an entry not seen yet is read again
   * under the monitor, after which it is there if the id was ever given.
   */
  private Registered byId(int id) {
    Registered entry = registeredOrNull(id);
    if (entry == null) {
      throw new IndexOutOfBoundsException("no type has id " + id);
    }
    return entry;
  }

  private Registered registeredOrNull(int id) {
    Registered[] table = registered;
    Registered entry = id < table.length ? table[id] : null;
    if (entry != null) {
      return entry;
    }
    synchronized (this) {
      return id < count ? registered[id] : null;
    }
  }

  private static CanonicalType supertype(CanonicalType t) {
    List<HeapType> supers = t.subType().supertypes();
    return supers.isEmpty() ? null : ((HeapType.Canonical) t.group().resolve(supers.get(0))).type();
  }

  private int registerOne(CanonicalType type) {
    int id = count;
    if (id >= MAX_TYPES) {
      throw new ModuleInstantiationException("more than " + MAX_TYPES + " distinct types in one engine");
    }
    CanonicalType parent = supertype(type);
    int[] above = parent == null ? new int[0] : registered[ids.get(parent)].display();
    int[] display = java.util.Arrays.copyOf(above, above.length + 1);
    display[above.length] = id;
    MemorySegment native_ = arena.allocate(4L * (display.length + 1), 4);
    native_.set(JAVA_INT, 0, display.length - 1);
    for (int k = 0; k < display.length; k++) {
      native_.set(JAVA_INT, 4L * (k + 1), display[k]);
    }
    long chunkAt = (long) (id >>> CHUNK_BITS) * 8;
    long chunk = directory.get(JAVA_LONG, chunkAt);
    if (chunk == 0) {
      chunk = arena.allocate((long) CHUNK * 8, 8).address();
      directory.set(JAVA_LONG, chunkAt, chunk);
    }
    MemorySegment.ofAddress(chunk).reinterpret((long) CHUNK * 8).set(JAVA_LONG, (long) (id & (CHUNK - 1)) * 8,
        native_.address());
    Registered[] table = registered;
    if (id == table.length) {
      table = java.util.Arrays.copyOf(table, table.length * 2);
    }
    table[id] = new Registered(type, display);
    registered = table;
    count = id + 1;
    // Published last: a reader that finds the id finds the entry (see id()).
    ids.put(type, id);
    return id;
  }
}
