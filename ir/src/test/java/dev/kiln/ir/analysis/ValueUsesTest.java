package dev.kiln.ir.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.DataFlowGraph;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link ValueUses} counts operands and branch arguments through the aliases they may name, and
 * looks none up once the graph says no operand names one (after value numbering or {@link
 * DataFlowGraph#resolveAllAliases}): there every use is counted as the operand reads.
 */
class ValueUsesTest {
  /** entry(a, b): sum = iadd a, b; product = imul sum, b; jump target(product, sum). */
  private record Fixture(Function f, int a, int b, int sum, int product, int add, int mul, int jump) {
    static Fixture make() {
      Function f = new Function(new ExternalName.User(0, 0), new Signature(List.of(), List.of()));
      DataFlowGraph dfg = f.dfg();
      int entry = dfg.makeBlock();
      int target = dfg.makeBlock();
      f.layout().appendBlock(entry);
      f.layout().appendBlock(target);
      int a = dfg.appendBlockParam(entry, Type.I32);
      int b = dfg.appendBlockParam(entry, Type.I32);
      dfg.appendBlockParam(target, Type.I32);
      dfg.appendBlockParam(target, Type.I32);
      int add = dfg.makeInst(Opcode.IADD, Type.I32, 0, 0, new int[] {a, b}, null);
      int sum = dfg.firstResult(add);
      int mul = dfg.makeInst(Opcode.IMUL, Type.I32, 0, 0, new int[] {sum, b}, null);
      int product = dfg.firstResult(mul);
      int call = dfg.makeBlockCall(target, new int[] {product, sum});
      int jump = dfg.makeInst(Opcode.JUMP, null, 0, 0, new int[0], new int[] {call});
      f.layout().appendInst(add, entry);
      f.layout().appendInst(mul, entry);
      f.layout().appendInst(jump, entry);
      return new Fixture(f, a, b, sum, product, add, mul, jump);
    }
  }

  @Test
  void operandsNamingAnAliasCountAsUsesOfTheValueItStandsFor() {
    Fixture x = Fixture.make();
    x.f().dfg().changeToAlias(x.sum(), x.a());

    ValueUses uses = ValueUses.compute(x.f());

    assertEquals(3, uses.count(x.a()), "its own use and sum's two");
    assertEquals(0, uses.count(x.sum()));
    assertEquals(2, uses.count(x.b()));
    assertEquals(1, uses.count(x.product()));
  }

  @Test
  void noAliasIsLookedUpOnceTheOperandsAreDeclaredResolved() {
    Fixture x = Fixture.make();
    DataFlowGraph dfg = x.f().dfg();
    // An alias the operands still name although the graph is told none does: counted as itself,
    // which only a count that resolves nothing gives.
    dfg.changeToAlias(x.sum(), x.a());
    dfg.markOperandsResolved();

    ValueUses uses = ValueUses.compute(x.f());

    assertEquals(1, uses.count(x.a()));
    assertEquals(2, uses.count(x.sum()));
    assertEquals(2, uses.count(x.b()));
    assertEquals(1, uses.count(x.product()));
  }

  @Test
  void discountingAnInstructionTakesBackWhatCountingItsOperandsAdded() {
    // Dead code elimination's removal of mul: its operands' counts go down through the alias sum
    // became, and once the graph says no operand names an alias, as the operands read (looked up
    // in place, no alias resolved).
    Fixture x = Fixture.make();
    DataFlowGraph dfg = x.f().dfg();
    dfg.changeToAlias(x.sum(), x.a());
    int[] counts = ValueUses.compute(x.f()).toArray();
    dfg.discountOperandUses(x.mul(), counts);
    assertEquals(2, counts[x.a()], "add's use and jump's, not mul's");
    assertEquals(1, counts[x.b()]);
    assertFalse(dfg.resultsUncounted(x.mul(), counts), "jump uses product");
    assertTrue(dfg.resultsUncounted(x.add(), counts), "sum's uses count as a's");

    int[] inPlace = ValueUses.compute(x.f()).toArray();
    dfg.discountResolvedOperandUses(x.mul(), inPlace);
    // value numbering's, whose operands are resolved: sum is taken off as the operand reads, which
    // only a read that looks no alias up gives (the count went to a)
    assertEquals(-1, inPlace[x.sum()]);
    assertEquals(3, inPlace[x.a()]);

    dfg.markOperandsResolved();
    int[] asRead = ValueUses.compute(x.f()).toArray();
    dfg.discountOperandUses(x.mul(), asRead);
    assertEquals(1, asRead[x.sum()], "jump's use of sum, as the operand reads");
    assertEquals(1, asRead[x.a()]);
  }

  @Test
  void countingInLayoutOrderRecordsEachValuesLastUser() {
    // Lowering's use counts: one walk over the operands, read in place, gives both the counts and,
    // for a value used once, the instruction that uses it.
    Fixture x = Fixture.make();
    DataFlowGraph dfg = x.f().dfg();
    dfg.changeToAlias(x.sum(), x.a());
    int[] counts = new int[dfg.valueCount()];
    int[] lastUser = new int[dfg.valueCount()];
    java.util.Arrays.fill(lastUser, -1);
    for (int inst : new int[] {x.add(), x.mul(), x.jump()}) {
      dfg.countOperandUses(inst, counts, lastUser);
    }
    assertEquals(3, counts[x.a()], "through the alias sum became");
    assertEquals(x.jump(), lastUser[x.a()]);
    assertEquals(x.mul(), lastUser[x.b()]);
    assertEquals(x.jump(), lastUser[x.product()]);
    assertEquals(-1, lastUser[x.sum()]);

    dfg.resolveAllAliases();
    int[] resolvedCounts = new int[dfg.valueCount()];
    int[] resolvedLastUser = new int[dfg.valueCount()];
    for (int inst : new int[] {x.add(), x.mul(), x.jump()}) {
      dfg.countOperandUses(inst, resolvedCounts, resolvedLastUser);
    }
    assertEquals(java.util.Arrays.toString(counts), java.util.Arrays.toString(resolvedCounts));
    assertEquals(x.jump(), resolvedLastUser[x.a()], "read in place, as resolved");
  }
}
