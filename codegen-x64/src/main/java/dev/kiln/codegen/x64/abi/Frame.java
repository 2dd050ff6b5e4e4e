package dev.kiln.codegen.x64.abi;

import dev.kiln.codegen.abi.WasmCallAssignment;
import dev.kiln.codegen.x64.asm.Gpr;
import java.util.List;

/**
 * The shape of one wasm function's frame below its frame pointer: the callee-saved registers it
 * uses (pushed right below the saved rbp, in list order) and the bytes it needs for spill slots and
 * outgoing arguments. rbp itself is always saved by the prologue and is not listed.
 *
 * @param savedRegisters callee-saved registers other than rbp that the body clobbers
 * @param localBytes spill slots plus outgoing stack arguments and return areas, at rsp + 0 upwards
 */
public record Frame(List<Gpr> savedRegisters, int localBytes) {
  public Frame {
    savedRegisters = List.copyOf(savedRegisters);
    for (Gpr r : savedRegisters) {
      if (r == Gpr.RBP || !WasmCallConv.CALLEE_SAVED.contains(r)) {
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

  /** A frame that saves nothing and has no locals (a leaf that only uses caller-saved registers). */
  public static Frame leaf() {
    return new Frame(List.of(), 0);
  }

  /** Bytes subtracted from rsp after the pushes, padded so rsp stays 16-aligned at calls. */
  public int allocatedLocalBytes() {
    int pushed = 8 * savedRegisters.size();
    return WasmCallAssignment.alignUp(pushed + localBytes, WasmCallConv.STACK_ALIGNMENT) - pushed;
  }

  /** Everything between rbp and rsp once the prologue has run. */
  public int sizeBelowFramePointer() {
    return 8 * savedRegisters.size() + allocatedLocalBytes();
  }

  /** rbp-relative offset of the save slot of {@code register} (negative). */
  public int saveSlot(Gpr register) {
    int i = savedRegisters.indexOf(register);
    if (i < 0) {
      throw new IllegalArgumentException(register + " is not saved by this frame");
    }
    return -8 * (i + 1);
  }
}
