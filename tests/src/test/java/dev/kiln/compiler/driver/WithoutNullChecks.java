package dev.kiln.compiler.driver;

import dev.kiln.codegen.Backend;
import dev.kiln.codegen.LoweredFunction;
import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.Function;
import dev.kiln.ir.Layout;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.TrapCode;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A backend that compiles the compiler bug the runtime must survive: every null check that guards
 * an access through the reference (a {@code trapz}/{@code trapnz} of a null struct, null array or
 * null function reference code) is dropped from each function's IR before it is lowered, so a null
 * reference's field is read, written or called through as if it were an object. The checks of
 * {@code ref.as_non_null} and {@code i31.get} stay: they guard no access, so dropping one makes a
 * wrong value, not a fault any runtime could catch.
 */
public final class WithoutNullChecks extends ForwardingBackend {
  /** The null checks' trap codes in the IR that guard an access through the reference. */
  private static final Set<TrapCode> NULL_CHECKS = EnumSet.of(TrapCode.NULL_STRUCTURE_REFERENCE,
      TrapCode.NULL_ARRAY_REFERENCE, TrapCode.INDIRECT_CALL_TO_NULL);

  private final AtomicInteger dropped = new AtomicInteger();

  public WithoutNullChecks(Backend backend) {
    super(backend);
  }

  /** How many checks this backend has dropped so far. */
  public int dropped() {
    return dropped.get();
  }

  @Override
  public LoweredFunction lower(Function function) {
    DataFlowGraph dfg = function.dfg();
    Layout layout = function.layout();
    for (int block = layout.firstBlock(); block >= 0; block = layout.nextBlock(block)) {
      for (int inst = layout.firstInst(block), next; inst >= 0; inst = next) {
        next = layout.nextInst(inst);
        if ((dfg.opcode(inst) == Opcode.TRAPZ || dfg.opcode(inst) == Opcode.TRAPNZ)
            && NULL_CHECKS.contains(dfg.trapCode(inst))) {
          layout.removeInst(inst);
          dropped.incrementAndGet();
        }
      }
    }
    return super.lower(function);
  }
}
