package dev.kiln.ir.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
  private record Fixture(Function f, int a, int b, int sum, int product) {
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
      return new Fixture(f, a, b, sum, product);
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
}
