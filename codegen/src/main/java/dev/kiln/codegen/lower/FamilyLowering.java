package dev.kiln.codegen.lower;

import dev.kiln.codegen.UnsupportedLoweringException;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Type;

/**
 * What every ISA's lowering of one family of operators ({@link LowerBackend.Families}) starts from:
 * the ISA's lowering, whose shared helpers ({@link LowerBackend#use}, {@link LowerBackend#result},
 * {@link LowerBackend#add}, ...) it builds instructions with, and the function's data-flow graph.
 *
 * @param <L> the ISA's lowering
 */
public abstract class FamilyLowering<L extends LowerBackend<?, ?>> {
  /** The ISA's lowering of the function. */
  protected final L l;
  /** The function's data-flow graph. */
  protected final DataFlowGraph dfg;

  protected FamilyLowering(L l) {
    this.l = l;
    this.dfg = l.dfg();
  }

  /** Whether integer operation {@code inst} is 64 bits wide (else 32): its controlling type is i64. */
  protected final boolean wide(int inst) {
    return dfg.ctrlType(inst) == Type.I64;
  }

  /**
   * The refusal of operator {@code inst}, which this family has no lowering for: the compiler
   * reports it as an unsupported feature at the operator's wasm offset.
   */
  protected final UnsupportedLoweringException unsupported(int inst) {
    return new UnsupportedLoweringException(dfg.opcode(inst).text(), dfg.sourceLoc(inst));
  }
}
