package dev.kiln.codegen.abi;

import dev.kiln.codegen.regalloc.MachineRegister;
import dev.kiln.ir.AbiParam;
import dev.kiln.ir.ParamPurpose;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.util.ArrayList;
import java.util.List;

/**
 * Kiln's wasm calling convention on one ISA: the ISA's parameter and result registers of each
 * class, in order, and its stack alignment. Everything else is decided once for both ISAs: {@link
 * WasmCallAssignment}'s rule says which value goes to which of these registers, to a stack slot or
 * to the return area, and the first three integer parameter registers carry the callee's vmctx, the
 * caller's vmctx and (when there is one) the return-area pointer.
 *
 * @param intParams integer parameter registers in order; the first two carry the vmctx pair
 * @param floatParams float and vector parameter registers in order
 * @param intResults integer result registers in order
 * @param floatResults float and vector result registers in order
 * @param stackAlignment stack pointer alignment at a call, which the stack areas are rounded to
 * @param <G> the ISA's general-purpose register type
 * @param <F> the ISA's float and vector register type
 */
public record CallConvention<G extends MachineRegister, F extends MachineRegister>(List<G> intParams,
    List<F> floatParams, List<G> intResults, List<F> floatResults, int stackAlignment) {
  public CallConvention {
    intParams = List.copyOf(intParams);
    floatParams = List.copyOf(floatParams);
    intResults = List.copyOf(intResults);
    floatResults = List.copyOf(floatResults);
  }

  /** The locations of an IR signature in the translator's convention (its vmctx pair not listed). */
  public CallLayout<G, F> layout(Signature sig) {
    List<Type> params = new ArrayList<>();
    for (AbiParam p : sig.params()) {
      if (p.purpose() == ParamPurpose.NORMAL) {
        params.add(p.type());
      }
    }
    List<Type> results = new ArrayList<>();
    for (AbiParam p : sig.results()) {
      results.add(p.type());
    }
    return layout(params, results);
  }

  /** The locations of wasm {@code params} and {@code results}: the shared rule on these registers. */
  public CallLayout<G, F> layout(List<Type> params, List<Type> results) {
    WasmCallAssignment assignment = WasmCallAssignment.assign(params, results,
        new WasmCallAssignment.Registers(intParams.size(), floatParams.size(), intResults.size(),
            floatResults.size()), stackAlignment);
    return new CallLayout<>(params, results, locations(assignment.params(), intParams, floatParams),
        locations(assignment.results(), intResults, floatResults), assignment.stackArgBytes(),
        assignment.returnAreaBytes());
  }

  /** The locations of {@code slots} in order: a loop, not a stream (C1 inlines no stream stage). */
  private static <G, F> List<ValueLocation<G, F>> locations(List<WasmCallAssignment.Slot> slots,
      List<G> ints, List<F> floats) {
    List<ValueLocation<G, F>> out = new ArrayList<>(slots.size());
    for (int i = 0; i < slots.size(); i++) {
      out.add(location(slots.get(i), ints, floats));
    }
    return out;
  }

  private static <G, F> ValueLocation<G, F> location(WasmCallAssignment.Slot slot, List<G> ints,
      List<F> floats) {
    return switch (slot) {
      case WasmCallAssignment.Slot.IntRegister(int n) -> new ValueLocation.InGpr<>(ints.get(n));
      case WasmCallAssignment.Slot.FloatRegister(int n) -> new ValueLocation.InFpr<>(floats.get(n));
      case WasmCallAssignment.Slot.OnStack(int offset) -> new ValueLocation.OnStack<>(offset);
      case WasmCallAssignment.Slot.InReturnArea(int offset) -> new ValueLocation.InReturnArea<>(offset);
    };
  }
}
