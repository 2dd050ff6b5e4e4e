package dev.kiln.loader.instance;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.kiln.artifact.info.GlobalType;
import dev.kiln.artifact.info.ValType;
import dev.kiln.artifact.vm.VmLayout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * One global (WebAssembly 2.0 section 4.2.9): the address of its 16-byte value slot and its type.
 * A defined global's slot lives in its instance's VMContext; an importing VMContext's {@code
 * global[i].import} holds {@link #slotAddress()}, so every importer reads and writes the one slot
 * (spec 4.5.3: imports are shared, not copied). The value sits little-endian at the slot's start:
 * i32 and f32 zero-extended to 64 bits, references as addresses, v128 as both halves.
 */
public final class GlobalInstance implements AutoCloseable {
  private static final java.lang.foreign.ValueLayout.OfLong LE = JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN);

  private final MemorySegment slot;
  private final GlobalType type;
  private final Arena ownSlot;

  private GlobalInstance(MemorySegment slot, GlobalType type, Arena ownSlot) {
    this.slot = slot;
    this.type = Objects.requireNonNull(type, "type");
    this.ownSlot = ownSlot;
  }

  /** A view of a slot someone else owns (a defined global in a VMContext). */
  static GlobalInstance over(MemorySegment slot, GlobalType type) {
    return new GlobalInstance(slot.asSlice(0, VmLayout.GLOBAL_SIZE), type, null);
  }

  /**
   * A global of the host's, with a slot of its own initialised to {@code value} (whose type must be
   * the global's value type); {@link #close()} frees the slot.
   */
  public static GlobalInstance create(GlobalType type, WasmValue value) {
    if (value.type() != type.type()) {
      throw new IllegalArgumentException("a " + type.type() + " global cannot hold a " + value.type());
    }
    Arena arena = Arena.ofShared();
    GlobalInstance global = new GlobalInstance(arena.allocate(VmLayout.GLOBAL_SIZE, VmLayout.GLOBAL_SIZE), type, arena);
    global.write(value);
    return global;
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
    return WasmValue.ofBits(type.type(), narrow(slot.get(LE, 0)), slot.get(LE, 8));
  }

  /** The raw 64 bits of the slot (i32 and f32 zero-extended). */
  public long bits() {
    return narrow(slot.get(LE, 0));
  }

  private long narrow(long bits) {
    return type.type() == ValType.I32 || type.type() == ValType.F32 ? bits & 0xFFFF_FFFFL : bits;
  }

  /**
   * {@code global.set} from the host.
   *
   * @throws IllegalStateException if the global is immutable
   * @throws IllegalArgumentException if {@code value} has another type
   */
  public void set(WasmValue value) {
    if (!type.mutable()) {
      throw new IllegalStateException("global is immutable");
    }
    if (value.type() != type.type()) {
      throw new IllegalArgumentException("a " + type.type() + " global cannot hold a " + value.type());
    }
    write(value);
  }

  private void write(WasmValue value) {
    slot.set(LE, 0, value.bits());
    slot.set(LE, 8, value instanceof WasmValue.V128 v ? v.high() : 0);
  }

  /** Frees the slot of a host global; a view of an instance's slot has nothing to free. */
  @Override
  public void close() {
    if (ownSlot != null && ownSlot.scope().isAlive()) {
      ownSlot.close();
    }
  }
}
