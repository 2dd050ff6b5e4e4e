package dev.kiln.ir.builder;

import dev.kiln.ir.BranchTarget;
import dev.kiln.ir.ExternalName;
import dev.kiln.ir.Function;
import dev.kiln.ir.IntCC;
import dev.kiln.ir.Signature;
import dev.kiln.ir.Type;
import dev.kiln.ir.golden.GoldenFile;
import dev.kiln.ir.text.Printer;
import dev.kiln.ir.verify.Verifier;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The SSA builder's output for small imperative programs, checked against {@code
 * golden/builder/*.ir} (bless with {@code -Dkiln.bless=true}). Each function is verified first.
 */
class FunctionBuilderGoldenTest {
  private static void check(String file, Function f) {
    Verifier.check(f);
    GoldenFile.read(GoldenFile.ROOT.resolve("builder").resolve(file)).check(Printer.print(f));
  }

  static Function newFunction(String name, List<Type> params, List<Type> results) {
    return new Function(new ExternalName.Named(name), Signature.of(params, results));
  }

  /** {@code sum = 0; i = 0; while (i < n) { sum += i; i += 1; } return sum;} */
  static Function whileLoop() {
    FunctionBuilder b = new FunctionBuilder(newFunction("sum_below", List.of(Type.I32),
        List.of(Type.I32)));
    int entry = b.createBlock();
    int header = b.createBlock();
    int body = b.createBlock();
    int exit = b.createBlock();
    int n = b.declareVar(Type.I32);
    int i = b.declareVar(Type.I32);
    int sum = b.declareVar(Type.I32);

    b.switchToBlock(entry);
    int[] params = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    b.defVar(n, params[0]);
    b.defVar(i, b.ins().iconst(Type.I32, 0));
    b.defVar(sum, b.ins().iconst(Type.I32, 0));
    b.ins().jump(header);

    b.switchToBlock(header); // not sealed: the back edge comes later
    int cond = b.ins().icmp(IntCC.SLT, b.useVar(i), b.useVar(n));
    b.ins().brif(cond, body, exit);

    b.switchToBlock(body);
    b.sealBlock(body);
    b.defVar(sum, b.ins().iadd(b.useVar(sum), b.useVar(i)));
    b.defVar(i, b.ins().iadd(b.useVar(i), b.ins().iconst(Type.I32, 1)));
    b.ins().jump(header);
    b.sealBlock(header);

    b.switchToBlock(exit);
    b.sealBlock(exit);
    b.ins().ret(b.useVar(sum));
    return b.finish();
  }

  /** {@code x = a; if (c) { x = b; } y = c; return x + y;}: one parameter, for x only. */
  static Function diamond() {
    FunctionBuilder b = new FunctionBuilder(newFunction("diamond",
        List.of(Type.I32, Type.I64, Type.I64), List.of(Type.I64)));
    int entry = b.createBlock();
    int then = b.createBlock();
    int merge = b.createBlock();
    int x = b.declareVar(Type.I64);
    int c = b.declareVar(Type.I32);
    b.switchToBlock(entry);
    int[] p = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    b.defVar(c, p[0]);
    b.defVar(x, p[1]);
    b.ins().brif(b.useVar(c), then, merge);
    b.switchToBlock(then);
    b.sealBlock(then);
    b.defVar(x, p[2]);
    b.ins().jump(merge);
    b.switchToBlock(merge);
    b.sealBlock(merge);
    int y = b.ins().unary(dev.kiln.ir.Opcode.UEXTEND, Type.I64, b.useVar(c));
    b.ins().ret(b.ins().iadd(b.useVar(x), y));
    return b.finish();
  }

  /**
   * Nested loops, all blocks left unsealed until the end: {@code for i < n { for j < i { acc +=
   * j } } return acc}. Parameters appear only for the variables the loops change.
   */
  static Function nestedLoopsSealedLate() {
    FunctionBuilder b = new FunctionBuilder(newFunction("nested", List.of(Type.I64),
        List.of(Type.I64)));
    int entry = b.createBlock();
    int outer = b.createBlock();
    int inner = b.createBlock();
    int innerBody = b.createBlock();
    int outerLatch = b.createBlock();
    int exit = b.createBlock();
    int n = b.declareVar(Type.I64);
    int i = b.declareVar(Type.I64);
    int j = b.declareVar(Type.I64);
    int acc = b.declareVar(Type.I64);
    b.switchToBlock(entry);
    b.defVar(n, b.appendBlockParamsForFunctionParams(entry)[0]);
    b.defVar(i, b.ins().iconst(Type.I64, 0));
    b.defVar(acc, b.ins().iconst(Type.I64, 0));
    b.ins().jump(outer);

    b.switchToBlock(outer);
    b.defVar(j, b.ins().iconst(Type.I64, 0));
    b.ins().brif(b.ins().icmp(IntCC.ULT, b.useVar(i), b.useVar(n)), inner, exit);

    b.switchToBlock(inner);
    b.ins().brif(b.ins().icmp(IntCC.ULT, b.useVar(j), b.useVar(i)), innerBody, outerLatch);

    b.switchToBlock(innerBody);
    b.defVar(acc, b.ins().iadd(b.useVar(acc), b.useVar(j)));
    b.defVar(j, b.ins().iadd(b.useVar(j), b.ins().iconst(Type.I64, 1)));
    b.ins().jump(inner);

    b.switchToBlock(outerLatch);
    b.defVar(i, b.ins().iadd(b.useVar(i), b.ins().iconst(Type.I64, 1)));
    b.ins().jump(outer);

    b.switchToBlock(exit);
    b.ins().ret(b.useVar(acc));
    b.sealAllBlocks();
    return b.finish();
  }

  /**
   * A wasm-style {@code br_table} to blocks with an explicit result parameter, and a variable
   * changed on one arm only; plus an unreachable block that reads a variable (reads zero).
   */
  static Function switchWithBlockResult() {
    FunctionBuilder b = new FunctionBuilder(newFunction("switch", List.of(Type.I32, Type.I32),
        List.of(Type.I32)));
    int entry = b.createBlock();
    int case0 = b.createBlock();
    int case1 = b.createBlock();
    int join = b.createBlock();
    int dead = b.createBlock();
    int sel = b.declareVar(Type.I32);
    int local = b.declareVar(Type.I32);
    int result = b.appendBlockParam(join, Type.I32);
    b.switchToBlock(entry);
    int[] p = b.appendBlockParamsForFunctionParams(entry);
    b.sealBlock(entry);
    b.defVar(sel, p[0]);
    b.defVar(local, p[1]);
    b.ins().brTable(b.useVar(sel), new BranchTarget(join, b.ins().iconst(Type.I32, -1)),
        List.of(new BranchTarget(case0), new BranchTarget(case1)));
    b.sealBlock(case0);
    b.sealBlock(case1);
    b.switchToBlock(case0);
    b.defVar(local, b.ins().iconst(Type.I32, 100));
    b.ins().jump(join, b.ins().iconst(Type.I32, 10));
    b.switchToBlock(case1);
    b.ins().jump(join, b.useVar(sel));
    b.sealBlock(join);
    b.switchToBlock(join);
    b.ins().ret(b.ins().iadd(result, b.useVar(local)));
    b.switchToBlock(dead);
    b.sealBlock(dead);
    b.ins().ret(b.useVar(local));
    return b.finish();
  }

  @Test
  void whileLoopGetsParametersForChangedVariablesOnly() {
    check("while_loop.ir", whileLoop());
  }

  @Test
  void diamondMergesOnlyTheAssignedVariable() {
    check("diamond.ir", diamond());
  }

  @Test
  void nestedLoopsSealedAtTheEnd() {
    check("nested_loops.ir", nestedLoopsSealedLate());
  }

  @Test
  void switchWithExplicitBlockParameter() {
    check("switch.ir", switchWithBlockResult());
  }
}
