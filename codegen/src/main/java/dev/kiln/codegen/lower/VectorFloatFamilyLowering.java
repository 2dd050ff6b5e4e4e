package dev.kiln.codegen.lower;

import dev.kiln.ir.Lanes;
import dev.kiln.ir.Opcode;

/**
 * What every ISA's lowering of the f32x4 and f64x2 operations starts from, beside {@link
 * FamilyLowering}'s: the ISA's v128 family, whose instruction shapes (binary, unary, moves) the
 * float lanes reuse, and the lane shape each operation works on.
 *
 * @param <L> the ISA's lowering
 * @param <V> the ISA's v128 family
 */
public abstract class VectorFloatFamilyLowering<L extends LowerBackend<?, ?>, V> extends FamilyLowering<L>
    implements LowerBackend.OperatorFamily {
  /** The ISA's v128 family. */
  protected final V v;

  protected VectorFloatFamilyLowering(L l, V v) {
    super(l);
    this.v = v;
  }

  /** Whether float-lane operation {@code inst} works on f64x2 lanes, else f32x4. */
  protected final boolean f64Lanes(int inst) {
    Opcode op = dfg.opcode(inst);
    return op.hasLanes() && dfg.lanes(inst) == Lanes.F64X2;
  }
}
