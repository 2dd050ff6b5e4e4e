package dev.kiln.codegen.regalloc;

/**
 * When, within one instruction, an operand is read or written. Each instruction has two points:
 * EARLY (inputs are read) and LATE (outputs are written). A USE at LATE stays live while the
 * instruction writes its outputs, so no output shares its location (an input read after an output
 * is written, e.g. in a multi-instruction sequence). A DEF at EARLY is written before inputs are done
 * with, so it shares a location with no input (an x86 "early clobber" temp).
 */
public enum OperandPos {
  EARLY,
  LATE
}
