package dev.kiln.compiler.translate;

import dev.kiln.wasm.code.Opcode;

/**
 * Which table translates a wasm operator that {@link FuncTranslator} does not handle by name: an
 * integer, float or vector operator, or a memory access of one of those types, and {@link #NONE} for
 * an operator no table holds.
 *
 * <p>Why one lookup before the tables': asked table by table, a table's "not mine" (null) was a
 * branch whose profile, early in a large compile, may never have seen it (the first functions read
 * integers and memory only): C2 compiled the translator's main method trusting that, and the first
 * float operator threw its code away (a deoptimisation, and the method compiled again).
 */
enum OperatorTable {
  NONE,
  INTEGER,
  MEMORY,
  /** A float load or store ({@link FloatOperator.Shape#MEMORY}). */
  FLOAT_MEMORY,
  FLOAT,
  /** A vector load or store ({@link VectorOperator#memory()} set). */
  VECTOR_MEMORY,
  VECTOR;

  private static final OperatorTable[] BY_OPCODE = build();

  static OperatorTable of(Opcode op) {
    return BY_OPCODE[op.ordinal()];
  }

  private static OperatorTable[] build() {
    Opcode[] ops = Opcode.values();
    OperatorTable[] tables = new OperatorTable[ops.length];
    for (Opcode op : ops) {
      FloatOperator floating = FloatOperator.of(op);
      VectorOperator vector = VectorOperator.of(op);
      OperatorTable table;
      if (IntegerOperator.of(op) != null) {
        table = INTEGER;
      } else if (MemoryOperator.of(op) != null) {
        table = MEMORY;
      } else if (floating != null) {
        table = floating.shape() == FloatOperator.Shape.MEMORY ? FLOAT_MEMORY : FLOAT;
      } else if (vector != null) {
        table = vector.memory() != null ? VECTOR_MEMORY : VECTOR;
      } else {
        table = NONE;
      }
      tables[op.ordinal()] = table;
    }
    return tables;
  }
}
