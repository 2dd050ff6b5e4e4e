package dev.kiln.codegen.lower;

import dev.kiln.codegen.LoweredFunction;
import dev.kiln.codegen.abi.ArgumentArea;
import dev.kiln.codegen.vcode.VCode;
import dev.kiln.ir.InlineSite;
import java.util.List;

/**
 * A function lowered by an ISA's {@link LowerBackend}: what emission allocates registers in and
 * lays the frame out from. It holds nothing of the IR function it came from (its instructions'
 * emitters capture values, never the lowering), so the IR's arrays can be reused or freed while its
 * registers are allocated and its code emitted (for a huge function, a quarter of what its compile
 * held at once).
 *
 * @param context the ISA's emit context type, which only that ISA's emitter takes ({@link #forContext})
 * @param vcode the function's VCode
 * @param outgoingBytes the outgoing-area bytes its calls need
 * @param arguments its incoming argument area, grown for its tail calls
 * @param residentSlotOffsets the offsets above the body's stack pointer of the slots every stack map
 *     of the function names besides its own (its frame-resident GC references); empty when none
 * @param inlineSites the calls inlined into the function, which its address map's entries index
 *     (the IR function's {@code DataFlowGraph.inlineSites()})
 * @param <C> the ISA's emit context
 */
public record Lowered<C>(Class<C> context, VCode<MInst<C>> vcode, int outgoingBytes, ArgumentArea arguments,
    int[] residentSlotOffsets, List<InlineSite> inlineSites) implements LoweredFunction {
  public Lowered {
    residentSlotOffsets = residentSlotOffsets.clone();
    inlineSites = List.copyOf(inlineSites);
  }

  @Override
  public int[] residentSlotOffsets() {
    return residentSlotOffsets.clone();
  }

  /**
   * {@code function} as lowered for the emit context {@code type}: an ISA's emitter takes only what
   * its own lowering made, from a backend-neutral caller that holds a {@link LoweredFunction}.
   *
   * @throws IllegalArgumentException if another ISA, or a backend of another kind, lowered it
   */
  public static <C> Lowered<C> forContext(LoweredFunction function, Class<C> type) {
    if (!(function instanceof Lowered<?> lowered) || lowered.context != type) {
      // named by its kind, not printed: a lowered function's text is all of its instructions
      String made = function instanceof Lowered<?> other ? "a function lowered for " + other.context.getName()
          : "a " + function.getClass().getName();
      throw new IllegalArgumentException(made + " given to the emitter of " + type.getName());
    }
    @SuppressWarnings("unchecked") // its context type is C's class, checked just above
    Lowered<C> same = (Lowered<C>) lowered;
    return same;
  }
}
