package dev.kiln.codegen.regalloc;

/** Whether an instruction reads or writes its operand. */
public enum OperandKind {
  USE,
  DEF
}
