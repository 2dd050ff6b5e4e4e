package dev.kiln.loader.global;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.info.GlobalType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.VmLayout;
import dev.kiln.loader.runtime.HostObjects;
import dev.kiln.loader.runtime.Lifetime;
import dev.kiln.loader.runtime.NativeStore;
import dev.kiln.loader.runtime.WasmValue;
import dev.kiln.wasm.types.ValueType;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One global (WebAssembly 2.0 section 4.2.9): the address of its 16-byte value slot and its type.
 * A defined global's slot lives in its instance's VMContext; an importing VMContext's {@code
 * global[i].import} holds {@link #slotAddress()}, so every importer reads and writes the one slot
 * (spec 4.5.3: imports are shared, not copied). The value sits little-endian at the slot's start:
 * i32 and f32 zero-extended to 64 bits, references as addresses, v128 as both halves.
 *
 * <p>Reads and writes from Java claim the store ({@link NativeStore#exclusive}): a defined global's
 * slot may be C heap ({@code loader.sys.NativeHeap}, an instance without memories or tables) that
 * a close on another thread frees, and every free holds the claim, so a read after the owner is
 * freed is an {@link IllegalStateException}, never a read of freed memory. The claim nests, so a
 * host function that wasm called reads and writes globals of its store as before.
 */
public final class GlobalInstance implements AutoCloseable {
  private static final java.lang.foreign.ValueLayout.OfLong LE = JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final MemorySegment slot;
  private final GlobalType type;
  /** The precise value type in closed form (spec 3.0 4.5.2: what import matching compares). */
  private final ValueType preciseType;
  private final Lifetime owner;
  /** Whether the global is the host's own ({@link #create}), closed by {@link #close()}. */
  private final boolean hostGlobal;

  private GlobalInstance(MemorySegment slot, GlobalType type, ValueType preciseType, Lifetime owner,
      boolean hostGlobal) {
    this.slot = slot;
    this.type = Objects.requireNonNull(type, "type");
    this.preciseType = Objects.requireNonNull(preciseType, "preciseType");
    this.owner = Objects.requireNonNull(owner, "owner");
    this.hostGlobal = hostGlobal;
  }

  /** A view of a slot of instance {@code owner} (a defined global in its VMContext). */
  public static GlobalInstance over(MemorySegment slot, GlobalType type, ValueType preciseType, Lifetime owner) {
    return new GlobalInstance(slot.asSlice(0, VmLayout.GLOBAL_SIZE), type, preciseType, owner, false);
  }

  /** The precise value type, its heap type canonical: a host global's is its representation's. */
  public ValueType preciseType() {
    return preciseType;
  }

  /**
   * A global of the host's in {@code store}, with a slot of its own initialised to {@code value}
   * (whose type must be the global's value type). It lives until {@link #close()} and its last
   * importer, or the store, is gone.
   *
   * @throws IllegalArgumentException if the value has another type, or is a funcref not of the store
   */
  public static GlobalInstance create(NativeStore store, GlobalType type, WasmValue value) {
    ValueType precise = ValueType.of(dev.kiln.wasm.types.ValType.fromCode(type.type().code()));
    checkValue(store, type, precise, value);
    return HostObjects.create(store, "host global (" + type + ")", (arena, lifetime) -> {
      GlobalInstance global = new GlobalInstance(arena.allocate(VmLayout.GLOBAL_SIZE, VmLayout.GLOBAL_SIZE), type,
          precise, lifetime, true);
      global.write(value);
      if (type.type().isReference()) {
        // the guest may store a GC object in it: a root of the store's collections while it lives
        store.registerGcRoots(relocate -> global.slot.set(LE, 0, relocate.applyAsLong(global.slot.get(LE, 0))),
            lifetime, arena);
      }
      return global;
    });
  }

  private static void checkValue(NativeStore store, GlobalType type, ValueType precise, WasmValue value) {
    if (value.type() != type.type()) {
      throw new IllegalArgumentException("a " + type.type() + " global cannot hold a " + value.type());
    }
    if (value.type().isReference()) {
      store.checkReference(value.type(), value.bits(), precise);
    }
  }

  /** The instance or host lifetime the slot belongs to: what an importer uses. */
  public Lifetime owner() {
    return owner;
  }

  /** The store the global belongs to; only instances of this store may import it. */
  public NativeStore store() {
    return owner.store();
  }

  public GlobalType type() {
    return type;
  }

  /** Where the value slot is: what an importer's {@code global[i].import} holds. */
  public long slotAddress() {
    return slot.address();
  }

  /** The current value. */
  public WasmValue get() {
    return owner.store().exclusive("read a global", () -> {
      owner.checkAlive();
      return WasmValue.ofBits(type.type(), narrow(slot.get(LE, 0)), slot.get(LE, 8));
    });
  }

  /** The raw 64 bits of the slot (i32 and f32 zero-extended). */
  public long bits() {
    return owner.store().exclusive("read a global", () -> {
      owner.checkAlive();
      return narrow(slot.get(LE, 0));
    });
  }

  private long narrow(long bits) {
    return type.type() == ValType.I32 || type.type() == ValType.F32 ? bits & 0xFFFF_FFFFL : bits;
  }

  /**
   * {@code global.set} from the host.
   *
   * @throws IllegalStateException if the global is immutable
   * @throws IllegalArgumentException if {@code value} has another type, or is a funcref not of the
   *     store
   */
  public void set(WasmValue value) {
    owner.store().exclusive("write a global", () -> {
      owner.checkAlive();
      if (!type.mutable()) {
        throw new IllegalStateException("global is immutable");
      }
      checkValue(owner.store(), type, preciseType, value);
      write(value);
      return null;
    });
  }

  private void write(WasmValue value) {
    slot.set(LE, 0, value.bits());
    slot.set(LE, 8, value instanceof WasmValue.V128 v ? v.high() : 0);
  }

  /**
   * Closes the handle of a host global ({@link #create}): it is freed once no instance imports it.
   * A global an instance defines lives as long as the instance, so here nothing happens.
   */
  @Override
  public void close() {
    if (hostGlobal) {
      owner.close();
    }
  }
}
