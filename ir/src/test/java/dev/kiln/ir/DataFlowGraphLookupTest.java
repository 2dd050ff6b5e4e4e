package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link DataFlowGraph#findSignature} and {@link DataFlowGraph#findExtFunc}, which the inliner uses
 * to reuse a caller's entries: the first equal entry's index, -1 for none, and entries added after
 * the first lookup found too (the index is made once, then kept up by the adds).
 */
class DataFlowGraphLookupTest {
  private static final Signature I32_TO_I32 = Signature.of(List.of(Type.I32), List.of(Type.I32));
  private static final Signature I64_TO_NONE = Signature.of(List.of(Type.I64), List.of());

  @Test
  void findsTheFirstEqualSignatureAndOnesAddedAfterTheFirstLookup() {
    DataFlowGraph dfg = new DataFlowGraph();
    dfg.addSignature(I64_TO_NONE);
    dfg.addSignature(I32_TO_I32);
    dfg.addSignature(Signature.of(List.of(Type.I32), List.of(Type.I32)));
    assertEquals(1, dfg.findSignature(Signature.of(List.of(Type.I32), List.of(Type.I32))));
    Signature later = Signature.of(List.of(Type.F64), List.of(Type.F64));
    assertEquals(-1, dfg.findSignature(later));
    int added = dfg.addSignature(later);
    assertEquals(added, dfg.findSignature(later));
    dfg.addSignature(later);
    assertEquals(added, dfg.findSignature(later), "a later equal signature does not replace the first");
  }

  @Test
  void findsTheFirstEqualCalleeAndOnesAddedAfterTheFirstLookup() {
    DataFlowGraph dfg = new DataFlowGraph();
    int sig = dfg.addSignature(I32_TO_I32);
    int other = dfg.addSignature(I64_TO_NONE);
    ExtFuncData f3 = new ExtFuncData(new ExternalName.User(0, 3), sig);
    dfg.addExtFunc(new ExtFuncData(new ExternalName.User(0, 3), other));
    dfg.addExtFunc(f3);
    dfg.addExtFunc(new ExtFuncData(new ExternalName.User(0, 3), sig));
    assertEquals(1, dfg.findExtFunc(new ExtFuncData(new ExternalName.User(0, 3), sig)));
    ExtFuncData f4 = new ExtFuncData(new ExternalName.User(0, 4), sig);
    assertEquals(-1, dfg.findExtFunc(f4));
    int added = dfg.addExtFunc(f4);
    assertEquals(added, dfg.findExtFunc(new ExtFuncData(new ExternalName.User(0, 4), sig)));
  }
}
