package dev.kiln.codegen.lower;

import dev.kiln.codegen.regalloc.Allocation;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.VReg;
import java.util.List;

/**
 * How a condition value ({@link LowerBackend.Condition}) sets the machine's flags, as its consumer
 * (a branch, select or conditional trap) emits it in the same instruction: the registers the
 * flag-setting instruction reads, whose allocations the consumer passes from operand {@code at} on,
 * the instruction itself, and the ISA's condition code that holds when the value is non-zero. Both
 * ISAs keep their comparison results in flags (Intel SDM Vol. 1 section 3.4.3.1, RFLAGS; Arm ARM
 * C1.2.4, NZCV), so one shape serves both; each chooses its own instructions and codes.
 *
 * @param inputs the vregs the flag-setting instruction reads
 * @param setter emits the flag-setting instruction
 * @param cc the condition code true when the value is non-zero
 * @param <C> the ISA's emit context
 * @param <K> the ISA's condition codes
 */
public record Flags<C, K extends Flags.Code<K>>(List<VReg> inputs, Setter<C> setter, K cc) {
  /** An ISA's condition code, which reads the same flags for the opposite outcome. */
  public interface Code<K> {
    /** The code that holds exactly when this one does not. */
    K invert();
  }

  /** Emits the instruction that sets the flags, its inputs at allocations {@code at} and after. */
  @FunctionalInterface
  public interface Setter<C> {
    void emit(C c, List<Allocation> a, int at);
  }

  /**
   * A register use of each input, in order, then {@code last} unless it is null (what the consumer
   * adds after them): a loop, not a stream pipeline, as every branch, select and conditional trap
   * asks, into a list the instruction keeps as it is ({@link MInst#operandList}).
   */
  public List<Operand> inputUses(Operand last) {
    Operand[] uses = new Operand[inputs.size() + (last != null ? 1 : 0)];
    for (int i = 0; i < inputs.size(); i++) {
      uses[i] = Operand.useReg(inputs.get(i));
    }
    if (last != null) {
      uses[inputs.size()] = last;
    }
    return MInst.operandList(uses);
  }

  /** These flags read for zero instead of non-zero when {@code zero} (an {@code eqz}'s test). */
  public Flags<C, K> whenZero(boolean zero) {
    return zero ? new Flags<>(inputs, setter, cc.invert()) : this;
  }
}
