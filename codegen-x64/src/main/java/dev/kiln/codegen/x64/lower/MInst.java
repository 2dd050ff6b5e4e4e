package dev.kiln.codegen.x64.lower;

import dev.kiln.codegen.regalloc.Allocation;
import dev.kiln.codegen.regalloc.Operand;
import dev.kiln.codegen.regalloc.PRegSet;
import dev.kiln.codegen.vcode.VCodeInst;
import java.util.List;

/**
 * One lowered instruction on virtual registers: what the allocator sees (operands, clobbers, kind)
 * and how to encode it once each operand has a location. One MInst may encode several machine
 * instructions when they must stay together (a compare and its branch, a guarded division), so that
 * no allocator move lands between a flag producer and its consumer.
 *
 * @param name a mnemonic for dumps
 * @param operands register operands, in the order {@link #emitter()} receives their allocations
 * @param clobbers registers destroyed (calls)
 * @param kind plain, branch or return (x64 lowering emits its copies as PLAIN instructions)
 * @param sourceLoc wasm byte offset of the IR instruction it came from, or -1
 * @param inlineSite the IR instruction's inline site (dev.kiln.ir.InlineSite), or -1
 * @param emitter encodes the instruction given the operands' allocations
 */
public record MInst(String name, List<Operand> operands, PRegSet clobbers, VCodeInst.Kind kind, int sourceLoc,
    int inlineSite, Emitter emitter) implements VCodeInst {

  /** Encodes one lowered instruction. */
  @FunctionalInterface
  public interface Emitter {
    void emit(EmitContext ctx, List<Allocation> allocations);
  }

  public MInst {
    operands = List.copyOf(operands);
  }

  @Override
  public String toString() {
    return name + " " + operands;
  }
}
