package dev.kiln.ir;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link DataFlowGraph#resolveAllAliases}, which rewrites the lists in place: every operand and
 * branch argument naming an alias, through a chain of aliases, becomes the value at its end, and
 * nothing else in any list changes (results, block parameters, other operands, lists that moved
 * when they grew).
 */
class AliasResolutionTest {
  @Test
  void everyOperandAndBranchArgumentNamingAnAliasNamesTheValueItStandsFor() {
    DataFlowGraph dfg = new DataFlowGraph();
    int entry = dfg.makeBlock();
    int target = dfg.makeBlock();
    int a = dfg.appendBlockParam(entry, Type.I32);
    int b = dfg.appendBlockParam(entry, Type.I32);
    int c = dfg.appendBlockParam(entry, Type.I32);
    int targetParam = dfg.appendBlockParam(target, Type.I32);
    int add = dfg.makeInst(Opcode.IADD, Type.I32, 0, 0, new int[] {a, b}, null);
    int sum = dfg.firstResult(add);
    int mul = dfg.makeInst(Opcode.IMUL, Type.I32, 0, 0, new int[] {sum, c}, null);
    int product = dfg.firstResult(mul);
    int call = dfg.makeBlockCall(target, new int[] {product});
    dfg.appendBlockCallArg(call, sum); // grown past its room: the list moved in the pool
    dfg.appendBlockCallArg(call, b);
    int jump = dfg.makeInst(Opcode.JUMP, null, 0, 0, new int[0], new int[] {call});
    int lateUse = dfg.makeInst(Opcode.ISUB, Type.I32, 0, 0, new int[] {product, a}, null);

    dfg.changeToAlias(sum, c); // sum -> c
    dfg.changeToAlias(c, a); // c -> a, so sum -> c -> a
    dfg.changeToAlias(product, b);
    dfg.resolveAllAliases();

    assertArrayEquals(new int[] {a, b}, dfg.args(add), "no alias: untouched");
    assertArrayEquals(new int[] {a, a}, dfg.args(mul), "sum and c both resolve to a");
    assertArrayEquals(new int[] {b, a, b}, dfg.blockCallArgs(call));
    assertArrayEquals(new int[] {b, a}, dfg.args(lateUse));
    assertArrayEquals(new int[0], dfg.args(jump));
    assertArrayEquals(new int[] {a, b, c}, dfg.blockParams(entry), "block parameters are not operands");
    assertArrayEquals(new int[] {targetParam}, dfg.blockParams(target));
    assertArrayEquals(new int[] {sum}, dfg.results(add), "results are not operands");
  }
}
