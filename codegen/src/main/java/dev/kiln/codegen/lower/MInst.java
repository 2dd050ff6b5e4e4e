package dev.kiln.codegen.lower;

import dev.kiln.codegen.regalloc.Allocation;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.vcode.VCodeInst;
import java.util.List;

/**
 * One lowered instruction on virtual registers, on any ISA: what the allocator sees (operands,
 * clobbers, kind), where in the wasm code it came from, and how to encode it once each operand has a
 * location. One MInst may encode several machine instructions when they must stay together (a
 * compare and its branch or select, a guarded division), so that no allocator move lands between a
 * flag producer and its consumer.
 *
 * @param name a mnemonic for dumps
 * @param operands register operands, in the order {@link #emitter()} receives their allocations
 * @param clobbers registers destroyed (calls)
 * @param kind plain, move, branch or return
 * @param sourceLoc wasm byte offset of the IR instruction it came from, or -1
 * @param inlineSite the IR instruction's inline site (dev.kiln.ir.InlineSite), or -1
 * @param emitter encodes the instruction given the operands' allocations
 * @param <C> the ISA's emit context, what the encoding may ask of the function's emission
 */
public record MInst<C>(String name, List<Operand> operands, PRegSet clobbers, Kind kind, int sourceLoc,
    int inlineSite, Emitter<C> emitter) implements VCodeInst {

  /** Encodes one lowered instruction. */
  @FunctionalInterface
  public interface Emitter<C> {
    /**
     * Encodes the instruction with its operands' {@code allocations}, a list valid only during the
     * call (emission moves it on to the next instruction's: {@code
     * RegAllocOutput#allocationsInTurn}); an emitter reads what it needs of it and keeps no hold of it.
     */
    void emit(C ctx, List<Allocation> allocations);
  }

  public MInst {
    operands = List.copyOf(operands);
  }

  /**
   * {@code operands}, an array the caller made and keeps no hold of, as an immutable list that an
   * instruction keeps as it is (List.copyOf returns an immutable list itself): List.of takes up to
   * three elements as they are, where a growing list is copied again by the instruction.
   */
  public static List<Operand> operandList(Operand[] operands) {
    return switch (operands.length) {
      case 0 -> List.of();
      case 1 -> List.of(operands[0]);
      case 2 -> List.of(operands[0], operands[1]);
      case 3 -> List.of(operands[0], operands[1], operands[2]);
      default -> List.of(operands);
    };
  }

  @Override
  public String toString() {
    return name + " " + operands;
  }
}
