package dev.kiln.compiler.translate;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.FuncCursor;
import dev.kiln.ir.Function;
import dev.kiln.ir.InstBuilder;
import dev.kiln.ir.MemFlags;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Type;
import dev.kiln.ir.builder.FunctionBuilder;
import dev.kiln.wasm.types.StorageType;
import dev.kiln.wasm.types.ValueType;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Which of a function's IR values are GC references, and their spilling around safepoints: decided
 * here once, as IR, for both backends (this package's documentation says why spilling rather than
 * register-allocator maps).
 *
 * <p><b>GC references.</b> A value whose wasm type may hold the address of an object in the store's
 * GC heap, which a collection moves ({@link ModuleEnvironment#holdsGcObject}). An IR value is marked a reference where the translator makes
 * it from something whose wasm type it knows (a local, global, table element, field, call result,
 * block parameter, allocation); an instruction that passes its operand on unchanged ({@code
 * ref.cast}, {@code ref.as_non_null}, the conversions) keeps the value and so its mark.
 *
 * <p><b>Safepoints.</b> Every call that can reach a collection (a call of a wasm function, directly,
 * through a table or a reference; the GC heap's slow path) is a safepoint. Before it, each reference
 * live across it (the function's reference locals read after it before a write, {@link
 * ReferenceLiveness}; the references on the operand stack below the
 * call's operands, and those an instruction holds itself, such as {@code struct.new}'s fields) is
 * stored to a stack slot ({@code stack_addr}); the call's stack map names those slots; after it,
 * each is loaded back as a new IR value, which replaces the old one for the rest of the function. A
 * collection under the call rewrites the slots, so the loaded values are the objects' new
 * addresses; no IR value from before the call is used after it, so no pass can keep an old address
 * (or an address derived from it) alive across the call in a register. A safepoint on a cold path
 * only (an allocation's slow path, GcObjects) spills and reloads inside that path; the reloaded
 * values reach the code after it as parameters of the block where the paths join, and the other
 * path passes the values it already has, so the hot path touches no slot.
 *
 * <p><b>Frame-resident slots.</b> A function whose references would cost more around its safepoints
 * than its body's size allows ({@link SpillBudget}) is translated in the frame-resident form instead
 * ({@link #beginFrameResident}): each reference it holds across a safepoint (a local, an operand
 * stack position, a caught exception, an allocation's own operands) has a slot of its own, handed
 * out as the translation first needs it ({@link #newResidentSlot}); a read is a load of the slot, a
 * write a store, and every safepoint's stack map names all of them and has no slots of its own. No
 * code is added per safepoint, nor a copy of the resident slots per map: they are the function's
 * resident slots ({@code DataFlowGraph.setResidentSlots}), recorded once ({@link #finish}), which
 * every map names. The collector rewrites a resident slot in place, and the next read loads the new
 * address. Named at every safepoint, a slot must hold a reference or null at each one, from the
 * first: those the entry does not store a value to it stores null to ({@link #finish}), and a slot
 * whose value the function no longer needs keeps it (an object the frame keeps alive until it
 * returns or overwrites the slot), never a stale address, since the collector rewrote it too.
 */
final class GcSafepoints {
  /** Slot stores and loads: the collector writes the slots behind the compiler's back, as any call may write memory. */
  private static final MemFlags SLOT = MemFlags.NONE;

  private final ModuleEnvironment env;
  private final FunctionBuilder b;
  private final BitSet references = new BitSet();
  /** Told the wasm type of every value marked by it, for the null checks that type makes needless. */
  private final NullChecks nulls;
  /** Whether the function is translated in the frame-resident form ({@link #beginFrameResident}). */
  private boolean frameResident;
  /** The frame-resident form: the resident slots handed out, 0 up to this. */
  private int residentSlots;
  /** The frame-resident form: how many of the first resident slots the entry stores a value to itself. */
  private int storedAtEntry;
  /** The frame-resident form: the slots an allocation's own references go to around its slow path, by operand. */
  private final List<Integer> heldSlots = new ArrayList<>();

  GcSafepoints(ModuleEnvironment env, FunctionBuilder b, NullChecks nulls) {
    this.env = env;
    this.b = b;
    this.nulls = nulls;
  }

  /**
   * The function is translated in the frame-resident form: before any safepoint is built, the entry
   * stores to resident slots 0 to {@code storedAtEntry - 1} (the locals' initial values); the slots
   * handed out later start as null ({@link #finish}).
   */
  void beginFrameResident(int storedAtEntry) {
    frameResident = true;
    this.storedAtEntry = storedAtEntry;
    residentSlots = storedAtEntry;
  }

  /** Whether the function is translated in the frame-resident form. */
  boolean isFrameResident() {
    return frameResident;
  }

  /** A new resident slot, named by every stack map of the function; the frame-resident form only. */
  int newResidentSlot() {
    return residentSlots++;
  }

  /**
   * At the end of the translation, in the frame-resident form: declares the resident slots the
   * function's stack maps name, and stores null at the entry, before anything else, to each the
   * entry does not store a value to, so that a collection under the first safepoint finds a
   * reference or null in every one.
   */
  void finish() {
    if (!frameResident) {
      return;
    }
    int[] slots = new int[residentSlots];
    for (int slot = 0; slot < residentSlots; slot++) {
      slots[slot] = slot;
    }
    b.function().dfg().setResidentSlots(slots);
    if (residentSlots == storedAtEntry) {
      return;
    }
    Function f = b.function();
    FuncCursor entry = new FuncCursor(f).before(f.layout().firstInst(f.layout().entryBlock()));
    int nullReference = entry.iconst(Type.I64, 0);
    for (int slot = storedAtEntry; slot < residentSlots; slot++) {
      entry.store(Opcode.STORE, SLOT, nullReference, entry.stackAddr(slot), 0);
    }
  }

  /** The reference in resident slot {@code slot}, of IR type {@code type}, loaded and marked a GC reference. */
  int loadResident(int slot, Type type) {
    InstBuilder ins = b.ins();
    return markObject(ins.load(Opcode.LOAD, type, SLOT, ins.stackAddr(slot), 0));
  }

  /** Stores {@code value} (a GC reference or null) to resident slot {@code slot}. */
  void storeResident(int slot, int value) {
    InstBuilder ins = b.ins();
    ins.store(Opcode.STORE, SLOT, value, ins.stackAddr(slot), 0);
  }
  /** Whether a value of wasm type {@code type} is a GC reference ({@link ModuleEnvironment#holdsGcObject}). */
  boolean isReference(ValueType type) {
    return env.holdsGcObject(type);
  }

  /**
   * Marks {@code value} a GC reference when {@code type} is one; returns {@code value}. The value must
   * be one the translator just made from something of wasm type {@code type} (a call's or block's
   * result, a load): {@link NullChecks} takes a non-nullable type as a fact of the value wherever it
   * is used, which would be false of a value a nullable local also holds.
   */
  int mark(int value, ValueType type) {
    nulls.note(value, type);
    if (isReference(type)) {
      references.set(value);
    }
    return value;
  }

  /** Marks {@code value}, read from a field or element of storage type {@code storage}; returns it. */
  int mark(int value, StorageType storage) {
    return storage instanceof ValueType type ? mark(value, type) : value;
  }

  /** Marks each of {@code values} whose type in {@code types} is a GC reference; returns {@code values}. */
  int[] mark(int[] values, List<ValueType> types) {
    for (int i = 0; i < values.length; i++) {
      mark(values[i], types.get(i));
    }
    return values;
  }

  /** Marks {@code value}, an object the translator just allocated, a GC reference; returns it. */
  int markObject(int value) {
    references.set(value);
    return value;
  }

  /** Whether IR value {@code value} is a GC reference. */
  boolean isReference(int value) {
    return references.get(value);
  }

  /** Whether some value of the function was marked a GC reference so far ({@link #isReference}). */
  boolean hasReferences() {
    return !references.isEmpty();
  }

  /**
   * A safepoint under construction: {@link #spill} stored its values before the call, {@link
   * #reload} loads them back after it.
   */
  final class Spill {
    private final int[] values;
    /** Where each value went. */
    private final int[] slots;
    /** The slots the safepoint's stack map names besides the resident ones: none in the frame-resident form. */
    private final int[] ownSlots;
    private final int firstInst;

    private Spill(int[] values, int[] slots, int[] ownSlots, int firstInst) {
      this.values = values;
      this.slots = slots;
      this.ownSlots = ownSlots;
      this.firstInst = firstInst;
    }

    /** How many values were spilled. */
    int count() {
      return values.length;
    }

    /** The values spilled, in slot order (as they were before the call). */
    int[] values() {
      return values.clone();
    }

    /**
     * Gives every call built since {@link #spill} this safepoint's stack map, its own spill slots
     * (the resident ones every map names already): all of them, since a {@code call_indirect}
     * through a fixed table may be several guarded direct calls, and a call of a builtin that cannot
     * collect is a safepoint with nothing to rewrite either way.
     */
    void markCalls() {
      DataFlowGraph dfg = b.function().dfg();
      for (int inst = firstInst; inst < dfg.instCount(); inst++) {
        Opcode op = dfg.opcode(inst);
        if (op == Opcode.CALL || op == Opcode.CALL_INDIRECT) {
          dfg.setStackMap(inst, ownSlots);
        }
      }
    }

    /** The spilled values loaded back, in spill order, each marked a GC reference. */
    int[] reload() {
      InstBuilder ins = b.ins();
      int[] reloaded = new int[values.length];
      for (int i = 0; i < values.length; i++) {
        reloaded[i] = markObject(ins.load(Opcode.LOAD, Type.I64, SLOT, ins.stackAddr(slots[i]), 0));
      }
      return reloaded;
    }
  }

  /**
   * Stores {@code values} (GC references) for the safepoint built next: to slots of its own, which
   * its stack map names; in the frame-resident form to the resident slots kept for an allocation's
   * own operands ({@code values} is then no more than those), and the safepoint still gets its
   * (empty) map, which names the resident slots. Null, storing nothing, when there is nothing to name.
   */
  Spill spill(int[] values) {
    if (values.length == 0 && !frameResident) {
      return null;
    }
    int[] slots = new int[values.length];
    for (int i = 0; i < values.length; i++) {
      if (!frameResident) {
        slots[i] = i;
      } else {
        if (i == heldSlots.size()) {
          heldSlots.add(newResidentSlot());
        }
        slots[i] = heldSlots.get(i);
      }
    }
    for (int i = 0; i < values.length; i++) {
      storeResident(slots[i], values[i]);
    }
    return new Spill(values.clone(), slots, frameResident ? new int[0] : slots,
        b.function().dfg().instCount());
  }
}
