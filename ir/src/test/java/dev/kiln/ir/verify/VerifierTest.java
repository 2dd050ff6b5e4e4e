package dev.kiln.ir.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.kiln.ir.ExternalName;
import dev.kiln.ir.FuncCursor;
import dev.kiln.ir.Function;
import dev.kiln.ir.Opcode;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import dev.kiln.ir.text.Parser;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Negative cases built through the API (the text cases are golden files under verify/). */
class VerifierTest {
  private static Function function(List<Type> params, List<Type> results) {
    return new Function(new ExternalName.Named("t"), Signature.of(params, results));
  }

  private static List<String> messages(Function f) {
    return Verifier.verify(f).stream().map(VerifierError::message).toList();
  }

  @Test
  void functionWithoutBlocks() {
    assertEquals(List.of("the function has no blocks"), messages(function(List.of(), List.of())));
  }

  @Test
  void emptyBlock() {
    Function f = function(List.of(), List.of());
    int b0 = f.dfg().makeBlock();
    f.layout().appendBlock(b0);
    assertEquals(List.of("block0: block is empty; it must end with a terminator"), messages(f));
  }

  @Test
  void useOfAResultWhoseInstructionWasRemoved() {
    Function f = function(List.of(), List.of(Type.I32));
    int b0 = f.dfg().makeBlock();
    f.layout().appendBlock(b0);
    FuncCursor c = new FuncCursor(f).atEnd(b0);
    int k = c.iconst(Type.I32, 1);
    c.ret(k);
    f.layout().removeInst(f.dfg().valueDef(k));
    assertEquals(List.of("block0, `return v0`: v0 is defined by an instruction that is not in the"
        + " layout"), messages(f));
  }

  @Test
  void vectorConstantMustBeInThePool() {
    Function f = function(List.of(), List.of(Type.V128));
    int b0 = f.dfg().makeBlock();
    f.layout().appendBlock(b0);
    int inst = f.dfg().makeInst(Opcode.VCONST, null, 3, 0, new int[0], null);
    f.layout().appendInst(inst, b0);
    new FuncCursor(f).atEnd(b0).ret(f.dfg().firstResult(inst));
    assertEquals(List.of("block0, inst0 (vconst): vector constant 3 is not in the pool"), messages(f));
  }

  @Test
  void aliasesAreFollowed() {
    Function f = function(List.of(Type.I32), List.of(Type.I32));
    int b0 = f.dfg().makeBlock();
    f.layout().appendBlock(b0);
    int p = f.dfg().appendBlockParam(b0, Type.I32);
    FuncCursor c = new FuncCursor(f).atEnd(b0);
    int k = c.iconst(Type.I32, 1);
    c.ret(k);
    f.layout().removeInst(f.dfg().valueDef(k));
    f.dfg().changeToAlias(k, p);
    assertTrue(messages(f).isEmpty(), messages(f)::toString);
  }

  @Test
  void unreachableBlocksAreNotCheckedForDominance() {
    Function f = Parser.parseFunction("""
        function %f(i32) -> i32 {
        block0(v0: i32):
            return v0

        block1:
            v1 = iadd.i32 v2, v2
            jump block2

        block2:
            v2 = iconst.i32 1
            jump block1
        }
        """);
    assertTrue(messages(f).isEmpty(), messages(f)::toString);
  }

  @Test
  void brokenAuxiliaryFieldIsReportedWithoutPrinting() {
    Function f = function(List.of(Type.I32), List.of(Type.I32));
    int b0 = f.dfg().makeBlock();
    f.layout().appendBlock(b0);
    int p = f.dfg().appendBlockParam(b0, Type.I32);
    int cmp = f.dfg().makeInst(Opcode.ICMP, null, 0, 99, new int[] {p, p}, null);
    f.layout().appendInst(cmp, b0);
    new FuncCursor(f).atEnd(b0).ret(f.dfg().firstResult(cmp));
    assertEquals(List.of("block0, inst0 (icmp): integer condition code 99 is out of range"),
        messages(f));
  }

  @Test
  void branchWithoutDestinationIsReportedByIdWhenUnprintable() {
    Function f = function(List.of(), List.of());
    int b0 = f.dfg().makeBlock();
    f.layout().appendBlock(b0);
    int jump = f.dfg().makeInst(Opcode.JUMP, null, 0, 0, new int[0], new int[0]);
    f.layout().appendInst(jump, b0);
    assertEquals(List.of("block0, inst0 (jump): jump has 0 destination(s)"), messages(f));
  }

  @Test
  void checkThrowsWithEveryMessage() {
    Function f = Parser.parseFunction("""
        function %f(i32) -> i64 {
        block0(v0: i32):
            v1 = iadd.i32 v0, v0
            return v1
        }
        """);
    VerifierException e = assertThrows(VerifierException.class, () -> Verifier.check(f));
    assertEquals(1, e.errors().size());
    assertEquals("""
        function %f fails 1 IR rule(s):
          block0, `return v1`: return value 0 (v1) is i32, the signature says i64""",
        e.getMessage());
  }
}
