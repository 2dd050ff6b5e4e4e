package dev.kiln.ir;

/**
 * An {@link InstBuilder} that places each new instruction at a position in a function's layout:
 * at the end of a block or before an instruction. Passes use it to insert code.
 */
public final class FuncCursor extends InstBuilder {
  private final Function function;
  private int block = -1;
  private int before = -1;

  public FuncCursor(Function function) {
    this.function = function;
  }

  /** New instructions go to the end of {@code block}. */
  public FuncCursor atEnd(int block) {
    this.block = block;
    this.before = -1;
    return this;
  }

  /** New instructions go right before {@code inst}. */
  public FuncCursor before(int inst) {
    this.block = -1;
    this.before = inst;
    return this;
  }

  @Override
  protected DataFlowGraph dfg() {
    return function.dfg();
  }

  @Override
  protected int build(Opcode opcode, Type ctrlType, long imm, int aux, int[] args,
      int[] blockCalls) {
    if (block < 0 && before < 0) {
      throw new IllegalStateException("cursor has no position");
    }
    int inst = function.dfg().makeInst(opcode, ctrlType, imm, aux, args, blockCalls);
    if (before >= 0) {
      function.layout().insertInstBefore(inst, before);
    } else {
      function.layout().appendInst(inst, block);
    }
    return inst;
  }
}
