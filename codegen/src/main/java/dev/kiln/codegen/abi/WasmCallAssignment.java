package dev.kiln.codegen.abi;

import dev.kiln.ir.Type;
import java.util.List;
import java.util.Objects;

/**
 * Where Kiln's wasm calling convention puts each parameter and result of one signature, by
 * register number rather than by register (each ISA names its own registers).
 *
 * <p>The rule, for both ISAs: the first two integer parameter registers carry the callee's and the
 * caller's VMContext. Results are assigned first, since they decide whether the caller passes a
 * return-area pointer in the third integer parameter register: integer results take the integer
 * result registers in order and float and vector results the float result registers, and a result
 * past its class's registers goes to the return area. Parameters then take the remaining integer
 * and float parameter registers in order, and the rest go to the stack-argument area. A stack or
 * return-area slot is 8 bytes, 16 (and 16-aligned) for a v128; both areas are rounded up to the
 * stack alignment.
 *
 * @param params one slot per wasm parameter (the VMContext pair and the return-area pointer are
 *     not listed)
 * @param results one slot per wasm result
 * @param stackArgBytes size of the outgoing stack-argument area at the caller's SP
 * @param returnAreaBytes size of the return area the caller provides; 0 when every result fits in
 *     registers, and then no return-area pointer is passed
 */
public record WasmCallAssignment(List<Slot> params, List<Slot> results, int stackArgBytes,
    int returnAreaBytes) {
  /** Integer parameter registers the VMContext pair (callee's, caller's) always takes. */
  public static final int VMCTX_REGISTERS = 2;

  public WasmCallAssignment {
    params = List.copyOf(params);
    results = List.copyOf(results);
  }

  /** Where one value goes. */
  public sealed interface Slot {
    /** The {@code number}-th (from 0) integer parameter or result register of the ISA's list. */
    record IntRegister(int number) implements Slot {}

    /** The {@code number}-th (from 0) float parameter or result register of the ISA's list. */
    record FloatRegister(int number) implements Slot {}

    /** A stack argument {@code offset} bytes above the caller's SP at the call. */
    record OnStack(int offset) implements Slot {}

    /** A result the callee stores {@code offset} bytes into the caller's return area. */
    record InReturnArea(int offset) implements Slot {}
  }

  /** How many registers of each kind the ISA's convention has. */
  public record Registers(int intParams, int floatParams, int intResults, int floatResults) {
    public Registers {
      if (intParams < VMCTX_REGISTERS + 1) {
        throw new IllegalArgumentException("the VMContext pair and a return-area pointer need "
            + (VMCTX_REGISTERS + 1) + " integer parameter registers, got " + intParams);
      }
    }
  }

  /**
   * The slots of {@code params} and {@code results} (IR types: integers, references included,
   * are I32 or I64) under the ISA's {@code registers}, with stack areas rounded to {@code
   * stackAlignment} bytes.
   */
  public static WasmCallAssignment assign(List<Type> params, List<Type> results, Registers registers,
      int stackAlignment) {
    Objects.requireNonNull(registers, "registers");
    Assigner toResults = new Assigner(0, registers.intResults(), registers.floatResults(), true);
    List<Slot> resultSlots = toResults.slots(results);
    int returnAreaBytes = alignUp(toResults.bytes, stackAlignment);
    Assigner toParams = new Assigner(returnAreaBytes > 0 ? VMCTX_REGISTERS + 1 : VMCTX_REGISTERS,
        registers.intParams(), registers.floatParams(), false);
    List<Slot> paramSlots = toParams.slots(params);
    return new WasmCallAssignment(paramSlots, resultSlots, alignUp(toParams.bytes, stackAlignment),
        returnAreaBytes);
  }

  /** Hands out registers of each class in order, then slots of one memory area. */
  private static final class Assigner {
    private final int intRegisters;
    private final int floatRegisters;
    private final boolean returnArea;
    private int ints;
    private int floats;
    private int bytes;

    Assigner(int firstInt, int intRegisters, int floatRegisters, boolean returnArea) {
      this.ints = firstInt;
      this.intRegisters = intRegisters;
      this.floatRegisters = floatRegisters;
      this.returnArea = returnArea;
    }

    /**
     * The slots of {@code types} in order: a loop, not a stream (every call's lowering lays out its
     * signature, and C1, kiln compile's JIT under 24 MB, inlines no stream stage).
     */
    List<Slot> slots(List<Type> types) {
      Slot[] slots = new Slot[types.size()];
      for (int i = 0; i < slots.length; i++) {
        slots[i] = next(types.get(i));
      }
      return List.of(slots);
    }

    Slot next(Type t) {
      if (t.isInt() && ints < intRegisters) {
        return new Slot.IntRegister(ints++);
      }
      if (!t.isInt() && floats < floatRegisters) {
        return new Slot.FloatRegister(floats++);
      }
      int offset = alignUp(bytes, slotBytes(t));
      bytes = offset + slotBytes(t);
      return returnArea ? new Slot.InReturnArea(offset) : new Slot.OnStack(offset);
    }
  }

  /** Bytes of a stack-argument or return-area slot of type {@code t}: 8, or 16 for a v128. */
  public static int slotBytes(Type t) {
    return t == Type.V128 ? 16 : 8;
  }

  /** {@code value} rounded up to a multiple of {@code alignment}, a power of two. */
  public static int alignUp(int value, int alignment) {
    return (value + alignment - 1) & -alignment;
  }
}
