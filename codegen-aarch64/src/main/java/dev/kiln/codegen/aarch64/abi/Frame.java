package dev.kiln.codegen.aarch64.abi;

import dev.kiln.codegen.aarch64.asm.Gpr;
import dev.kiln.codegen.abi.WasmCallAssignment;
import java.util.List;

/**
 * The shape of one wasm function's frame below its frame record: the callee-saved registers it
 * uses (stored in pairs right below the record, in list order) and the bytes it needs for spill
 * slots and outgoing arguments. x29 and x30 are always saved by the record and are not listed.
 *
 * @param savedRegisters callee-saved registers (x19-x28) the body writes
 * @param localBytes spill slots plus outgoing stack arguments and return areas, at sp + 0 upwards
 */
public record Frame(List<Gpr> savedRegisters, int localBytes) {
  public Frame {
    savedRegisters = List.copyOf(savedRegisters);
    for (Gpr r : savedRegisters) {
      if (!WasmCallConv.CALLEE_SAVED.contains(r)) {
        throw new IllegalArgumentException(r + " is not a callee-saved register the frame saves");
      }
    }
    if (savedRegisters.stream().distinct().count() != savedRegisters.size()) {
      throw new IllegalArgumentException("duplicate saved register in " + savedRegisters);
    }
    if (localBytes < 0) {
      throw new IllegalArgumentException("negative local area " + localBytes);
    }
  }

  /** A frame that saves nothing and has no locals. */
  public static Frame leaf() {
    return new Frame(List.of(), 0);
  }

  /** Bytes of the save area: 16 per pair (an odd register is paired with xzr). */
  public int savedBytes() {
    return 16 * ((savedRegisters.size() + 1) / 2);
  }

  /** Bytes subtracted from sp below the save area, a multiple of 16. */
  public int allocatedLocalBytes() {
    return WasmCallAssignment.alignUp(localBytes, WasmCallConv.STACK_ALIGNMENT);
  }

  /** Everything between x29 and sp once the prologue has run. */
  public int sizeBelowFramePointer() {
    return savedBytes() + allocatedLocalBytes();
  }
}
