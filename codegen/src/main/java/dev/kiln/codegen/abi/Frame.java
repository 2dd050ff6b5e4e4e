package dev.kiln.codegen.abi;

import java.util.List;

/**
 * The shape of one wasm function's frame below its frame record (the return address and the
 * caller's frame pointer, which every wasm frame keeps so that traps and profilers can walk the
 * chain, docs/ARCHITECTURE.md section 4): the callee-saved registers it saves right below the
 * record, in list order, in a save area whose size is the ISA's (each ISA's {@code
 * FrameEmitter.frame}: 8 bytes per pushed register on x86-64, 16 per stored pair on AArch64), then
 * the bytes it needs for spill slots and outgoing arguments, padded so that the stack pointer stays
 * aligned at calls. Above the record lies the incoming stack-argument area ({@link ArgumentArea}),
 * which the function pops when it returns (callee-pops). Unwind tables and stack maps describe this
 * shape; in the body the stack pointer is always {@link #sizeBelowFramePointer()} below the frame
 * pointer (a call whose callee popped stack arguments re-reserves them right after the call).
 *
 * @param savedRegisters callee-saved registers the body writes, which the prologue saves
 * @param savedBytes bytes of the save area right below the frame record
 * @param localBytes spill slots plus outgoing stack arguments and return areas, from the stack
 *     pointer upwards
 * @param stackAlignment the stack pointer's alignment at a call, a power of two
 * @param arguments the incoming stack-argument area above the frame record
 * @param <R> the ISA's general-purpose register type
 */
public record Frame<R>(List<R> savedRegisters, int savedBytes, int localBytes, int stackAlignment,
    ArgumentArea arguments) {
  /**
   * The frame record's bytes: the return address and the caller's frame pointer, 8 each, on both
   * ISAs (x86-64: pushed by {@code call} and {@code push rbp}; AArch64: x30 and x29 stored as a pair).
   */
  public static final int RECORD_BYTES = 16;

  /** A frame without stack arguments ({@link ArgumentArea#NONE}). */
  public Frame(List<R> savedRegisters, int savedBytes, int localBytes, int stackAlignment) {
    this(savedRegisters, savedBytes, localBytes, stackAlignment, ArgumentArea.NONE);
  }

  public Frame {
    java.util.Objects.requireNonNull(arguments, "arguments");
    savedRegisters = List.copyOf(savedRegisters);
    if (savedRegisters.stream().distinct().count() != savedRegisters.size()) {
      throw new IllegalArgumentException("duplicate saved register in " + savedRegisters);
    }
    if (savedBytes < 8 * savedRegisters.size()) {
      throw new IllegalArgumentException(savedBytes + " bytes cannot save " + savedRegisters);
    }
    if (localBytes < 0) {
      throw new IllegalArgumentException("negative local area " + localBytes);
    }
    if (stackAlignment <= 0 || (stackAlignment & (stackAlignment - 1)) != 0) {
      throw new IllegalArgumentException("stack alignment not a power of two: " + stackAlignment);
    }
  }

  /** This frame above an incoming stack-argument area of {@code area}. */
  public Frame<R> withArguments(ArgumentArea area) {
    return new Frame<>(savedRegisters, savedBytes, localBytes, stackAlignment, area);
  }

  /**
   * Bytes the prologue's stack check covers below the frame record it first pushes: the record's
   * move down when the argument area grows ({@link ArgumentArea#growth}), then everything below the
   * frame pointer.
   */
  public int checkedBytesBelowRecord() {
    return arguments.growth() + sizeBelowFramePointer();
  }

  /** Bytes subtracted from the stack pointer below the save area, padded to the stack alignment. */
  public int allocatedLocalBytes() {
    return WasmCallAssignment.alignUp(savedBytes + localBytes, stackAlignment) - savedBytes;
  }

  /** Everything between the frame pointer and the stack pointer once the prologue has run. */
  public int sizeBelowFramePointer() {
    return savedBytes + allocatedLocalBytes();
  }
}
